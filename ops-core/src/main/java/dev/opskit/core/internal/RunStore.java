package dev.opskit.core.internal;

import dev.opskit.Page;
import dev.opskit.run.Run;
import dev.opskit.run.RunQuery;
import dev.opskit.run.RunStatus;
import dev.opskit.spi.DataPlane;
import dev.opskit.store.Attributes;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keeps run reports in the metadata store ({@code run} records, keyed by run id), and the in-memory outputs of the
 * most recent runs that did not succeed, so that this process can resume them without recomputing.
 */
final class RunStore {
  static final String COLLECTION = "run";
  private static final int RESUMABLE_IN_MEMORY = 32;
  /**
   * The run list's filters, each as one attribute whose value starts with what it filters on and ends with the start
   * time, so that a filtered page newest first is one ordered index range read that stops at its page, however few of
   * the runs match (ordering by {@code started_at} and testing each run against the filters read every run when none
   * matched).
   */
  static final String BY_PIPELINE = "pipeline_started";
  /** See {@link #BY_PIPELINE}: status, then the start time. */
  static final String BY_STATUS = "status_started";
  /** See {@link #BY_PIPELINE}: pipeline, status, then the start time. */
  static final String BY_PIPELINE_STATUS = "pipeline_status_started";
  /** The record that says every run has the filter attributes (runs written before they existed get them once). */
  static final String INDEX_COLLECTION = "run-index";
  static final String INDEX_KEY = "filters-v1";
  private static final int INDEX_BATCH = 500;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunStore.class);

  private final MetadataStore store;
  private final StepBases bases;
  private volatile @Nullable DataPlane dataPlane;
  /**
   * A workspace on an in-memory store of its own keeps its reports as objects; a record with the attributes, for
   * queries, is still written. Stores that outlive the workspace (a file, a database, a store the caller gave) get the
   * JSON, so that another workspace can read them.
   */
  private final @Nullable Map<String, RunReport> objects;
  private final Map<String, Map<String, Object>> resumable = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
      return size() > RESUMABLE_IN_MEMORY;
    }
  };

  RunStore(MetadataStore store, boolean storeDiesWithWorkspace) {
    this.store = store;
    this.bases = new StepBases(store);
    this.objects = storeDiesWithWorkspace ? new java.util.concurrent.ConcurrentHashMap<>() : null;
    indexOlderRuns();
  }

  /**
   * Gives the runs recorded before the filter attributes existed ({@link #BY_PIPELINE}) those attributes, once per
   * store, in batches of {@value #INDEX_BATCH}; a record then marks the store done. Several processes opening one
   * store at once do the same idempotent writes; one that finds a run changed under it reads it again.
   */
  private void indexOlderRuns() {
    if (store.transact(tx -> tx.get(INDEX_COLLECTION, INDEX_KEY)).isPresent()) {
      return;
    }
    long indexed = 0;
    // By key, a batch at a time: keys do not change, and a run recorded meanwhile has the attributes already.
    for (long offset = 0; ; offset += INDEX_BATCH) {
      long skip = offset;
      Page<StoredRecord> page = store.transact(tx -> tx.query(RecordQuery.in(COLLECTION).orderByKey(true)
          .limit(INDEX_BATCH).offset(skip)));
      for (StoredRecord r : page.items()) {
        if (!r.attributes().containsKey(BY_STATUS)) {
          indexed += indexOne(r) ? 1 : 0;
        }
      }
      if (!page.hasMore()) {
        break;
      }
    }
    try {
      store.transact(tx -> tx.insert(INDEX_COLLECTION, INDEX_KEY, "", Map.of()));
    } catch (dev.opskit.store.StoreConflictException e) {
      // another process marked it first
    }
    if (indexed > 0) {
      LOG.info("Gave {} runs recorded by an earlier opskit the attributes that filtered run lists read in {}", indexed,
          store.describe());
    }
  }

  private boolean indexOne(StoredRecord first) {
    StoredRecord r = first;
    for (int attempt = 0; attempt < 10; attempt++) {
      Object pipeline = r.attributes().get("pipeline");
      Object status = r.attributes().get("status");
      Object started = r.attributes().get("started_at");
      if (!(pipeline instanceof String) || !(status instanceof String) || !(started instanceof Instant)) {
        return false;
      }
      Map<String, Object> attributes = new LinkedHashMap<>(r.attributes());
      attributes.putAll(filterAttributes((String) pipeline, (String) status, (Instant) started));
      StoredRecord seen = r;
      try {
        store.transact(tx -> tx.update(seen, seen.body(), attributes));
        return true;
      } catch (dev.opskit.store.StoreConflictException e) {
        Optional<StoredRecord> again = store.transact(tx -> tx.get(COLLECTION, seen.key()));
        if (again.isEmpty() || again.get().attributes().containsKey(BY_STATUS)) {
          return false;
        }
        r = again.get();
      }
    }
    return false;
  }

  private String body(RunReport run, boolean start) {
    if (objects != null) {
      objects.put(run.id(), run.detached());
      return "";
    }
    return start ? RunCodec.encodeStart(run) : RunCodec.encode(run);
  }

  /** What the last executions of each pipeline's steps were made of. */
  StepBases bases() {
    return bases;
  }

  void attach(DataPlane plane) {
    this.dataPlane = plane;
  }

  /** Loads a versioned output of a stored run through the data plane, given a handle that carries the codec. */
  private RunReport decode(StoredRecord record) {
    if (objects != null) {
      RunReport kept = objects.get(record.key());
      if (kept != null) {
        Map<String, Object> values = valuesOf(record.key()).orElse(Map.of());
        return values.isEmpty() ? kept : new RunReport(kept.id(), kept.pipeline(), kept.status(), kept.startedAt(),
            kept.endedAt().orElse(null), kept.executor(), kept.resumedFrom().orElse(null), kept.steps(), values,
            dataset -> null);
      }
    }
    RunReport[] self = new RunReport[1];
    self[0] = RunCodec.decode(record.body(), valuesOf(record.key()).orElse(Map.of()), dataset -> {
      DataPlane plane = dataPlane;
      if (plane == null || dataset.codec().isEmpty()) {
        return null;
      }
      for (dev.opskit.run.StepRecord step : self[0].steps()) {
        String version = step.outputs().get(dataset.name());
        if (version != null) {
          return plane.load(dataset, version);
        }
      }
      return null;
    });
    return self[0];
  }

  /** Records a run that has started. */
  void started(RunReport run) {
    String body = body(run, true);
    store.transact(tx -> tx.insert(COLLECTION, run.id(), body, attributes(run)));
  }

  /** Records a run's final report, replacing the record of its start. */
  void save(RunReport run) {
    String body = body(run, false);
    store.transact(tx -> {
      Optional<StoredRecord> existing = tx.get(COLLECTION, run.id());
      if (existing.isPresent()) {
        return tx.update(existing.get(), body, attributes(run));
      }
      return tx.insert(COLLECTION, run.id(), body, attributes(run));
    });
    if (!run.succeeded()) {
      synchronized (resumable) {
        resumable.put(run.id(), run.values());
      }
    }
  }

  Optional<RunReport> find(String runId) {
    checkRunId(runId);
    Optional<StoredRecord> record = store.transact(tx -> tx.get(COLLECTION, runId));
    return record.map(this::decode);
  }

  /**
   * Checks a run id given to look a run up: 1 to {@value StoredRecord#MAX_KEY_LENGTH} characters, no control
   * character, as every id the workspace hands out is.
   *
   * @param runId the id
   * @return the id
   * @throws IllegalArgumentException naming the id and the rule
   */
  static String checkRunId(String runId) {
    Objects.requireNonNull(runId, "runId");
    boolean control = runId.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f));
    boolean storable;
    try {
      storable = Attributes.checkName(runId).equals(runId);
    } catch (IllegalArgumentException e) {
      storable = false;
    }
    if (control || !storable) {
      throw new IllegalArgumentException("runId " + dev.opskit.Names.quote(runId) + " cannot name a run: run ids are "
          + "1 to " + StoredRecord.MAX_KEY_LENGTH + " characters with no control character or unpaired surrogate");
    }
    return runId;
  }

  Optional<Map<String, Object>> valuesOf(String runId) {
    synchronized (resumable) {
      return Optional.ofNullable(resumable.get(runId));
    }
  }

  /** Drops the in-memory outputs of a run that was resumed successfully; its report stays. */
  void resumed(String runId) {
    synchronized (resumable) {
      resumable.remove(runId);
    }
  }

  RunQuery query() {
    return new Query();
  }

  private static Map<String, Object> attributes(RunReport run) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("pipeline", run.pipeline());
    attributes.put("status", run.status().name());
    attributes.put("started_at", run.startedAt());
    run.endedAt().ifPresent(end -> attributes.put("ended_at", end));
    run.resumedFrom().ifPresent(from -> attributes.put("resumed_from", from));
    attributes.putAll(filterAttributes(run.pipeline(), run.status().name(), run.startedAt()));
    return attributes;
  }

  private static Map<String, Object> filterAttributes(String pipeline, String status, Instant started) {
    String at = sortable(started);
    return Map.of(BY_PIPELINE, pipeline + " " + at, BY_STATUS, status + " " + at, BY_PIPELINE_STATUS,
        pipeline + " " + status + " " + at);
  }

  /**
   * An instant as a string that sorts as the instants do: its microseconds since the epoch (the precision the store
   * keeps), shifted so that earlier instants, before 1970 too, compare lower, in 20 digits.
   */
  static String sortable(Instant at) {
    long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    String digits = Long.toUnsignedString(micros ^ Long.MIN_VALUE);
    return "0".repeat(20 - digits.length()) + digits;
  }

  private final class Query implements RunQuery {
    private @Nullable String pipeline;
    private @Nullable RunStatus status;
    private @Nullable Instant after;
    private @Nullable Instant before;
    private int limit = 50;
    private long offset;

    @Override
    public RunQuery pipeline(String name) {
      Objects.requireNonNull(name, "name");
      checkUnset("pipeline", pipeline);
      pipeline = name;
      return this;
    }

    @Override
    public RunQuery status(RunStatus value) {
      Objects.requireNonNull(value, "status");
      checkUnset("status", status);
      status = value;
      return this;
    }

    @Override
    public RunQuery startedAfter(Instant from) {
      Objects.requireNonNull(from, "from");
      checkUnset("startedAfter", after);
      after = from;
      return this;
    }

    @Override
    public RunQuery startedBefore(Instant until) {
      Objects.requireNonNull(until, "until");
      checkUnset("startedBefore", before);
      before = until;
      return this;
    }

    @Override
    public RunQuery limit(int size) {
      if (size < 1 || size > 1000) {
        throw new IllegalArgumentException("limit must be between 1 and 1000, got " + size);
      }
      limit = size;
      return this;
    }

    @Override
    public RunQuery offset(long skip) {
      if (skip < 0) {
        throw new IllegalArgumentException("offset must not be negative, got " + skip);
      }
      offset = skip;
      return this;
    }

    private RecordQuery recordQuery() {
      // A pipeline that is not a valid name matches no run; it is left to the plain filter, which finds none.
      boolean byPipeline = pipeline != null && dev.opskit.Names.isValidName(pipeline);
      if (byPipeline || status != null) {
        String attribute = byPipeline ? (status != null ? BY_PIPELINE_STATUS : BY_PIPELINE) : BY_STATUS;
        String prefix = (byPipeline ? pipeline + " " : "") + (status != null ? status.name() + " " : "");
        // '~' sorts after every digit, so the prefix alone bounds the range from above
        return RecordQuery.in(COLLECTION).orderBy(attribute, false).limit(limit).offset(offset)
            .where(attribute, RecordQuery.Op.GE, prefix + (after == null ? "" : sortable(after)))
            .where(attribute, RecordQuery.Op.LT, prefix + (before == null ? "~" : sortable(before)));
      }
      RecordQuery q = RecordQuery.in(COLLECTION).orderBy("started_at", false).limit(limit).offset(offset);
      if (pipeline != null) {
        q = q.where("pipeline", RecordQuery.Op.EQ, pipeline);
      }
      if (status != null) {
        q = q.where("status", RecordQuery.Op.EQ, status.name());
      }
      if (after != null) {
        q = q.where("started_at", RecordQuery.Op.GE, after);
      }
      if (before != null) {
        q = q.where("started_at", RecordQuery.Op.LT, before);
      }
      return q;
    }

    @Override
    public Page<Run> list() {
      RecordQuery q = recordQuery();
      Page<StoredRecord> page = store.transact(tx -> tx.query(q));
      return page.map(RunStore.this::decode);
    }

    @Override
    public long count() {
      RecordQuery q = recordQuery();
      return store.transact(tx -> tx.count(q));
    }

    private void checkUnset(String name, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(name + " is already set (to " + current + "); set it once");
      }
    }
  }
}
