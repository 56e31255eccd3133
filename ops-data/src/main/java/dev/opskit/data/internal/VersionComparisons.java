package dev.opskit.data.internal;

import static dev.opskit.data.internal.CatalogRecords.JSON;

import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Rows;
import dev.opskit.data.profile.DatasetDiff;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.data.profile.Diff;
import dev.opskit.data.profile.Drift;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.data.profile.VersionSummary;
import dev.opskit.pipeline.Dataset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Compares versions: their profiles (computed after the commit where they were), diffs and drift. Thread-safe. */
final class VersionComparisons {
  private final VersionReads reads;
  private final PendingProfiles pending;

  VersionComparisons(VersionReads reads, PendingProfiles pending) {
    this.reads = reads;
    this.pending = pending;
  }

  Optional<DatasetProfile> profile(String dataset, String idOrPrefix) {
    return pending.of(reads.version(dataset, idOrPrefix));
  }

  DatasetDiff diff(Dataset<?> dataset, String from, String to, String... keyColumns) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(keyColumns, "keyColumns");
    DatasetVersion a = reads.version(dataset.name(), from);
    DatasetVersion b = reads.version(dataset.name(), to);
    for (DatasetVersion v : List.of(a, b)) {
      if (v.rowCount().isEmpty()) {
        // Without rows there is no row count, schema or profile to compare.
        throw new IllegalArgumentException("cannot diff versions " + a.shortId() + " and " + b.shortId()
            + " of dataset '" + dataset.name() + "': version " + v.shortId() + " is not tabular (format " + v.format()
            + ", no rows); a diff compares two tabular versions (jsonLines or csv)");
      }
    }
    VersionSummary older = new VersionSummary(a.schema(), a.rows(), pending.of(a).orElse(null));
    VersionSummary newer = new VersionSummary(b.schema(), b.rows(), pending.of(b).orElse(null));
    if (keyColumns.length == 0) {
      return Diff.of(older, newer);
    }
    return Diff.of(older, newer, rowMaps(dataset, a), rowMaps(dataset, b), List.of(keyColumns));
  }

  /** The rows of a tabular version as column maps, re-iterable and lazy. */
  private Iterable<Map<String, Object>> rowMaps(Dataset<?> dataset, DatasetVersion version) {
    Object value = reads.decode(dataset, version);
    if (!(value instanceof Rows<?>)) {
      throw new IllegalArgumentException("dataset '" + dataset.name() + "' is not tabular; a keyed diff needs rows");
    }
    Rows<?> rows = (Rows<?>) value;
    return () -> rows.map(VersionComparisons::columns).iterator();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> columns(Object row) {
    if (row instanceof Map<?, ?>) {
      return (Map<String, Object>) row;
    }
    return JSON.convertValue(row, Map.class);
  }

  DriftReport drift(String dataset, String expected, String actual) {
    DatasetVersion a = reads.version(dataset, expected);
    DatasetVersion b = reads.version(dataset, actual);
    Optional<DatasetProfile> pa = pending.of(a);
    Optional<DatasetProfile> pb = pending.of(b);
    if (pa.isEmpty() || pb.isEmpty()) {
      throw new IllegalArgumentException("drift needs two tabular versions with profiles; " + (pa.isEmpty() ? a : b)
          + " has none");
    }
    return Drift.between(pa.get(), pb.get());
  }
}
