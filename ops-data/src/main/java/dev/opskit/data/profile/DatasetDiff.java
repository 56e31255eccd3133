package dev.opskit.data.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What changed between two versions of a dataset. Made by {@link Diff#of}; a plain record that serializes to JSON.
 *
 * @param addedColumns columns only the newer version has, in its order
 * @param removedColumns columns only the older version has, in its order
 * @param retypedColumns columns whose type changed
 * @param olderRows the older version's row count
 * @param newerRows the newer version's row count
 * @param columns how each column's profile changed, for the columns both profiles have, in the older one's order
 * @param rows the keyed row changes, or null when no rows were compared
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record DatasetDiff(List<String> addedColumns, List<String> removedColumns, List<Retyped> retypedColumns,
    long olderRows, long newerRows, Map<String, ColumnDelta> columns, @Nullable RowChanges rows) {
  /**
   * Copies the components, keeping the order of the columns.
   *
   * @param addedColumns new columns
   * @param removedColumns dropped columns
   * @param retypedColumns columns of another type
   * @param olderRows the older row count
   * @param newerRows the newer row count
   * @param columns per-column changes
   * @param rows keyed row changes
   */
  public DatasetDiff {
    addedColumns = List.copyOf(addedColumns);
    removedColumns = List.copyOf(removedColumns);
    retypedColumns = List.copyOf(retypedColumns);
    Objects.requireNonNull(columns, "columns");
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /**
   * Returns the change in row count.
   *
   * @return newer minus older
   */
  public long rowDelta() {
    return newerRows - olderRows;
  }

  /**
   * Tells whether columns were added, removed or retyped.
   *
   * @return true if the schema changed
   */
  public boolean schemaChanged() {
    return !addedColumns.isEmpty() || !removedColumns.isEmpty() || !retypedColumns.isEmpty();
  }

  /**
   * A column whose type changed.
   *
   * @param column the column name
   * @param from its type in the older version
   * @param to its type in the newer version
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public record Retyped(String column, String from, String to) {
    /**
     * Checks the components.
     *
     * @param column the column
     * @param from the older type
     * @param to the newer type
     */
    public Retyped {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * A count before and after.
   *
   * @param before the older version's value
   * @param after the newer version's value
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public record LongChange(long before, long after) {
    /**
     * Returns the change.
     *
     * @return after minus before
     */
    public long delta() {
      return after - before;
    }
  }

  /**
   * A statistic before and after; null where a version had no numbers to compute it from.
   *
   * @param before the older version's value
   * @param after the newer version's value
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public record DoubleChange(@Nullable Double before, @Nullable Double after) {
    /**
     * Returns the change.
     *
     * @return after minus before, or empty if either is missing
     */
    public OptionalDouble delta() {
      return before == null || after == null ? OptionalDouble.empty() : OptionalDouble.of(after - before);
    }
  }

  /**
   * How one column's profile changed.
   *
   * @param column the column name
   * @param count non-null values
   * @param nulls null or missing values
   * @param mean the mean of the numbers
   * @param min the smallest number
   * @param max the largest number
   * @param distinct approximate distinct values
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public record ColumnDelta(String column, LongChange count, LongChange nulls, DoubleChange mean, DoubleChange min,
      DoubleChange max, LongChange distinct) {
    /**
     * Checks the components.
     *
     * @param column the column
     * @param count the count change
     * @param nulls the null change
     * @param mean the mean change
     * @param min the minimum change
     * @param max the maximum change
     * @param distinct the distinct change
     */
    public ColumnDelta {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(count, "count");
      Objects.requireNonNull(nulls, "nulls");
      Objects.requireNonNull(mean, "mean");
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(distinct, "distinct");
    }

    /**
     * Tells whether any of the statistics differ.
     *
     * @return true if something changed
     */
    public boolean changed() {
      return count.delta() != 0 || nulls.delta() != 0 || distinct.delta() != 0
          || !Objects.equals(mean.before(), mean.after()) || !Objects.equals(min.before(), min.after())
          || !Objects.equals(max.before(), max.after());
    }
  }

  /**
   * The rows added, removed and changed between two versions of keyed data. Rows match by their key columns; a
   * changed row has the same key and different values (a null value and a missing column are the same).
   *
   * @param keys the key columns
   * @param added rows whose key only the newer version has
   * @param removed keys only the older version has
   * @param changed keys in both whose rows differ
   * @param unchanged keys in both whose rows are equal
   * @param duplicateKeys rows, in either version, whose key already appeared earlier in the same version; they are
   *     skipped, and the first row with a key is the one compared
   * @param addedSamples up to 5 added rows, as {@code id=7: {id=7, name="x"}}
   * @param removedSamples up to 5 removed rows, in the same form
   * @param changedSamples up to 5 changed rows, as {@code id=5: price 10 → 12}
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public record RowChanges(List<String> keys, long added, long removed, long changed, long unchanged,
      long duplicateKeys, List<String> addedSamples, List<String> removedSamples, List<String> changedSamples) {
    /**
     * Checks and copies the components.
     *
     * @param keys the key columns
     * @param added the added count
     * @param removed the removed count
     * @param changed the changed count
     * @param unchanged the unchanged count
     * @param duplicateKeys the skipped duplicates
     * @param addedSamples added samples
     * @param removedSamples removed samples
     * @param changedSamples changed samples
     */
    public RowChanges {
      keys = List.copyOf(keys);
      addedSamples = List.copyOf(addedSamples);
      removedSamples = List.copyOf(removedSamples);
      changedSamples = List.copyOf(changedSamples);
      if (added < 0 || removed < 0 || changed < 0 || unchanged < 0 || duplicateKeys < 0) {
        throw new IllegalArgumentException("row change counts must not be negative");
      }
    }
  }
}
