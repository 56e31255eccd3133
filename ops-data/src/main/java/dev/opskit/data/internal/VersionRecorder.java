package dev.opskit.data.internal;

import static dev.opskit.data.internal.CatalogRecords.COMMITS;
import static dev.opskit.data.internal.CatalogRecords.COMMIT_ORDER;
import static dev.opskit.data.internal.CatalogRecords.EXECUTIONS;
import static dev.opskit.data.internal.CatalogRecords.JSON;
import static dev.opskit.data.internal.CatalogRecords.STEP_COMMITS;
import static dev.opskit.data.internal.CatalogRecords.VERSIONS;
import static dev.opskit.data.internal.CatalogRecords.datasetKey;
import static dev.opskit.data.internal.CatalogRecords.retrying;
import static dev.opskit.data.internal.CatalogRecords.versionKey;

import dev.opskit.core.internal.blob.BlobManifests;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.VersionStatus;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.StoredRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Records stored content as versions: the version record, the commit that makes it latest, the manifests readers
 * check the content against, and a step's execution for the cache. Thread-safe.
 */
final class VersionRecorder {
  private static final AtomicLong COMMIT_SEQUENCE = new AtomicLong();

  private final CatalogStores stores;

  VersionRecorder(CatalogStores stores) {
    this.stores = stores;
  }

  /**
   * Records encoded outputs in one transaction. If one blocks, only the blocking ones are recorded, as quarantined:
   * a step that fails commits nothing else.
   */
  Map<String, DatasetVersion> record(List<StoredContent> outputs, CommitOrigin origin) {
    @Nullable String run = origin.run();
    @Nullable String step = origin.step();
    @Nullable String fingerprint = origin.fingerprint();
    boolean blocked = outputs.stream().anyMatch(StoredContent::blocks);
    return retrying(() -> stores.metadata().transact(tx -> {
      if (origin.once()) {
        Optional<StoredRecord> first = tx.get(STEP_COMMITS, origin.onceKey());
        if (first.isPresent()) {
          return committedBefore(tx, first.get());
        }
      }
      Instant now = stores.clock().instant();
      Map<String, DatasetVersion> out = new LinkedHashMap<>();
      for (StoredContent e : outputs) {
        if (blocked && !e.blocks()) {
          continue;
        }
        VersionStatus status = e.blocks() ? VersionStatus.QUARANTINED : VersionStatus.COMMITTED;
        String key = versionKey(e.dataset(), e.blob().id());
        // Time, then a zero-padded sequence: commits at the same instant order as they were made in this process.
        String order = String.format("%020d:%012d", micros(now), COMMIT_SEQUENCE.incrementAndGet());
        Optional<StoredRecord> existing = tx.get(VERSIONS, key);
        DatasetVersion version;
        if (existing.isPresent()) {
          VersionDoc old = VersionDoc.parse(existing.get().body());
          // Content committed again with its profile to come keeps the profile recorded, or still to come, before.
          DatasetProfile profile = e.profile() != null ? e.profile() : old.version().profile();
          boolean pending = e.profileLater() && profile == null;
          version = new DatasetVersion(e.dataset(), e.blob().id(), status, e.format(), e.blob().size(), e.rows(),
              e.schema(), old.version().createdAt(), now, old.version().run(), old.version().step(),
              old.version().inputs(), merged(old.version().metadata(), origin.metadata()), e.report(), profile);
          tx.update(existing.get(), new VersionDoc(version, e.partIds(), pending).json(), attributes(version, order));
        } else {
          version = new DatasetVersion(e.dataset(), e.blob().id(), status, e.format(), e.blob().size(), e.rows(),
              e.schema(), now, now, run, step, origin.inputs(), origin.metadata(), e.report(), e.profile());
          tx.insert(VERSIONS, key, new VersionDoc(version, e.partIds(), e.profileLater()).json(),
              attributes(version, order));
        }
        // The manifests readers check the content against, in the trust root, with the record that names the blobs.
        BlobManifests.record(tx, e.blob());
        for (BlobManifest part : e.parts()) {
          BlobManifests.record(tx, part);
        }
        if (status == VersionStatus.COMMITTED) {
          Map<String, Object> attrs = new LinkedHashMap<>();
          attrs.put("dataset", e.dataset());
          attrs.put("version", e.blob().id());
          attrs.put("at", now);
          String commitKey = datasetKey(e.dataset()) + ":" + order + ":" + ProcessHandle.current().pid();
          // the run is kept in the body: nothing queries commits by it
          tx.insert(COMMITS, commitKey, run == null ? "" : JSON.writeValueAsString(Map.of("run", run)), attrs);
        }
        out.put(e.dataset(), version);
      }
      if (!blocked && origin.once()) {
        Map<String, String> versions = new TreeMap<>();
        out.forEach((name, v) -> versions.put(name, v.id()));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("run", run == null ? "" : run);
        tx.insert(STEP_COMMITS, origin.onceKey(), JSON.writeValueAsString(Map.of("outputs", versions)), attrs);
      }
      if (!blocked && fingerprint != null) {
        Map<String, String> versions = new TreeMap<>();
        out.forEach((name, v) -> versions.put(name, v.id()));
        execution(tx, fingerprint, run, step, versions, now);
      }
      return out;
    }));
  }

