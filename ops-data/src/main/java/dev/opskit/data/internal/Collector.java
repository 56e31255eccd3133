package dev.opskit.data.internal;

import dev.opskit.Page;
import dev.opskit.core.internal.blob.BlobManifests;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.GarbageCollection;
import dev.opskit.data.GcReport;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Garbage collection: mark the versions the policy keeps, delete the others' records, then sweep the blobs that no
 * remaining version and no pin references and that were stored before the grace period began.
 *
 * <p>Safe against concurrent commits. A new blob is younger than the grace period. A commit of content that already
 * exists restamps its blob, and {@code deleteIfStoredBefore} spares a restamped blob. A version committed again while
 * the collection runs changes its record, so deleting the stale record conflicts and the version is kept.
 */
final class Collector implements GarbageCollection {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.opskit.data");
  private static final int PAGE = 5_000;
  /** Versions deleted per transaction. */
  private static final int BATCH = 500;

  private final CatalogStores catalog;
  private final RetentionPolicy policy;

  Collector(CatalogStores catalog, RetentionPolicy policy) {
    this.catalog = catalog;
    this.policy = policy;
  }

  @Override
  public GcReport dryRun() {
    return collect(true);
  }

  @Override
  public GcReport run() {
    return collect(false);
  }

  /** A version as the collector sees it: its record, and what it refers to. */
  private record Candidate(StoredRecord record, DatasetVersion version, List<String> parts) {}

  private GcReport collect(boolean dryRun) {
    Instant started = catalog.clock().instant();
    Instant cutoff = started.minus(policy.gracePeriod());

    Map<String, List<Candidate>> byDataset = new HashMap<>();
    scan(CatalogRecords.VERSIONS, r -> {
      VersionDoc doc = VersionDoc.parse(r.body());
      byDataset.computeIfAbsent(doc.version().dataset(), d -> new ArrayList<>())
          .add(new Candidate(r, doc.version(), doc.parts()));
    });
    Set<String> tagged = new HashSet<>();
    if (policy.keepsTagged()) {
      scan(CatalogRecords.TAGS, r -> tagged.add(r.string("dataset").orElseThrow() + "@" + r.body()));
    }
    Set<String> pinned = new HashSet<>();
    if (policy.keepsPinned()) {
      scan(CatalogRecords.VERSION_PINS, r -> pinned.add(r.string("dataset").orElseThrow() + "@"
          + r.string("version").orElseThrow()));
    }
    Set<String> runIds = new HashSet<>();
    Set<String> referencedByRuns = new HashSet<>();
    if (policy.keepsRunReferenced()) {
      scan("run", r -> {
        runIds.add(r.key());
        JsonNode steps = CatalogRecords.JSON.readTree(r.body()).get("steps");
        if (steps != null) {
          for (JsonNode step : steps) {
            JsonNode outputs = step.get("outputs");
            if (outputs != null) {
              outputs.properties().forEach(e -> referencedByRuns.add(e.getKey() + "@" + e.getValue().asString()));
            }
          }
        }
      });
    }

    List<Candidate> doomed = new ArrayList<>();
    long kept = 0;
    for (List<Candidate> versions : byDataset.values()) {
      versions.sort((a, b) -> b.version().committedAt().compareTo(a.version().committedAt()));
      for (int i = 0; i < versions.size(); i++) {
        Candidate c = versions.get(i);
        String ref = c.version().dataset() + "@" + c.version().id();
        boolean keep = i < policy.keepLast() || tagged.contains(ref) || pinned.contains(ref)
            || referencedByRuns.contains(ref) || c.version().run() != null && runIds.contains(c.version().run())
            || c.version().committedAt().isAfter(cutoff);
        if (keep) {
          kept++;
        } else {
          doomed.add(c);
        }
      }
    }

    List<String> deletedVersions = new ArrayList<>();
    if (dryRun) {
      for (Candidate c : doomed) {
        deletedVersions.add(ref(c));
      }
    } else if (!doomed.isEmpty()) {
      // The commit and tag records of the doomed versions, found in one pass each rather than a query per version.
      Set<String> doomedRefs = new HashSet<>();
      doomed.forEach(c -> doomedRefs.add(ref(c)));
      Map<String, List<StoredRecord>> linked = new HashMap<>();
      for (String collection : List.of(CatalogRecords.COMMITS, CatalogRecords.TAGS)) {
        scan(collection, r -> {
          String ref = r.string("dataset").orElse("") + "@" + r.string("version").orElse("");
          if (doomedRefs.contains(ref)) {
            linked.computeIfAbsent(ref, k -> new ArrayList<>()).add(r);
          }
        });
      }
      for (int from = 0; from < doomed.size(); from += BATCH) {
        List<Candidate> batch = doomed.subList(from, Math.min(doomed.size(), from + BATCH));
        try {
          catalog.metadata().transact(tx -> {
            batch.forEach(c -> delete(tx, c, linked));
            return null;
          });
          batch.forEach(c -> deletedVersions.add(ref(c)));
        } catch (StoreConflictException batchConflict) {
          // Something in the batch was committed or tagged again meanwhile: one transaction per version finds which.
          for (Candidate c : batch) {
            try {
              catalog.metadata().transact(tx -> {
                delete(tx, c, linked);
                return null;
              });
              deletedVersions.add(ref(c));
            } catch (StoreConflictException e) {
              kept++; // committed again while we collected: it is current now, so it stays
            }
          }
        }
      }
    }

    // Sweep: what remains referenced, after the deletions.
    Set<String> referenced = new HashSet<>();
    Set<String> doomedIds = new HashSet<>();
    if (dryRun) {
      for (Candidate c : doomed) {
        doomedIds.add(c.version().dataset() + "@" + c.version().id());
      }
    }
    scan(CatalogRecords.VERSIONS, r -> {
      VersionDoc doc = VersionDoc.parse(r.body());
      if (!doomedIds.contains(doc.version().dataset() + "@" + doc.version().id())) {
        referenced.add(doc.version().id());
        referenced.addAll(doc.parts());
      }
    });
    scan(CatalogRecords.BLOB_PINS, r -> referenced.add(r.key()));
    List<BlobInfo> unreferenced = new ArrayList<>();
    catalog.blobs().forEach(info -> {
      if (!referenced.contains(info.id()) && info.storedAt().isBefore(cutoff)) {
        unreferenced.add(info);
      }
    });
    List<String> deletedBlobs = new ArrayList<>();
    long bytes = 0;
    for (BlobInfo info : unreferenced) {
      if (dryRun || catalog.blobs().deleteIfStoredBefore(info.id(), cutoff)) {
        deletedBlobs.add(info.id());
        bytes += info.size();
      }
    }
    if (!dryRun) {
      forgetManifests(deletedBlobs);
    }
    GcReport report = new GcReport(dryRun, deletedVersions, deletedBlobs, bytes, kept);
    if (dryRun) {
      LOG.debug("Garbage collection (dry run) would delete {} versions and {} blobs ({} bytes) and keep {} versions",
          report.versions().size(), report.blobs().size(), bytes, kept);
    } else {
      LOG.info("Garbage collection deleted {} versions and {} blobs ({} bytes) and kept {} versions in {} ms",
          report.versions().size(), report.blobs().size(), bytes, kept,
          java.time.Duration.between(started, catalog.clock().instant()).toMillis());
    }
    return report;
  }

