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
    add(draft.toStep());
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
   * two definitions are identical; otherwise {@link #build()} reports a duplicate name. Steps without a retry policy
   * of their own keep the included pipeline's default.
   *
   * @param other the pipeline to include
   * @return this builder
   */
  public PipelineBuilder include(Pipeline other) {
    Objects.requireNonNull(other, "other");
    for (Step step : other.steps()) {
      add(keepDefault(step, other));
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
   * @param namespace the prefix, following {@link Names#NAME_RULE}; checked by {@link #build()}
   * @param other the pipeline to include
   * @param shared datasets that keep their names
   * @return this builder
   */
  public PipelineBuilder include(String namespace, Pipeline other, Dataset<?>... shared) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(other, "other");
    Objects.requireNonNull(shared, "shared");
    Names.nameProblem("namespace", namespace).ifPresent(problems::add);
    Set<String> sharedNames = new HashSet<>();
    for (int i = 0; i < shared.length; i++) {
      sharedNames.add(Objects.requireNonNull(shared[i], "shared[" + i + "]").name());
    }
    if (Names.isValidName(namespace)) {
      for (Step step : other.steps()) {
        add(keepDefault(step, other).namespaced(namespace, sharedNames));
      }
      for (Dataset<?> d : Step.rename(List.copyOf(other.externalInputs()), namespace, sharedNames)) {
        inheritedExternals.putIfAbsent(d.name(), d);
      }
    }
    return this;
  }

  /**
   * Validates the definition and returns the immutable pipeline. The builder is left unchanged and may be built again.
   *
   * <p>Every problem is reported at once: illegal, empty or duplicate names; a step without function or output;
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
    return PipelineValidator.validate(name, description == null ? "" : description, steps, explicitExternals,
        inheritedExternals, defaultRetry == null ? RetryPolicy.none() : defaultRetry, all);
  }

  /** An included step keeps its pipeline's default retry policy. */
  private static Step keepDefault(Step step, Pipeline origin) {
    RetryPolicy policy = origin.defaultRetry();
    return policy.equals(RetryPolicy.none()) ? step : step.withDefaultRetry(policy);
  }

  private void add(Step step) {
    Integer existing = stepIndex.get(step.name());
    if (existing == null) {
      Names.nameProblem("step", step.name()).ifPresent(problems::add);
      stepIndex.put(step.name(), steps.size());
      steps.add(step);
    } else if (!steps.get(existing).equals(step)) {
      problems.add("duplicate step name '" + step.name() + "': two different steps share it");
    }
  }
}
