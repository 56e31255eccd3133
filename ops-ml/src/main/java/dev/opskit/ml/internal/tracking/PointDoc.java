package dev.opskit.ml.internal.tracking;

import dev.opskit.ml.tracking.MetricPoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metric point as stored: the body of a metric record, and the latest point of a key in a run's body.
 *
 * @param key the metric key
 * @param value the value
 * @param step the step
 * @param at when it was logged
 * @param seq the run handle's write counter when it was logged, which orders points of equal step and time
 */
record PointDoc(String key, double value, long step, Instant at, long seq) {
  /** Tells whether this point supersedes another as the latest: a higher step, then a later time, then a later write. */
  boolean supersedes(PointDoc other) {
    if (step != other.step) {
      return step > other.step;
    }
    int byTime = at.compareTo(other.at);
    return byTime != 0 ? byTime > 0 : seq > other.seq;
  }

  MetricPoint metric() {
    return new MetricPoint(key, value, step, at);
  }

  /** The record key: unique per point, and in logging order among the points of one key and step. */
  String recordKey(String runId) {
    return runId + "/" + key + "/" + String.format("%019d/%019d", step, seq);
  }

  Map<String, Object> attributes(String runId) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", runId);
    out.put("key", key);
    out.put("step", step);
    out.put("value", value);
    out.put("at", at);
    return out;
  }

  String json() {
    return TrackingImpl.JSON.writeValueAsString(this);
  }

  static PointDoc parse(String json) {
    return TrackingImpl.JSON.readValue(json, PointDoc.class);
  }
}