  /**
   * Removes the manifests of the blobs deleted, a page per transaction. A commit of the same content meanwhile may lose
   * its blob's manifest: its reads then check the blob whole first, and record the manifest again.
   */
  private void forgetManifests(List<String> deleted) {
    for (int from = 0; from < deleted.size(); from += PAGE) {
      List<String> batch = deleted.subList(from, Math.min(deleted.size(), from + PAGE));
      CatalogRecords.retrying(() -> catalog.metadata().transact(tx -> {
        batch.forEach(id -> BlobManifests.forget(tx, id));
        return null;
      }));
    }
  }

  private static String ref(Candidate c) {
    return c.version().dataset() + "@" + c.version().id();
  }

  /** Deletes a version with its commit and tag records; each delete compares the record's version. */
  private static void delete(Transaction tx, Candidate c, Map<String, List<StoredRecord>> linked) {
    tx.delete(c.record());
    for (StoredRecord r : linked.getOrDefault(ref(c), List.of())) {
      tx.delete(r);
    }
  }

  private void scan(String collection, java.util.function.Consumer<StoredRecord> each) {
    for (long offset = 0; ; offset += PAGE) {
      long from = offset;
      Page<StoredRecord> page = catalog.metadata().transact(tx -> tx.query(RecordQuery.in(collection).limit(PAGE)
          .offset(from)));
      page.items().forEach(each);
      if (!page.hasMore()) {
        return;
      }
    }
  }
}
