package dev.opskit.data.internal;

import static dev.opskit.data.internal.CatalogRecords.TAGS;
import static dev.opskit.data.internal.CatalogRecords.VERSIONS;
import static dev.opskit.data.internal.CatalogRecords.datasetKey;
import static dev.opskit.data.internal.CatalogRecords.tagKey;
import static dev.opskit.data.internal.CatalogRecords.versionKey;

import dev.opskit.Names;
import dev.opskit.Page;
import dev.opskit.data.DatasetVersion;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Names versions with tags, set and moved with compare-and-set. Thread-safe. */
final class VersionTags {
  private final CatalogStores stores;
  private final VersionReads reads;

  VersionTags(CatalogStores stores, VersionReads reads) {
    this.stores = stores;
    this.reads = reads;
  }

  Optional<DatasetVersion> tagged(String dataset, String tag) {
    Names.requireValidDatasetName(dataset);
    Names.requireValidName("tag", tag);
    return stores.metadata().transact(tx -> tx.get(TAGS, tagKey(dataset, tag))
        .flatMap(t -> tx.get(VERSIONS, versionKey(dataset, t.body())))
        .map(v -> VersionDoc.parse(v.body()).version()));
  }

  Map<String, String> tags(String dataset) {
    Names.requireValidDatasetName(dataset);
    // tag keys are <dataset key>:<tag>, so the key range is the dataset's tags in order
    Page<StoredRecord> page = stores.metadata().transact(tx -> tx.query(RecordQuery.in(TAGS)
        .keyPrefix(datasetKey(dataset) + ":").limit(RecordQuery.MAX_LIMIT)));
    Map<String, String> out = new LinkedHashMap<>();
    for (StoredRecord r : page.items()) {
      out.put(r.string("tag").orElseThrow(), r.body());
    }
    return out;
  }

  DatasetVersion tag(String dataset, String tag, String idOrPrefix) {
    return setTag(dataset, tag, idOrPrefix, null);
  }

  DatasetVersion moveTag(String dataset, String tag, @Nullable String expected, String idOrPrefix) {
    return setTag(dataset, tag, idOrPrefix, new Expected(expected));
  }

  /**
   * What a tag must point at for a move to go ahead.
   *
   * @param version the version id, or null for a tag that must not exist
   */
  private record Expected(@Nullable String version) {}

  /** Points a tag at a version; with {@code expected}, only if the tag points where it says. */
  private DatasetVersion setTag(String dataset, String tag, String idOrPrefix, @Nullable Expected expected) {
    Names.requireValidName("tag", tag);
    DatasetVersion version = reads.version(dataset, idOrPrefix);
    if (!version.usable()) {
      throw new IllegalArgumentException("version " + version.shortId() + " of dataset '" + dataset
          + "' is quarantined and cannot be tagged; fix the data and commit a version that passes its checks");
    }
    stores.metadata().transact(tx -> {
      Optional<StoredRecord> current = tx.get(TAGS, tagKey(dataset, tag));
      String now = current.map(StoredRecord::body).orElse(null);
      if (expected != null && !Objects.equals(now, expected.version())) {
        throw new StoreConflictException(TAGS, tagKey(dataset, tag), "tag '" + tag + "' of dataset '" + dataset
            + "' points at " + (now == null ? "nothing" : now) + ", not "
            + (expected.version() == null ? "nothing" : expected.version())
            + "; it was moved by someone else. Read it again and retry", null);
      }
      Map<String, Object> attrs = Map.of("dataset", dataset, "tag", tag, "version", version.id());
      if (current.isPresent()) {
        tx.update(current.get(), version.id(), attrs);
      } else {
        tx.insert(TAGS, tagKey(dataset, tag), version.id(), attrs);
      }
      return null;
    });
    return version;
  }

  boolean untag(String dataset, String tag) {
    Names.requireValidDatasetName(dataset);
    Names.requireValidName("tag", tag);
    return stores.metadata().transact(tx -> {
      Optional<StoredRecord> current = tx.get(TAGS, tagKey(dataset, tag));
      current.ifPresent(tx::delete);
      return current.isPresent();
    });
  }
}
