package dev.opskit.ml.internal.tracking;

import dev.opskit.Names;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.MetricPoint;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.ml.tracking.TrackingRun;
import dev.opskit.ml.tracking.TrackingRunRecord;
import dev.opskit.ml.tracking.TrackingStatus;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * An active run. Every write is one transaction that reads the run record, checks that the run is still running,
 * and writes the record back at the version it read; a conflict re-reads and retries, so concurrent writers never lose
 * an update, and a write that races with the end either lands before it or fails. Thread-safe.
 */
final class TrackingRunImpl implements TrackingRun {
  private final TrackingImpl tracking;
  private final String id;
  private final String experiment;
  private final @Nullable String pipelineRun;
  /** How the run ended, once this handle knows; null while it runs. */
  private final AtomicReference<@Nullable TrackingStatus> ended = new AtomicReference<>();
  /** The next automatic step of each metric key. */
  private final Map<String, AtomicLong> nextStep = new ConcurrentHashMap<>();
  /** Orders this handle's metric points; part of their record keys. */
  private final AtomicLong points = new AtomicLong();
  /** Inputs known to be stored, so that an input loaded again costs no transaction. */
  private final Set<DatasetInput> storedInputs = ConcurrentHashMap.newKeySet();

  TrackingRunImpl(TrackingImpl tracking, String id, String experiment, @Nullable String pipelineRun) {
    this.tracking = tracking;
    this.id = id;
    this.experiment = experiment;
    this.pipelineRun = pipelineRun;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String experiment() {
    return experiment;
  }

  @Override
  public Optional<String> pipelineRun() {
    return Optional.ofNullable(pipelineRun);
  }

  @Override
  public boolean isActive() {
    return ended.get() == null;
  }

  @Override
  public void logParam(String key, Object value) {
    Objects.requireNonNull(value, "value");
    putParams(Map.of(key, value));
  }

  @Override
  public void logParams(Map<String, ?> params) {
    Objects.requireNonNull(params, "params");
    putParams(params);
  }

  private void putParams(Map<String, ?> params) {
    Map<String, String> text = new LinkedHashMap<>();
    params.forEach((key, value) -> {
      Rules.key("param key", key);
      Objects.requireNonNull(value, () -> "param " + Names.quote(key) + " has a null value; log a value or leave it out");
      text.put(key, Rules.value("param", key, String.valueOf(value)));
    });
    if (text.isEmpty()) {
      return;
    }
    write("log params " + text.keySet(), (tx, doc) -> {
      Map<String, String> added = new LinkedHashMap<>();
      text.forEach((key, value) -> {
        String old = doc.params().get(key);
        if (old == null) {
          added.put(key, value);
        } else if (!old.equals(value)) {
          throw new IllegalStateException("param " + Names.quote(key) + " of tracking run " + id + " is already "
              + Names.quote(old) + " and cannot become " + Names.quote(value)
              + ": params are immutable; log the new value under another key, or start a new run");
        }
      });
      return added.isEmpty() ? null : doc.withParams(added);
    });
  }

  @Override
  public MetricPoint logMetric(String key, double value) {
    Rules.key("metric key", key);
    Rules.finite(key, value);
    checkActive("log metric " + Names.quote(key));
    long step = nextStep.computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement();
    return writePoint(key, value, step);
  }

  @Override
  public MetricPoint logMetric(String key, double value, long step) {
    Rules.key("metric key", key);
    Rules.finite(key, value);
    Rules.step(key, step);
    checkActive("log metric " + Names.quote(key));
    nextStep.computeIfAbsent(key, k -> new AtomicLong()).accumulateAndGet(step == Long.MAX_VALUE ? step : step + 1,
        Math::max);
    return writePoint(key, value, step);
  }

  private MetricPoint writePoint(String key, double value, long step) {
    PointDoc point = new PointDoc(key, value, step, tracking.now(), points.incrementAndGet());
    write("log metric " + Names.quote(key), (tx, doc) -> {
      tx.insert(Tracking.METRIC_COLLECTION, point.recordKey(id), point.json(), point.attributes(id));
      return doc.withPoint(point);
    });
    return point.metric();
  }

  @Override
  public void setTag(String key, String value) {
    Rules.key("tag key", key);
    Objects.requireNonNull(value, "value");
    Rules.value("tag", key, value);
    write("set tag " + Names.quote(key), (tx, doc) -> value.equals(doc.tags().get(key)) ? null
        : doc.withTag(key, value));
  }

  @Override
  public String logArtifact(String name, byte[] content) {
    Objects.requireNonNull(content, "content");
    Rules.key("artifact name", name);
    checkActive("log artifact " + Names.quote(name));
    return recordArtifact(name, tracking.blobs().put(content).id());
  }

  @Override
  public String logArtifact(String name, InputStream content) {
    Objects.requireNonNull(content, "content");
    Rules.key("artifact name", name);
    checkActive("log artifact " + Names.quote(name));
    return recordArtifact(name, tracking.blobs().put(content).id());
  }

  /**
   * Pins the blob and names it in the run. Between the put and the pin, the blob is as safe as any fresh blob: dataset
   * garbage collection spares blobs stored within its grace period.
   */
  private String recordArtifact(String name, String blobId) {
    write("log artifact " + Names.quote(name), (tx, doc) -> {
      String old = doc.artifacts().get(name);
      if (old != null && !old.equals(blobId)) {
        throw new IllegalStateException("artifact " + Names.quote(name) + " of tracking run " + id
            + " is already blob " + old + " and cannot become blob " + blobId
            + ": artifacts are immutable; log the new content under another name");
      }
      if (tx.get(TrackingImpl.BLOB_PINS, blobId).isEmpty()) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("owner", "tracking");
        attributes.put("run", id);
        attributes.put("artifact", name);
        String body = TrackingImpl.JSON.writeValueAsString(attributes);
        tx.insert(TrackingImpl.BLOB_PINS, blobId, body, attributes);
      }
      return old == null ? doc.withArtifact(name, blobId) : null;
    });
    return blobId;
  }

