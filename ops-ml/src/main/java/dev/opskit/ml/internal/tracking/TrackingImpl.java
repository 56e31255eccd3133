package dev.opskit.ml.internal.tracking;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.core.internal.ConflictRetry;
import dev.opskit.core.internal.Ulid;
import dev.opskit.ml.tracking.Autolog;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.MetricPoint;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.ml.tracking.TrackingRun;
import dev.opskit.ml.tracking.TrackingRunRecord;
import dev.opskit.store.Attributes;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tracking over a workspace's stores. Holds no state but the workspace's stores and clock, an id generator and the
 * jitter of conflict retries, both from one {@link SplittableRandom} seeded when it is made. Thread-safe.
 */
public final class TrackingImpl implements Tracking {
  /** The collection the dataset garbage collector reads pins from: the key is the blob id. */
  static final String BLOB_PINS = "blob-pin";
  /** The store counter that orders runs by start. */
  static final String RUN_COUNTER = "tracking-run";
  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final int MAX_LIMIT = 1000;
  /** Read-modify-write attempts before a conflict escapes; every failed attempt means another writer succeeded. */

  private final MetadataStore store;
  private final BlobStore blobs;
  private final Clock clock;
  private final Ulid ids;

  private TrackingImpl(MetadataStore store, BlobStore blobs, Clock clock, SplittableRandom random) {
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
    this.ids = new Ulid(clock, random.split());
  }

  /**
   * Returns the tracking of a workspace.
   *
   * @param workspace the workspace
   * @return its tracking
   */
  public static TrackingImpl of(Workspace workspace) {
    Objects.requireNonNull(workspace, "workspace");
    return new TrackingImpl(workspace.metadata(), workspace.blobs(), workspace.clock(), new SplittableRandom());
  }

  @Override
  public TrackingRun start(String experiment) {
    return start(experiment, null, Map.of());
  }

  TrackingRunImpl start(String experiment, @Nullable String pipelineRun, Map<String, String> tags) {
    Rules.experiment(experiment);
    tags.forEach((k, v) -> Rules.value("tag", Rules.key("tag key", k), v));
    Instant at = now();
    RunDoc doc = transact(tx -> {
      RunDoc d = RunDoc.started(ids.get(), experiment, at, pipelineRun, tx.increment(RUN_COUNTER), tags);
      tx.insert(RUN_COLLECTION, d.id(), d.json(), d.attributes());
      return d;
    });
    return new TrackingRunImpl(this, doc.id(), experiment, pipelineRun);
  }

  @Override
  public Optional<TrackingRunRecord> find(String runId) {
    Objects.requireNonNull(runId, "runId");
    if (runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank; tracking run ids are 26 characters");
    }
    if (!plausibleKey(runId)) {
      return Optional.empty();
    }
    return store.transact(tx -> tx.get(RUN_COLLECTION, runId)).map(r -> RunDoc.parse(r.body()).toRecord());
  }

  @Override
  public Optional<TrackingRunRecord> findByPipelineRun(String pipelineRunId) {
    Objects.requireNonNull(pipelineRunId, "pipelineRunId");
    if (pipelineRunId.isBlank() || pipelineRunId.length() > Attributes.MAX_STRING_LENGTH) {
      return Optional.empty();
    }
    RecordQuery query = RecordQuery.in(RUN_COLLECTION).where("pipeline_run", Op.EQ, pipelineRunId)
        .orderBy("seq", false).limit(1);
    return store.transact(tx -> tx.query(query)).items().stream().findFirst()
        .map(r -> RunDoc.parse(r.body()).toRecord());
  }

  @Override
  public Page<TrackingRunRecord> runs(String experiment, int limit, long offset) {
    Rules.experiment(experiment);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
    RecordQuery query = RecordQuery.in(RUN_COLLECTION).where("experiment", Op.EQ, experiment)
        .orderBy("seq", false).limit(limit).offset(offset);
    return store.transact(tx -> tx.query(query)).map(r -> RunDoc.parse(r.body()).toRecord());
  }

  @Override
  public List<MetricPoint> metricHistory(String runId, String key) {
    Objects.requireNonNull(runId, "runId");
    Rules.key("metric key", key);
    if (runId.isBlank() || !plausibleKey(runId)) {
      return List.of();
    }
    List<PointDoc> points = new ArrayList<>();
    RecordQuery query = RecordQuery.in(METRIC_COLLECTION).where("run", Op.EQ, runId).where("key", Op.EQ, key)
        .orderBy("step", true).limit(RecordQuery.MAX_LIMIT);
    for (long offset = 0; ; ) {
      long from = offset;
      Page<StoredRecord> page = store.transact(tx -> tx.query(query.offset(from)));
      for (StoredRecord r : page.items()) {
        points.add(PointDoc.parse(r.body()));
      }
      if (!page.hasMore()) {
        break;
      }
      offset = page.nextOffset();
    }
    points.sort(Comparator.comparingLong(PointDoc::step).thenComparingLong(PointDoc::seq));
    return points.stream().map(PointDoc::metric).toList();
  }

  @Override
  public Autolog autolog(String experiment) {
    return new AutologListener(this, Rules.experiment(experiment), Map.of(), DatasetInput.TRAINING, false);
  }

  BlobStore blobs() {
    return blobs;
  }

  /** The clock's time, kept to the microsecond as store attributes keep it, so bodies and attributes agree. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Runs a read-modify-write transaction, and again with fresh reads after each conflict ({@link ConflictRetry}). */
  <T> T transact(MetadataStore.TransactionWork<T> work) {
    return ConflictRetry.run(() -> store.transact(work));
  }

  /** Whether a store could hold the key: one it could not names nothing. */
  private static boolean plausibleKey(String key) {
    try {
      Attributes.checkName(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
