package dev.opskit.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One unit of work in a {@link Pipeline}: a name, typed inputs and outputs, a function, and its policies.
 *
 * <p>Steps are declared through {@link PipelineBuilder#step(String, java.util.function.Consumer)} and are immutable.
 * A step that belongs to an included pipeline keeps the dataset handles its function was written against
 * ({@link #declaredInputs()}) while {@link #inputs()} gives the names it has in the combined pipeline.
 *
 * <p>Two steps are equal when every part of their definition is equal, the user's function object
 * ({@link #implementation()}) compared by identity. A combined pipeline may hold the same step twice only if the two
 * are equal.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Step {
  private final String name;
  private final String description;
  private final List<Dataset<?>> inputs;
  private final List<Dataset<?>> outputs;
  private final List<Dataset<?>> declaredInputs;
  private final List<Dataset<?>> declaredOutputs;
  private final SortedMap<String, Object> params;
  private final SortedSet<String> tags;
  private final @Nullable String codeVersion;
  private final @Nullable RetryPolicy retry;
  private final @Nullable Duration timeout;
  private final @Nullable Freshness freshness;
  private final StepFunction function;
  private final Object implementation;
  /** For steps with many inputs or outputs: handle to position, built on first lookup. */
  private volatile java.util.@Nullable Map<Dataset<?>, Integer> inputPositions;
  private volatile java.util.@Nullable Map<Dataset<?>, Integer> outputPositions;

  Step(String name, String description, List<Dataset<?>> inputs, List<Dataset<?>> outputs,
      List<Dataset<?>> declaredInputs, List<Dataset<?>> declaredOutputs, SortedMap<String, Object> params,
      SortedSet<String> tags, @Nullable String codeVersion, @Nullable RetryPolicy retry, @Nullable Duration timeout,
      @Nullable Freshness freshness, StepFunction function, Object implementation) {
    this.name = name;
    this.description = description;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.declaredInputs = List.copyOf(declaredInputs);
    this.declaredOutputs = List.copyOf(declaredOutputs);
    this.params = params;
    this.tags = tags;
    this.codeVersion = codeVersion;
    this.retry = retry;
    this.timeout = timeout;
    this.freshness = freshness;
    this.function = function;
    this.implementation = implementation;
  }

  /**
   * Returns the step name, unique within its pipeline.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the description, or an empty string.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * Returns the inputs under their names in the pipeline.
   *
   * @return the inputs, in declaration order
   */
  public List<Dataset<?>> inputs() {
    return inputs;
  }

  /**
   * Returns the outputs under their names in the pipeline.
   *
   * @return the outputs, in declaration order; empty for a step run for its side effects (notify, publish, export)
   */
  public List<Dataset<?>> outputs() {
    return outputs;
  }

  /**
   * Returns the inputs as the step's function knows them. They differ from {@link #inputs()} only in a namespaced,
   * included pipeline.
   *
   * @return the declared inputs, in declaration order
   */
  public List<Dataset<?>> declaredInputs() {
    return declaredInputs;
  }

  /**
   * Returns the outputs as the step's function knows them.
   *
   * @return the declared outputs, in declaration order
   */
  public List<Dataset<?>> declaredOutputs() {
    return declaredOutputs;
  }

  /**
   * Finds the position of an input, given either its pipeline handle or the handle the function was declared with.
   *
   * @param dataset the handle
   * @return the index in {@link #inputs()}, or -1
   */
  public int inputIndex(Dataset<?> dataset) {
    if (inputs.size() <= 8) {
      return indexOf(dataset, inputs, declaredInputs);
    }
    java.util.Map<Dataset<?>, Integer> positions = inputPositions;
    if (positions == null) {
      positions = positions(inputs, declaredInputs);
      inputPositions = positions;
    }
    return positions.getOrDefault(Objects.requireNonNull(dataset, "dataset"), -1);
  }

  /**
   * Finds the position of an output, given either its pipeline handle or the handle the function was declared with.
   *
   * @param dataset the handle
   * @return the index in {@link #outputs()}, or -1
   */
  public int outputIndex(Dataset<?> dataset) {
    if (outputs.size() <= 8) {
      return indexOf(dataset, outputs, declaredOutputs);
    }
    java.util.Map<Dataset<?>, Integer> positions = outputPositions;
    if (positions == null) {
      positions = positions(outputs, declaredOutputs);
      outputPositions = positions;
    }
    return positions.getOrDefault(Objects.requireNonNull(dataset, "dataset"), -1);
  }

  private static java.util.Map<Dataset<?>, Integer> positions(List<Dataset<?>> resolved, List<Dataset<?>> declared) {
    java.util.Map<Dataset<?>, Integer> map = new java.util.HashMap<>(resolved.size() * 4);
    for (int i = resolved.size() - 1; i >= 0; i--) {
      map.put(resolved.get(i), i);
    }
    for (int i = declared.size() - 1; i >= 0; i--) {
      map.put(declared.get(i), i);
    }
    return map;
  }

  /**
   * Returns the parameters, sorted by key. Values are strings, booleans, numbers, and lists and maps of them.
   *
   * @return the parameters
   */
  public SortedMap<String, Object> params() {
    return params;
  }

  /**
   * Returns the tags, sorted.
   *
   * @return the tags
   */
  public Set<String> tags() {
    return tags;
  }

  /**
   * Returns the code version, if one was set.
   *
   * @return the code version
   */
  public Optional<String> codeVersion() {
    return Optional.ofNullable(codeVersion);
  }

  /**
   * Returns the step's own retry policy; when empty the pipeline default applies.
   *
   * @return the retry policy
   */
  public Optional<RetryPolicy> retry() {
    return Optional.ofNullable(retry);
  }

  /**
   * Returns the timeout of each attempt, if any.
   *
   * @return the timeout
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * Returns the step's own freshness rule. When empty, a step with dataset inputs is cached on its fingerprint and a
   * step without (a source) runs on every run; see {@link Freshness}.
   *
   * @return the freshness rule
   * @since 0.1.0
   */
  public Optional<Freshness> freshness() {
    return Optional.ofNullable(freshness);
  }

  /**
   * Tells whether the step reads no dataset: a source, which runs on every run unless it declares a
   * {@link #freshness() freshness} rule.
   *
   * @return true if {@link #inputs()} is empty
   * @since 0.1.0
   */
  public boolean isSource() {
    return inputs.isEmpty();
  }

  /**
   * Returns the function the runner calls.
   *
   * @return the function
   */
  public StepFunction function() {
    return function;
  }

  /**
   * Returns the object the user supplied as the step's work: the lambda or method reference given to {@code apply} or
   * {@code run}. Code-version derivation inspects its class.
   *
   * @return the user's function object
   */
  public Object implementation() {
    return implementation;
  }

  /** This step with a retry policy, if it has none of its own; used to keep an included pipeline's default. */
  Step withDefaultRetry(RetryPolicy policy) {
    if (retry != null) {
      return this;
    }
    return new Step(name, description, inputs, outputs, declaredInputs, declaredOutputs, params, tags, codeVersion,
        policy, timeout, freshness, function, implementation);
  }

  /** This step with another retry policy, own or not; used when an inclusion overrides the policy. */
  Step withRetry(RetryPolicy policy) {
    return new Step(name, description, inputs, outputs, declaredInputs, declaredOutputs, params, tags, codeVersion,
        policy, timeout, freshness, function, implementation);
  }

  /** This step with more tags; used for the tags of the pipeline it is declared in or included from. */
  Step withMoreTags(Set<String> more) {
    if (more.isEmpty() || tags.containsAll(more)) {
      return this;
    }
    java.util.TreeSet<String> all = new java.util.TreeSet<>(tags);
    all.addAll(more);
    return new Step(name, description, inputs, outputs, declaredInputs, declaredOutputs, params,
        java.util.Collections.unmodifiableSortedSet(all), codeVersion, retry, timeout, freshness, function,
        implementation);
  }

  /**
   * This step under a namespace: its name gets the prefix {@code namespace.}, and each dataset is renamed by
   * {@code names} (the mapping of the inclusion, with the namespace applied to the datasets it does not map).
   */
  Step renamed(String newName, java.util.function.UnaryOperator<Dataset<?>> names) {
    return new Step(newName, description, rename(inputs, names), rename(outputs, names), declaredInputs,
        declaredOutputs, params, tags, codeVersion, retry, timeout, freshness, function, implementation);
  }

  static List<Dataset<?>> rename(List<Dataset<?>> datasets, java.util.function.UnaryOperator<Dataset<?>> names) {
    List<Dataset<?>> out = new ArrayList<>(datasets.size());
    for (Dataset<?> d : datasets) {
      out.add(names.apply(d));
    }
    return out;
  }

  private static int indexOf(Dataset<?> dataset, List<Dataset<?>> resolved, List<Dataset<?>> declared) {
    Objects.requireNonNull(dataset, "dataset");
    for (int i = 0; i < declared.size(); i++) {
      if (declared.get(i).equals(dataset)) {
        return i;
      }
    }
    for (int i = 0; i < resolved.size(); i++) {
      if (resolved.get(i).equals(dataset)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Step)) {
      return false;
    }
    Step other = (Step) o;
    return name.equals(other.name) && description.equals(other.description) && inputs.equals(other.inputs)
        && outputs.equals(other.outputs) && declaredInputs.equals(other.declaredInputs)
        && declaredOutputs.equals(other.declaredOutputs) && params.equals(other.params) && tags.equals(other.tags)
        && Objects.equals(codeVersion, other.codeVersion) && Objects.equals(retry, other.retry)
        && Objects.equals(timeout, other.timeout) && Objects.equals(freshness, other.freshness)
        && implementation == other.implementation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, inputs, outputs, params, tags, codeVersion, System.identityHashCode(implementation));
  }

  @Override
  public String toString() {
    return "Step[" + name + ": " + names(inputs) + " -> " + names(outputs) + "]";
  }

  private static String names(List<Dataset<?>> datasets) {
    StringBuilder sb = new StringBuilder("[");
    for (Dataset<?> d : datasets) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(d.name());
    }
    return sb.append(']').toString();
  }
}