  @Override
  public void logInput(String dataset, String versionId, String context) {
    DatasetInput input = new DatasetInput(dataset, versionId, context);
    checkActive("log input " + Names.quote(dataset));
    if (storedInputs.contains(input)) {
      return;
    }
    write("log input " + Names.quote(dataset), (tx, doc) -> doc.inputs().contains(input) ? null
        : doc.withInput(input));
    storedInputs.add(input);
  }

  @Override
  public TrackingRunRecord record() {
    return tracking.find(id).orElseThrow(() -> new IllegalStateException("tracking run " + id
        + " is no longer in the workspace's metadata store"));
  }

  @Override
  public void end(TrackingStatus status) {
    Objects.requireNonNull(status, "status");
    if (!status.isTerminal()) {
      throw new IllegalArgumentException("a tracking run ends as FINISHED, FAILED or KILLED, got " + status);
    }
    String action = "end as " + status;
    checkActive(action);
    write(action, (tx, doc) -> doc.ended(status, tracking.now()));
    ended.compareAndSet(null, status);
  }

  @Override
  public void close() {
    if (ended.get() != null) {
      return;
    }
    try {
      end(TrackingStatus.FINISHED);
    } catch (IllegalStateException e) {
      if (ended.get() == null) {
        throw e;
      }
      // Ended by another thread, or elsewhere, meanwhile: as the contract says, nothing to do.
    }
  }

  @Override
  public String toString() {
    TrackingStatus how = ended.get();
    return "TrackingRun[" + id + " of " + experiment + ", " + (how == null ? TrackingStatus.RUNNING : how) + "]";
  }

  private void checkActive(String action) {
    TrackingStatus how = ended.get();
    if (how != null) {
      throw endedError(how, action);
    }
  }

  private IllegalStateException endedError(TrackingStatus how, String action) {
    return new IllegalStateException("tracking run " + id + " of experiment " + Names.quote(experiment)
        + " has ended as " + how + ", so it cannot " + action + "; start a new run to log more");
  }

  /**
   * Changes the run record in one transaction, retried on conflicts.
   *
   * @param change turns the stored document into the next one, or null to change nothing; it may write other records
   *     in the transaction
   */
  private void write(String action, BiFunction<Transaction, RunDoc, @Nullable RunDoc> change) {
    checkActive(action);
    tracking.transact(tx -> {
      StoredRecord record = tx.get(Tracking.RUN_COLLECTION, id).orElseThrow(() -> new IllegalStateException(
          "tracking run " + id + " is no longer in the workspace's metadata store, so it cannot " + action));
      RunDoc doc = RunDoc.parse(record.body());
      if (doc.status().isTerminal()) {
        ended.compareAndSet(null, doc.status());
        throw endedError(doc.status(), action);
      }
      RunDoc next = change.apply(tx, doc);
      if (next != null) {
        tx.update(record, next.json(), next.attributes());
      }
      return next;
    });
  }
}
