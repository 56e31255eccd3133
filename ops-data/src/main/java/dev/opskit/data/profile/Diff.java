package dev.opskit.data.profile;

import dev.opskit.data.internal.stats.KeyedDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Compares two versions of a dataset: their schemas, row counts and column profiles, and, for keyed tabular data,
 * their rows.
 *
 * <pre>{@code
 * DatasetDiff diff = Diff.of(older, newer);                                   // from what the catalog stores
 * DatasetDiff rows = Diff.of(older, newer, olderRows, newerRows, List.of("id")); // plus added, removed, changed rows
 * }</pre>
 *
 * <p><b>Schema.</b> When both versions have a schema, columns and type names come from it. Otherwise, when both have a
 * profile, they come from the profiles: a column's type is its {@link ColumnKind} in lower case, and a column that
 * holds only nulls in either version is not reported as retyped.
 *
 * <p><b>Rows.</b> The keyed comparison never holds both versions in memory. A first pass over the older rows maps
 * each key's 128-bit hash to its row's 128-bit hash (43 to 85 bytes per key, about 64 on average: roughly 64 MB per
 * million rows); a second pass over the newer rows finds added and changed rows; a third, partial pass over the older
 * rows, only when rows were removed or changed, collects samples. A changed row has the same key and a different
 * row hash; rows compare by value, with numbers by value ({@code 1} equals {@code 1.0}) and a null value the same as a
 * missing column. Hash collisions are possible in principle and negligible in practice (about n<sup>2</sup>/2<sup>129</sup>
 * for n keys).
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class Diff {
  private Diff() {}

  /**
   * Compares two versions from their summaries.
   *
   * @param older the earlier version
   * @param newer the later version
   * @return the differences; {@link DatasetDiff#rows()} is null
   */
  public static DatasetDiff of(VersionSummary older, VersionSummary newer) {
    Objects.requireNonNull(older, "older");
    Objects.requireNonNull(newer, "newer");
    return summaries(older, newer, null);
  }

  /**
   * Compares two versions from their summaries and their rows, matched by key columns.
   *
   * @param older the earlier version
   * @param newer the later version
   * @param olderRows the earlier version's rows; iterated at most twice, so it must be re-iterable (such as
   *     {@link dev.opskit.data.Rows})
   * @param newerRows the later version's rows; iterated once
   * @param keys the key columns, at least one
   * @return the differences, with {@link DatasetDiff#rows()} set
   */
  public static DatasetDiff of(VersionSummary older, VersionSummary newer, Iterable<? extends Map<String, ?>> olderRows,
      Iterable<? extends Map<String, ?>> newerRows, List<String> keys) {
    Objects.requireNonNull(older, "older");
    Objects.requireNonNull(newer, "newer");
    Objects.requireNonNull(olderRows, "olderRows");
    Objects.requireNonNull(newerRows, "newerRows");
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must name at least one column");
    }
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      if (k == null || k.isEmpty()) {
        throw new IllegalArgumentException("keys[" + i + "] must be a column name, got " + k);
      }
    }
    return summaries(older, newer, KeyedDiff.compare(olderRows, newerRows, keys));
  }

  private static DatasetDiff summaries(VersionSummary older, VersionSummary newer,
      DatasetDiff.@Nullable RowChanges rows) {
    Map<String, String> before = types(older, newer);
    Map<String, String> after = types(newer, older);
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<DatasetDiff.Retyped> retyped = new ArrayList<>();
    for (Map.Entry<String, String> e : after.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        added.add(e.getKey());
      }
    }
    for (Map.Entry<String, String> e : before.entrySet()) {
      String type = after.get(e.getKey());
      if (type == null) {
        removed.add(e.getKey());
      } else if (!type.equals(e.getValue()) && !type.equals(UNKNOWN) && !e.getValue().equals(UNKNOWN)) {
        retyped.add(new DatasetDiff.Retyped(e.getKey(), e.getValue(), type));
      }
    }
    Map<String, DatasetDiff.ColumnDelta> columns = new LinkedHashMap<>();
    DatasetProfile op = older.profile();
    DatasetProfile np = newer.profile();
    if (op != null && np != null) {
      for (ColumnProfile o : op.columns().values()) {
        ColumnProfile n = np.columns().get(o.name());
        if (n != null) {
          columns.put(o.name(), delta(o, n));
        }
      }
    }
    return new DatasetDiff(added, removed, retyped, older.rows(), newer.rows(), columns, rows);
  }

  private static final String UNKNOWN = "";

  /** The column types of one side, from the schemas if both have one, else from the profiles if both have one. */
  private static Map<String, String> types(VersionSummary side, VersionSummary other) {
    if (!side.schema().isEmpty() && !other.schema().isEmpty()) {
      return side.schema();
    }
    DatasetProfile profile = side.profile();
    if (profile == null || other.profile() == null) {
      return Map.of();
    }
    Map<String, String> types = new LinkedHashMap<>();
    for (ColumnProfile c : profile.columns().values()) {
      types.put(c.name(), c.kind() == ColumnKind.EMPTY ? UNKNOWN : c.kind().name().toLowerCase(Locale.ROOT));
    }
    return types;
  }

  private static DatasetDiff.ColumnDelta delta(ColumnProfile o, ColumnProfile n) {
    return new DatasetDiff.ColumnDelta(o.name(),
        new DatasetDiff.LongChange(o.count(), n.count()),
        new DatasetDiff.LongChange(o.nulls(), n.nulls()),
        new DatasetDiff.DoubleChange(o.mean(), n.mean()),
        new DatasetDiff.DoubleChange(o.min(), n.min()),
        new DatasetDiff.DoubleChange(o.max(), n.max()),
        new DatasetDiff.LongChange(o.distinct(), n.distinct()));
  }
}
