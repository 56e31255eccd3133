package dev.opskit.pipeline;

import dev.opskit.Names;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How a pipeline is included in another, as Kedro's {@code pipeline(..., namespace=, inputs=, outputs=)}: a namespace,
 * datasets renamed at the boundary, a retry policy that overrides the included steps' own, and extra tags. Given to
 * {@link PipelineBuilder#include(Pipeline, java.util.function.Consumer)}.
 *
 * <pre>{@code
 * Pipeline both = Pipeline.builder("both")
 *     .include(features, in -> in.namespace("eu").map(raw, "raw/eu").keep(regions)
 *         .retry(RetryPolicy.linear(3, Duration.ofSeconds(2))))
 *     .external(rawEu, regions)
 *     .build();
 * }</pre>
 *
 * <p>With a namespace, step {@code s} becomes {@code ns.s} and each dataset {@code d} becomes {@code ns/d}, except the
 * datasets that are {@link #map mapped} (they take the given name) or {@link #keep kept} (they keep theirs). A mapping
 * or a kept dataset that the included pipeline does not have is reported by {@link PipelineBuilder#build()}, with the
 * closest names. Each option may be set once; an inclusion is used by one thread while a pipeline is declared.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class Inclusion {
  final Map<String, String> mapping = new LinkedHashMap<>();
  final TreeSet<String> tags = new TreeSet<>();
  @Nullable String namespace;
  @Nullable RetryPolicy retry;

  Inclusion() {}

  /**
   * Puts the included steps and their unmapped datasets under a namespace.
   *
   * @param namespace the prefix, following {@link Names#NAME_RULE}; checked by {@link PipelineBuilder#build()}
   * @return this inclusion
   * @throws IllegalStateException if a namespace was already set
   */
  public Inclusion namespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (this.namespace != null) {
      throw new IllegalStateException("namespace is already set (to '" + this.namespace + "'); set it once");
    }
    this.namespace = namespace;
    return this;
  }

  /**
   * Renames a dataset of the included pipeline, input or output, at the boundary.
   *
   * @param dataset the name the included pipeline uses
   * @param newName the name it has in the pipeline being built, following the dataset-name rule
   * @return this inclusion
   * @throws IllegalArgumentException if {@code newName} is not a valid dataset name
   * @throws IllegalStateException if {@code dataset} was already mapped or kept
   */
  public Inclusion map(String dataset, String newName) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(newName, "newName");
    Names.requireValidDatasetName(newName);
    String previous = mapping.putIfAbsent(dataset, newName);
    if (previous != null) {
      throw new IllegalStateException("dataset '" + dataset + "' is already mapped (to '" + previous + "'); map it once");
    }
    return this;
  }

  /**
   * Renames a dataset of the included pipeline at the boundary.
   *
   * @param dataset the handle the included pipeline uses
   * @param newName the name it has in the pipeline being built
   * @return this inclusion
   * @throws IllegalArgumentException if {@code newName} is not a valid dataset name
   * @throws IllegalStateException if {@code dataset} was already mapped or kept
   */
  public Inclusion map(Dataset<?> dataset, String newName) {
    return map(Objects.requireNonNull(dataset, "dataset").name(), newName);
  }

  /**
   * Keeps datasets under their own names despite the namespace, so that they connect the included steps to the rest
   * of the pipeline.
   *
   * @param datasets the datasets
   * @return this inclusion
   * @throws IllegalStateException if one was already mapped or kept
   */
  public Inclusion keep(Dataset<?>... datasets) {
    Objects.requireNonNull(datasets, "datasets");
    for (int i = 0; i < datasets.length; i++) {
      Dataset<?> d = Objects.requireNonNull(datasets[i], "datasets[" + i + "]");
      map(d.name(), d.name());
    }
    return this;
  }

  /**
   * Overrides the retry policy of every included step, whether it set its own or not.
   *
   * @param policy the policy
   * @return this inclusion
   * @throws IllegalStateException if a policy was already set
   */
  public Inclusion retry(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (retry != null) {
      throw new IllegalStateException("retry is already set (to " + retry + "); set it once");
    }
    retry = policy;
    return this;
  }

  /**
   * Adds tags to every included step.
   *
   * @param values tags, each following {@link Names#NAME_RULE}
   * @return this inclusion
   * @throws IllegalArgumentException if a tag is illegal
   */
  public Inclusion tags(String... values) {
    Objects.requireNonNull(values, "tags");
    for (String tag : values) {
      tags.add(Names.requireValidName("tag", Objects.requireNonNull(tag, "tag")));
    }
    return this;
  }
}
