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
    return attributes;
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
