package dev.opskit.data.internal;

import static dev.opskit.data.internal.CatalogRecords.COMMITS;
import static dev.opskit.data.internal.CatalogRecords.COMMIT_ORDER;
import static dev.opskit.data.internal.CatalogRecords.VERSIONS;
import static dev.opskit.data.internal.CatalogRecords.datasetKey;
import static dev.opskit.data.internal.CatalogRecords.versionKey;

import dev.opskit.Names;
import dev.opskit.OpsException;
import dev.opskit.Page;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.DatasetVersionNotFoundException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Finds versions (by id or prefix, latest, as of a time, in history) and reads their values. Thread-safe. */
final class VersionReads {
  private final CatalogStores stores;

  VersionReads(CatalogStores stores) {
    this.stores = stores;
  }

  <T> T read(Dataset<T> dataset, String idOrPrefix) {
    Objects.requireNonNull(dataset, "dataset");
    DatasetVersion version = version(dataset.name(), idOrPrefix);
    return decode(dataset, version);
  }

  <T> T decode(Dataset<T> dataset, DatasetVersion version) {
    DatasetCodec<T> codec = dataset.codec().orElseThrow(() -> new IllegalArgumentException("dataset '"
        + dataset.name() + "' is given without a codec; pass the handle that declares it, such as "
        + "Datasets.jsonLines(\"" + dataset.name() + "\", Row.class)"));
    if (!codec.format().equals(version.format())) {
      throw new OpsException("version " + version.shortId() + " of dataset '" + dataset.name() + "' was stored as "
          + version.format() + " but is read with a " + codec.format() + " codec for " + dataset.type()
          + "; read it with the dataset's own codec");
    }
    try {
      return codec.decode(new DecodeContextImpl(stores, version));
    } catch (IOException e) {
      throw new StoreException("could not read version " + version + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof OpsException) {
        throw e;
      }
      throw new OpsException("could not decode version " + version.shortId() + " of dataset '" + dataset.name()
          + "' (stored as " + version.format() + ") as " + dataset.type() + ": " + e.getMessage(), e);
    }
  }

  DatasetVersion version(String dataset, String idOrPrefix) {
    Names.requireValidDatasetName(dataset);
    Objects.requireNonNull(idOrPrefix, "idOrPrefix");
    String prefix = idOrPrefix.toLowerCase(java.util.Locale.ROOT);
    if (prefix.isEmpty() || !prefix.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
        || prefix.length() > 64) {
      throw notFound(dataset, idOrPrefix);
    }
    if (prefix.length() == 64) {
      Optional<StoredRecord> r = stores.metadata().transact(tx -> tx.get(VERSIONS, versionKey(dataset, prefix)));
      return r.map(x -> VersionDoc.parse(x.body()).version()).orElseThrow(() -> notFound(dataset, idOrPrefix));
    }
    // a range of the version keys, <dataset key>:<id>
    Page<StoredRecord> matches = stores.metadata().transact(tx -> tx.query(RecordQuery.in(VERSIONS)
        .keyPrefix(versionKey(dataset, prefix)).limit(11)));
    if (matches.items().isEmpty()) {
      throw notFound(dataset, idOrPrefix);
    }
    if (matches.items().size() > 1) {
      // a version's key ends with its id, which has no ':'
      List<String> candidates = matches.items().stream()
          .map(r -> r.key().substring(r.key().lastIndexOf(':') + 1).substring(0, 16)).toList();
      throw new DatasetVersionNotFoundException(dataset, idOrPrefix, candidates);
    }
    return VersionDoc.parse(matches.items().get(0).body()).version();
  }

