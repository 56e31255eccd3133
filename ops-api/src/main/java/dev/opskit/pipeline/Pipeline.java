package dev.opskit.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * An immutable, validated graph of {@link Step steps} connected by the {@link Dataset datasets} they read and write.
 *
 * <pre>{@code
 * Pipeline training = Pipeline.builder("churn-training")
 *     .external(raw)
 *     .step("clean", s -> s.reads(raw).writes(clean).apply(Cleaning::clean))
 *     .step("features", s -> s.reads(clean).writes(features).apply(Features::of))
 *     .step("train", s -> s.reads(features).writes(model)
 *         .retry(RetryPolicy.exponential(3, Duration.ofSeconds(1)))
 *         .timeout(Duration.ofMinutes(10))
 *         .apply(Trainer::fit))
 *     .build();
 * }</pre>
 *
 * <p>{@link #steps()} lists the steps in a deterministic topological order: among steps whose inputs are ready, the
 * one declared first comes first. The direct executor runs them in exactly that order. A pipeline may have no steps
 * (it runs as a no-op that records a run), and a step may have no outputs (it runs for its side effects). The index of a step in that list is its <em>position</em>, used by the index-based
 * queries that runtimes use. A pipeline is thread-safe and may be run any number of times, concurrently.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Pipeline {
  private final String name;
  private final String description;
  private final List<Step> steps;
  private final Map<String, Integer> positions;
  private final int[][] upstream;
  private final int[][] downstream;
  private final Map<String, Integer> producers;
  private final Map<String, Dataset<?>> datasets;
  private final Set<Dataset<?>> externals;
  private final RetryPolicy defaultRetry;
  private final Set<String> tags;

  Pipeline(String name, String description, List<Step> steps, int[][] upstream, int[][] downstream,
      Map<String, Integer> producers, Map<String, Dataset<?>> datasets, Set<Dataset<?>> externals,
      RetryPolicy defaultRetry, Set<String> tags) {
    this.name = name;
    this.description = description;
    this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
    this.positions = new HashMap<>(Math.max(16, steps.size() * 2));
    for (int i = 0; i < steps.size(); i++) {
      positions.put(steps.get(i).name(), i);
    }
    this.upstream = upstream;
    this.downstream = downstream;
    this.producers = producers;
    this.datasets = Collections.unmodifiableMap(datasets);
    this.externals = Collections.unmodifiableSet(externals);
    this.defaultRetry = defaultRetry;
    this.tags = tags;
  }

  /**
   * Starts declaring a pipeline.
   *
   * @param name the pipeline name, following {@link dev.opskit.Names#NAME_RULE}; checked by
   *     {@link PipelineBuilder#build()}
   * @return a new builder
   */
  public static PipelineBuilder builder(String name) {
    return new PipelineBuilder(name);
  }

  /**
   * Returns the pipeline name.
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
   * Returns the steps in deterministic topological order.
   *
   * @return the steps
   */
  public List<Step> steps() {
    return steps;
  }

  /**
   * Returns the number of steps.
   *
   * @return the step count
   */
  public int size() {
    return steps.size();
  }

  /**
   * Finds a step by name.
   *
   * @param stepName the step name
   * @return the step, or empty
   */
  public Optional<Step> step(String stepName) {
    Objects.requireNonNull(stepName, "stepName");
    Integer position = positions.get(stepName);
    return position == null ? Optional.empty() : Optional.of(steps.get(position));
  }

  /**
   * Returns the position of a step in {@link #steps()}.
   *
   * @param stepName the step name
   * @return the position, or -1 if there is no such step
   */
  public int positionOf(String stepName) {
    Objects.requireNonNull(stepName, "stepName");
    Integer position = positions.get(stepName);
    return position == null ? -1 : position;
  }

  /**
   * Returns the positions of the steps that produce a step's inputs, ascending. The array is a copy.
   *
   * @param position a step position
   * @return the producers' positions
   * @throws IndexOutOfBoundsException if there is no step at {@code position}
   */
  public int[] upstreamOf(int position) {
    return upstream[Objects.checkIndex(position, steps.size())].clone();
  }

  /**
   * Returns the positions of the steps that read a step's outputs, ascending. The array is a copy.
   *
   * @param position a step position
   * @return the consumers' positions
   * @throws IndexOutOfBoundsException if there is no step at {@code position}
   */
  public int[] downstreamOf(int position) {
    return downstream[Objects.checkIndex(position, steps.size())].clone();
  }

  /**
   * Returns how many steps produce a step's inputs, without copying anything; with {@link #upstreamAt} it lets a
   * runtime walk the graph without allocating.
   *
   * @param position a step position
   * @return the number of producers
   */
  public int upstreamCount(int position) {
    return upstream[position].length;
  }

  /**
   * Returns one producer of a step's inputs.
   *
   * @param position a step position
   * @param k which producer, from 0 to {@code upstreamCount(position) - 1}, ascending
   * @return the producer's position
   */
  public int upstreamAt(int position, int k) {
    return upstream[position][k];
  }

  /**
   * Returns how many steps read a step's outputs, without copying anything.
   *
   * @param position a step position
   * @return the number of consumers
   */
  public int downstreamCount(int position) {
    return downstream[position].length;
  }

  /**
   * Returns one consumer of a step's outputs.
   *
   * @param position a step position
   * @param k which consumer, from 0 to {@code downstreamCount(position) - 1}, ascending
   * @return the consumer's position
   */
  public int downstreamAt(int position, int k) {
    return downstream[position][k];
  }

  /**
   * Returns the position of the step that produces a dataset.
   *
   * @param datasetName the dataset name
   * @return the producer's position, or -1 for an external input or an unknown name
   */
  public int producerPosition(String datasetName) {
    Integer position = producers.get(datasetName);
    return position == null ? -1 : position;
  }

  /**
   * Returns the steps that produce a step's inputs.
   *
   * @param stepName the step name
   * @return the producers, in topological order
   * @throws IllegalArgumentException if there is no such step
   */
  public List<Step> upstream(String stepName) {
    return stepsAt(upstream[requirePosition(stepName)]);
  }

  /**
   * Returns the steps that read a step's outputs.
   *
   * @param stepName the step name
   * @return the consumers, in topological order
   * @throws IllegalArgumentException if there is no such step
   */
  public List<Step> downstream(String stepName) {
    return stepsAt(downstream[requirePosition(stepName)]);
  }

  /**
   * Finds the step that produces a dataset.
   *
   * @param datasetName the dataset name
   * @return the producer, or empty for an external input or an unknown name
   */
  public Optional<Step> producerOf(String datasetName) {
    Objects.requireNonNull(datasetName, "datasetName");
    Integer position = producers.get(datasetName);
    return position == null ? Optional.empty() : Optional.of(steps.get(position));
  }

  /**
   * Returns every dataset the pipeline reads or writes, under the type its producer writes (or, for an external
   * input, its declared type).
   *
   * @return the datasets by name
   */
  public Map<String, Dataset<?>> datasets() {
    return datasets;
  }

  /**
   * Returns the datasets that no step produces; a run must supply them.
   *
   * @return the external inputs
   */
  public Set<Dataset<?>> externalInputs() {
    return externals;
  }

  /**
   * Returns the tags set on the pipeline itself with {@link PipelineBuilder#tags(String...)}; every step carries them
   * among its own.
   *
   * @return the tags, sorted
   * @since 0.1.0
   */
  public Set<String> tags() {
    return tags;
  }

  /**
   * Returns the retry policy of steps that set none.
   *
   * @return the default retry policy
   */
  public RetryPolicy defaultRetry() {
    return defaultRetry;
  }

  /**
   * Returns the retry policy that applies to a step: its own, or the pipeline default.
   *
   * @param step a step of this pipeline
   * @return the effective policy
   */
  public RetryPolicy retryOf(Step step) {
    return step.retry().orElse(defaultRetry);
  }

  /**
   * Exports the pipeline as a Mermaid flowchart: steps are boxes, datasets are stadiums, and edges follow the data.
   *
   * @return Mermaid source text
   */
  public String toMermaid() {
    return GraphExport.mermaid(this);
  }

  /**
   * Exports the pipeline as a Graphviz DOT digraph: steps are boxes, datasets are ellipses, external inputs are dashed.
   *
   * @return DOT source text
   */
  public String toDot() {
    return GraphExport.dot(this);
  }

  @Override
  public String toString() {
    return "Pipeline[" + name + ", " + steps.size() + " steps]";
  }

  private int requirePosition(String stepName) {
    int position = positionOf(stepName);
    if (position < 0) {
      throw new IllegalArgumentException("pipeline '" + name + "' has no step '" + stepName + "'"
          + dev.opskit.Names.hint(stepName, positions.keySet(), "steps"));
    }
    return position;
  }

  private List<Step> stepsAt(int[] positionsOf) {
    List<Step> out = new ArrayList<>(positionsOf.length);
    for (int p : positionsOf) {
      out.add(steps.get(p));
    }
    return Collections.unmodifiableList(out);
  }

  static String preview(Collection<String> names) {
    List<String> sorted = new ArrayList<>(names);
    Collections.sort(sorted);
    if (sorted.size() <= 20) {
      return sorted.toString();
    }
    return sorted.subList(0, 20) + " and " + (sorted.size() - 20) + " more";
  }
}
