package dev.opskit.pipeline;

import dev.opskit.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Declares a {@link Pipeline}. Obtain one with {@link Pipeline#builder(String)}.
 *
 * <p>Declaring is pure: no method does I/O or starts a thread, and step functions are not called. Problems a single
 * call can see at once (a null, an option set twice) throw immediately; problems of the definition as a whole are
 * collected and reported together by {@link #build()}, which leaves the builder unchanged. A builder is not
 * thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class PipelineBuilder {
  private final String name;
  private final List<String> problems = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  private final Map<String, Integer> stepIndex = new LinkedHashMap<>();
  private final List<StepDraft> drafts = new ArrayList<>();
  /** Where each step came from, for duplicate-name errors: declared here or included from a pipeline. */
  private final List<String> origins = new ArrayList<>();
  private final java.util.TreeSet<String> tags = new java.util.TreeSet<>();
  private final Map<String, Dataset<?>> explicitExternals = new LinkedHashMap<>();
  private final Map<String, Dataset<?>> inheritedExternals = new LinkedHashMap<>();
  private @Nullable String description;
  private @Nullable RetryPolicy defaultRetry;

  PipelineBuilder(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Describes the pipeline for reports and exports.
   *
   * @param description free text
   * @return this builder
   * @throws IllegalStateException if a description was already set
   */
  public PipelineBuilder describedAs(String description) {
    Objects.requireNonNull(description, "description");
    if (this.description != null) {
      throw new IllegalStateException("pipeline '" + name + "': description is already set; set it once");
    }
    this.description = description;
    return this;
  }

  /**
   * Declares a step.
   *
   * @param name the step name, following {@link Names#NAME_RULE}; checked by {@link #build()}
   * @param declaration declares the step's inputs, outputs, function and options
   * @return this builder
   */
  public PipelineBuilder step(String name, Consumer<StepBuilder> declaration) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(declaration, "declaration");
    StepDraft draft = new StepDraft(name);
    declaration.accept(new StepBuilder(draft));
    drafts.add(draft);
    add(draft.toStep(), "declared in '" + this.name + "'");
    return this;
  }

  /**
   * Tags every step of the pipeline, as Kedro's {@code pipeline(..., tags=...)} does: the tags are added to each
   * step's own, so {@code withTags} selects by them and a pipeline that includes this one keeps them. Calls accumulate.
   *
   * @param values tags, each following {@link Names#NAME_RULE}
   * @return this builder
   * @throws IllegalArgumentException if a tag is illegal
   * @since 0.1.0
   */
  public PipelineBuilder tags(String... values) {
    Objects.requireNonNull(values, "tags");
    for (String tag : values) {
      tags.add(Names.requireValidName("tag", Objects.requireNonNull(tag, "tag")));
    }
    return this;
  }

  /**
   * Declares datasets that come from outside the pipeline: no step produces them, and the run supplies them.
   *
   * @param datasets the external inputs
   * @return this builder
   */
  public PipelineBuilder external(Dataset<?>... datasets) {
    Objects.requireNonNull(datasets, "datasets");
    for (int i = 0; i < datasets.length; i++) {
      Dataset<?> d = Objects.requireNonNull(datasets[i], "datasets[" + i + "]");
      Dataset<?> previous = explicitExternals.putIfAbsent(d.name(), d);
      if (previous != null && !previous.equals(d)) {
        problems.add("external dataset '" + d.name() + "' is declared twice with different types: " + previous.type()
            + " and " + d.type());
      }
    }
    return this;
  }

  /**
   * Sets the retry policy of every step that does not set its own.
   *
   * @param policy the default policy
   * @return this builder
   * @throws IllegalStateException if a default was already set
   */
  public PipelineBuilder defaultRetry(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (defaultRetry != null) {
      throw new IllegalStateException("pipeline '" + name + "': defaultRetry is already set (to " + defaultRetry
          + "); set it once");
    }
    defaultRetry = policy;
    return this;
  }

  /**
   * Adds every step of another pipeline, under the same names. A step that is already present is allowed only if the
   * two definitions are identical; otherwise {@link #build()} reports a duplicate name, saying where each came from.
   * Steps without a retry policy of their own keep the included pipeline's default.
   *
   * @param other the pipeline to include
   * @return this builder
   */
  public PipelineBuilder include(Pipeline other) {
    Objects.requireNonNull(other, "other");
    String origin = "included from pipeline '" + other.name() + "'";
    for (Step step : other.steps()) {
      add(keepDefault(step, other), origin);
    }
    for (Dataset<?> d : other.externalInputs()) {
      inheritedExternals.putIfAbsent(d.name(), d);
    }
    return this;
  }

  /**
   * Adds every step of another pipeline under a namespace, like Kedro's modular pipelines. Step {@code s} becomes
   * {@code namespace.s} and dataset {@code d} becomes {@code namespace/d}, except the {@code shared} datasets, which
   * keep their names and so connect the included steps to the rest of this pipeline.
   *
   * <pre>{@code
   * Pipeline features = ...;   // reads "raw", writes "features"
   * Pipeline both = Pipeline.builder("both")
   *     .include("eu", features, raw)   // steps eu.*, reads raw, writes eu/features
   *     .include("us", features, raw)   // steps us.*, reads raw, writes us/features
   *     .external(raw)
   *     .build();
   * }</pre>
   *
   * <p>It is {@code include(other, in -> in.namespace(namespace).keep(shared))}.
   *
   * @param namespace the prefix, following {@link Names#NAME_RULE}; checked by {@link #build()}
   * @param other the pipeline to include
   * @param shared datasets that keep their names; one the included pipeline does not have is reported by
   *     {@link #build()}
   * @return this builder
   */
  public PipelineBuilder include(String namespace, Pipeline other, Dataset<?>... shared) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(other, "other");
    Objects.requireNonNull(shared, "shared");
    for (int i = 0; i < shared.length; i++) {
      Objects.requireNonNull(shared[i], "shared[" + i + "]");
    }
    return include(other, in -> in.namespace(namespace).keep(shared));
  }

  /**
   * Adds every step of another pipeline, as the {@link Inclusion} says: under a namespace, with datasets renamed at
   * the boundary, with another retry policy, with extra tags.
   *
   * @param other the pipeline to include
   * @param how the options of the inclusion
   * @return this builder
   * @since 0.1.0
   */
  public PipelineBuilder include(Pipeline other, Consumer<Inclusion> how) {
    Objects.requireNonNull(other, "other");
    Objects.requireNonNull(how, "how");
    Inclusion inclusion = new Inclusion();
    how.accept(inclusion);
    String namespace = inclusion.namespace;
    if (namespace != null && !Names.isValidName(namespace)) {
      Names.nameProblem("namespace", namespace).ifPresent(problems::add);
      return this;
    }
    Map<String, String> mapping = inclusion.mapping;
    java.util.List<String> unknown = new ArrayList<>();
    for (String from : mapping.keySet()) {
      if (!other.datasets().containsKey(from)) {
        unknown.add(from);
      }
    }
    java.util.Collections.sort(unknown);
    for (String from : unknown) {
      problems.add("the inclusion of pipeline '" + other.name() + "' maps dataset '" + from + "', which it does not "
          + "have" + Names.hint(from, other.datasets().keySet(), "datasets"));
    }
    java.util.function.UnaryOperator<Dataset<?>> names = d -> {
      String to = mapping.get(d.name());
      if (to != null) {
        return to.equals(d.name()) ? d : d.withName(to);
      }
      return namespace == null ? d : d.withName(namespace + "/" + d.name());
    };
    String origin = "included from pipeline '" + other.name() + "'" + (namespace == null ? ""
        : " under namespace '" + namespace + "'");
    for (Step step : other.steps()) {
      Step s = keepDefault(step, other);
      if (namespace != null || !mapping.isEmpty()) {
        s = s.renamed(namespace == null ? s.name() : namespace + "." + s.name(), names);
      }
      if (inclusion.retry != null) {
        s = s.withRetry(inclusion.retry);
      }
      add(s.withMoreTags(inclusion.tags), origin);
    }
    for (Dataset<?> d : Step.rename(List.copyOf(other.externalInputs()), names)) {
      inheritedExternals.putIfAbsent(d.name(), d);
    }
    return this;
  }

  /**
   * Validates the definition and returns the immutable pipeline. The builder is left unchanged and may be built again.
   *
   * <p>A pipeline without steps is allowed: it runs as a no-op that still records a run.
   *
   * <p>Every problem is reported at once: illegal, empty or duplicate names; a step without function;
   * retry counts or timeouts that are not positive; a dataset produced by two steps; an input that no step produces
   * and that is not declared {@link #external external}; a producer and a consumer that disagree on a dataset's type;
   * and cycles, each with its path.
   *
   * @return the pipeline
   * @throws PipelineDefinitionException listing every problem
   */
  public Pipeline build() {
    List<String> all = new ArrayList<>();
    Names.nameProblem("pipeline", name).ifPresent(all::add);
    for (StepDraft draft : drafts) {
      all.addAll(draft.problems);
    }
    all.addAll(problems);
    List<Step> tagged = steps;
    if (!tags.isEmpty()) {
      tagged = new ArrayList<>(steps.size());
      for (Step step : steps) {
        tagged.add(step.withMoreTags(tags));
      }
    }
    return PipelineValidator.validate(name, description == null ? "" : description, tagged, explicitExternals,
        inheritedExternals, defaultRetry == null ? RetryPolicy.none() : defaultRetry, all,
        java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(tags)));
  }

  /** An included step keeps its pipeline's default retry policy. */
  private static Step keepDefault(Step step, Pipeline origin) {
    RetryPolicy policy = origin.defaultRetry();
    return policy.equals(RetryPolicy.none()) ? step : step.withDefaultRetry(policy);
  }

  private void add(Step step, String origin) {
    Integer existing = stepIndex.get(step.name());
    if (existing == null) {
      Names.nameProblem("step", step.name()).ifPresent(problems::add);
      stepIndex.put(step.name(), steps.size());
      steps.add(step);
      origins.add(origin);
    } else if (!steps.get(existing).equals(step)) {
      problems.add("duplicate step name '" + step.name() + "': two different steps share it, "
          + (origins.get(existing).equals(origin) ? "both " + origin : "one " + origins.get(existing) + " and one "
          + origin) + "; give each step a name of its own");
    }
  }
}