  /** Records, in a transaction of its own, that an execution with this fingerprint produced these versions. */
  void recordExecution(String fingerprint, String run, String step, Map<String, String> outputs) {
    retrying(() -> stores.metadata().transact(tx -> {
      execution(tx, fingerprint, run, step, new TreeMap<>(outputs), stores.clock().instant());
      return null;
    }));
  }

  private static void execution(dev.opskit.store.Transaction tx, String fingerprint, @Nullable String run,
      @Nullable String step, Map<String, String> versions, Instant now) {
    // The step and the time are kept in the body: only the run is read without it, when a later run reuses these
    // outputs, and nothing queries executions by any of them.
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("outputs", versions);
    doc.put("step", step == null ? "" : step);
    doc.put("at", micros(now));
    String body = JSON.writeValueAsString(doc);
    Map<String, Object> attrs = new LinkedHashMap<>();
    if (run != null) {
      attrs.put("run", run);
    }
    Optional<StoredRecord> existing = tx.get(EXECUTIONS, fingerprint);
    if (existing.isPresent()) {
      tx.update(existing.get(), body, attrs);
    } else {
      tx.insert(EXECUTIONS, fingerprint, body, attrs);
    }
  }

  /** The versions an earlier attempt of the same run and step committed, read in the same transaction. */
  private static Map<String, DatasetVersion> committedBefore(dev.opskit.store.Transaction tx,
      StoredRecord first) {
    Map<String, DatasetVersion> out = new LinkedHashMap<>();
    JSON.readTree(first.body()).get("outputs").properties().forEach(e -> {
      String dataset = e.getKey();
      String id = e.getValue().asString();
      StoredRecord version = tx.get(VERSIONS, versionKey(dataset, id)).orElseThrow(() -> new IllegalStateException(
          "step commit " + first.key() + " names version " + id + " of dataset '" + dataset + "', which is gone"));
      out.put(dataset, VersionDoc.parse(version.body()).version());
    });
    return out;
  }

  private static Map<String, String> merged(Map<String, String> old, Map<String, String> more) {
    Map<String, String> out = new TreeMap<>(old);
    out.putAll(more);
    return out;
  }

  /**
   * A version's indexed attributes: only what a query filters or orders on ({@value CatalogRecords#COMMIT_ORDER},
   * {@code dataset}, and {@code in:<dataset key>} for lineage) or a reader needs without parsing the body
   * ({@code status}). The rest (its id, times, run and step) is in the body: each attribute is an index entry that
   * every commit writes, and on H2 a page of the index and the pages above it.
   */
  private static Map<String, Object> attributes(DatasetVersion v, String commitOrder) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(COMMIT_ORDER, commitOrder);
    attrs.put("dataset", v.dataset());
    attrs.put("status", v.status().name());
    v.inputs().forEach((dataset, id) -> attrs.put("in:" + datasetKey(dataset), id));
    return attrs;
  }

  private static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }
}