  /**
   * The error for an id that matches no version: when the dataset has no version at all, a misspelt name is the likelier
   * mistake, so the message says so and names the closest datasets the workspace has. Only on this path, so it may read.
   */
  private DatasetVersionNotFoundException notFound(String dataset, String idOrPrefix) {
    boolean exists = stores.metadata().transact(tx -> !tx.query(RecordQuery.in(VERSIONS)
        .keyPrefix(versionKey(dataset, "")).limit(1)).items().isEmpty());
    if (exists) {
      return new DatasetVersionNotFoundException(dataset, idOrPrefix, List.of());
    }
    List<String> known = new ArrayList<>();
    for (long offset = 0; known.size() < 10_000; ) {
      Page<String> page = datasets(1000, offset);
      known.addAll(page.items());
      if (!page.hasMore()) {
        break;
      }
      offset = page.nextOffset();
    }
    return new DatasetVersionNotFoundException(dataset, idOrPrefix, "no dataset " + Names.quote(dataset)
        + " in this workspace: no version of it was ever committed, so it has no version " + Names.quote(idOrPrefix)
        + Names.hint(dataset, known, "datasets"));
  }

  Optional<DatasetVersion> latest(String dataset) {
    return asOf(dataset, Instant.MAX);
  }

  Optional<String> latestId(String dataset) {
    return latest(dataset).map(DatasetVersion::id);
  }

  Optional<DatasetVersion> asOf(String dataset, Instant time) {
    Names.requireValidDatasetName(dataset);
    Objects.requireNonNull(time, "time");
    return stores.metadata().transact(tx -> {
      // Newest first: commit keys are <dataset key>:<zero-padded micros>:<sequence>:<pid>, so this reads the end of the
      // dataset's key range, whatever the number of commits of this or any other dataset.
      RecordQuery q = RecordQuery.in(COMMITS).keyPrefix(datasetKey(dataset) + ":").orderByKey(false).limit(20);
      if (!time.equals(Instant.MAX)) {
        q = q.where("at", Op.LE, time);
      }
      for (long offset = 0; ; offset += 20) {
        Page<StoredRecord> page = tx.query(q.offset(offset));
        for (StoredRecord commit : page.items()) {
          String id = commit.string("version").orElseThrow();
          Optional<StoredRecord> v = tx.get(VERSIONS, versionKey(dataset, id));
          if (v.isPresent()) {
            DatasetVersion version = VersionDoc.parse(v.get().body()).version();
            if (version.usable()) {
              return Optional.of(version);
            }
          }
        }
        if (!page.hasMore()) {
          return Optional.<DatasetVersion>empty();
        }
      }
    });
  }

  Page<DatasetVersion> history(String dataset, int limit, long offset) {
    Names.requireValidDatasetName(dataset);
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
    }
    // the commit order's index entries of this dataset's key range: no join to find the dataset's versions
    Page<StoredRecord> page = stores.metadata().transact(tx -> tx.query(RecordQuery.in(VERSIONS)
        .keyPrefix(datasetKey(dataset) + ":").orderBy(COMMIT_ORDER, false).limit(limit).offset(offset)));
    return page.map(r -> VersionDoc.parse(r.body()).version());
  }

  /**
   * The names of the datasets with a version, in order: each the first entry of the {@code dataset} attribute's index
   * past the one before, so that a name costs one seek however many versions it has.
   */
  Page<String> datasets(int limit, long offset) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
    return stores.metadata().transact(tx -> {
      List<String> names = new ArrayList<>();
      String after = "";
      boolean first = true;
      for (long skipped = 0; names.size() <= limit; ) {
        // the first seek takes every name (GE ""), the next ones the names past the last (GT)
        List<StoredRecord> next = tx.query(RecordQuery.in(VERSIONS)
            .where("dataset", first ? RecordQuery.Op.GE : RecordQuery.Op.GT, after).orderBy("dataset", true)
            .limit(1)).items();
        if (next.isEmpty()) {
          break;
        }
        first = false;
        after = next.get(0).string("dataset").orElseThrow();
        if (skipped < offset) {
          skipped++;
        } else {
          names.add(after);
        }
      }
      boolean more = names.size() > limit;
      return new Page<>(more ? names.subList(0, limit) : names, offset, more);
    });
  }

  /** The version of a dataset with an id, or null. */
  @Nullable DatasetVersion find(String dataset, String id) {
    Optional<StoredRecord> r = stores.metadata().transact(tx -> tx.get(VERSIONS, versionKey(dataset, id)));
    return r.map(x -> VersionDoc.parse(x.body()).version()).orElse(null);
  }
}
