package dev.opskit.ml.internal.tracking;

import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.MetricPoint;
import dev.opskit.ml.tracking.TrackingRunRecord;
import dev.opskit.ml.tracking.TrackingStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The body of a run record: everything a run logged except its metric history, and what its attributes are made of.
 * Immutable; every change returns a new document.
 *
 * @param id the run id
 * @param experiment the experiment
 * @param status the status
 * @param startedAt the start
 * @param endedAt the end, or null while running
 * @param pipelineRun the pipeline run tracked, or null
 * @param seq the store-wide start order, from a store counter
 * @param points how many metric points were logged
 * @param params the parameters
 * @param tags the tags
 * @param artifacts blob ids by artifact name
 * @param inputs the dataset inputs, in the order first logged
 * @param metrics the latest point of each metric key
 */
record RunDoc(String id, String experiment, TrackingStatus status, Instant startedAt, @Nullable Instant endedAt,
    @Nullable String pipelineRun, long seq, long points, Map<String, String> params, Map<String, String> tags,
    Map<String, String> artifacts, List<DatasetInput> inputs, Map<String, PointDoc> metrics) {
  RunDoc {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    params = new TreeMap<>(params);
    tags = new TreeMap<>(tags);
    artifacts = new TreeMap<>(artifacts);
    inputs = List.copyOf(inputs);
    metrics = new TreeMap<>(metrics);
  }

  static RunDoc started(String id, String experiment, Instant startedAt, @Nullable String pipelineRun, long seq,
      Map<String, String> tags) {
    return new RunDoc(id, experiment, TrackingStatus.RUNNING, startedAt, null, pipelineRun, seq, 0, Map.of(), tags,
        Map.of(), List.of(), Map.of());
  }

  RunDoc withParams(Map<String, String> more) {
    Map<String, String> next = new TreeMap<>(params);
    next.putAll(more);
    return new RunDoc(id, experiment, status, startedAt, endedAt, pipelineRun, seq, points, next, tags, artifacts,
        inputs, metrics);
  }

  RunDoc withTag(String key, String value) {
    Map<String, String> next = new TreeMap<>(tags);
    next.put(key, value);
    return new RunDoc(id, experiment, status, startedAt, endedAt, pipelineRun, seq, points, params, next, artifacts,
        inputs, metrics);
  }

  RunDoc withArtifact(String name, String blobId) {
    Map<String, String> next = new TreeMap<>(artifacts);
    next.put(name, blobId);
    return new RunDoc(id, experiment, status, startedAt, endedAt, pipelineRun, seq, points, params, tags, next,
        inputs, metrics);
  }

  RunDoc withInput(DatasetInput input) {
    List<DatasetInput> next = new ArrayList<>(inputs);
    next.add(input);
    return new RunDoc(id, experiment, status, startedAt, endedAt, pipelineRun, seq, points, params, tags, artifacts,
        next, metrics);
  }

  /** Counts a point, and keeps it as its key's latest if it supersedes the one kept. */
  RunDoc withPoint(PointDoc point) {
    Map<String, PointDoc> next = metrics;
    PointDoc latest = metrics.get(point.key());
    if (latest == null || point.supersedes(latest)) {
      next = new TreeMap<>(metrics);
      next.put(point.key(), point);
    }
    return new RunDoc(id, experiment, status, startedAt, endedAt, pipelineRun, seq, points + 1, params, tags,
        artifacts, inputs, next);
  }

  RunDoc ended(TrackingStatus how, Instant at) {
    return new RunDoc(id, experiment, how, startedAt, at, pipelineRun, seq, points, params, tags, artifacts, inputs,
        metrics);
  }

  /** The indexed attributes of the run record. */
  Map<String, Object> attributes() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("experiment", experiment);
    out.put("status", status.name());
    out.put("started_at", startedAt);
    if (endedAt != null) {
      out.put("ended_at", endedAt);
    }
    if (pipelineRun != null) {
      out.put("pipeline_run", pipelineRun);
    }
    out.put("seq", seq);
    return out;
  }

  TrackingRunRecord toRecord() {
    Map<String, MetricPoint> latest = new TreeMap<>();
    metrics.forEach((key, point) -> latest.put(key, point.metric()));
    return new TrackingRunRecord(id, experiment, status, startedAt, endedAt, pipelineRun, params, latest, tags,
        artifacts, inputs);
  }

  String json() {
    return TrackingImpl.JSON.writeValueAsString(this);
  }

  static RunDoc parse(String json) {
    return TrackingImpl.JSON.readValue(json, RunDoc.class);
  }
}
