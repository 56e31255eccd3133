package dev.opskit.ml.tracking;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A tracking run as stored: what it logged, read back at one moment. Immutable; maps iterate in key order.
 *
 * <p>The full history of a metric is read with {@link Tracking#metricHistory(String, String)}; this record carries the
 * latest value of each, the one at the highest step (the later logged among equal steps), as MLflow does.
 *
 * @param id the run id
 * @param experiment the experiment name
 * @param status the status
 * @param startedAt when the run started, on the workspace's clock
 * @param endedAt when it ended, or null while it runs
 * @param pipelineRun the id of the pipeline run it tracks, or null for a run started by hand
 * @param params the parameters, as text
 * @param latestMetrics the latest value of each metric, by key
 * @param tags the tags
 * @param artifacts the blob id of each artifact, by name
 * @param inputs the dataset versions read, in the order first logged
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record TrackingRunRecord(String id, String experiment, TrackingStatus status, Instant startedAt,
    @Nullable Instant endedAt, @Nullable String pipelineRun, Map<String, String> params,
    Map<String, MetricPoint> latestMetrics, Map<String, String> tags, Map<String, String> artifacts,
    List<DatasetInput> inputs) {
  /**
   * Checks and copies the components.
   *
   * @param id the run id
   * @param experiment the experiment
   * @param status the status
   * @param startedAt the start
   * @param endedAt the end, or null
   * @param pipelineRun the pipeline run, or null
   * @param params the parameters
   * @param latestMetrics the latest metrics
   * @param tags the tags
   * @param artifacts the artifacts
   * @param inputs the inputs
   */
  public TrackingRunRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    params = sorted(params, "params");
    latestMetrics = sorted(latestMetrics, "latestMetrics");
    tags = sorted(tags, "tags");
    artifacts = sorted(artifacts, "artifacts");
    inputs = List.copyOf(inputs);
    if (status.isTerminal() != (endedAt != null)) {
      throw new IllegalArgumentException("a " + status + " run " + (endedAt == null ? "needs" : "has no")
          + " end time, got endedAt=" + endedAt);
    }
  }

  /**
   * Returns the latest value of every metric, by key, the form a model's provenance takes.
   *
   * @return the values, in key order
   */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new TreeMap<>();
    latestMetrics.forEach((k, m) -> out.put(k, m.value()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the latest value of one metric.
   *
   * @param key the metric key
   * @return the value, or empty if the run never logged it
   */
  public Optional<Double> metric(String key) {
    return Optional.ofNullable(latestMetrics.get(key)).map(MetricPoint::value);
  }

  /**
   * Returns one parameter.
   *
   * @param key the parameter key
   * @return its value, or empty if the run never logged it
   */
  public Optional<String> param(String key) {
    return Optional.ofNullable(params.get(key));
  }

  /**
   * Returns the inputs read in one context.
   *
   * @param context the context, such as {@code "evaluation"}
   * @return those inputs, in the order first logged
   */
  public List<DatasetInput> inputs(String context) {
    Objects.requireNonNull(context, "context");
    return inputs.stream().filter(i -> i.context().equals(context)).toList();
  }

  private static <V> Map<String, V> sorted(Map<String, V> map, String name) {
    Objects.requireNonNull(map, name);
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
