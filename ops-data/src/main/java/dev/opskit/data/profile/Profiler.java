package dev.opskit.data.profile;

import dev.opskit.data.internal.codec.RowMap;
import dev.opskit.data.internal.stats.ColumnStats;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Profiles a tabular dataset version in one streaming pass: feed it every row with {@link #accept}, then
 * {@link #finish()}. Memory is bounded per column whatever the row count: a KLL sketch of a few thousand numbers, a
 * 4 KB HyperLogLog array, and at most 1024 frequent-value candidates of up to 64 characters.
 *
 * <pre>{@code
 * Profiler profiler = Profiler.start();
 * for (Map<String, Object> row : rows) {
 *   profiler.accept(row);
 * }
 * DatasetProfile profile = profiler.finish();
 * }</pre>
 *
 * <p>Columns are listed in the order they are first seen, which follows the iteration order of the row maps (stable
 * for the {@code LinkedHashMap} rows the codecs produce). A column that some rows lack counts as null in those rows.
 * Quantiles, distinct counts and frequent values come from Apache DataSketches and are approximate; KLL sketches are
 * randomized, so profiling the same rows twice may give quantiles that differ within the stated error.
 *
 * <p>A profiler is used by one thread.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class Profiler {
  private final Map<String, ColumnStats> columns = new LinkedHashMap<>();
  // The previous row's keys by position, and their statistics: rows of one version usually share one key order and
  // the same key instances, so an identity check usually replaces a hash lookup.
  private Object[] lastKeys = new Object[16];
  private ColumnStats[] lastStats = new ColumnStats[16];
  private long rows;
  private boolean finished;

  private Profiler() {}

  /**
   * Starts profiling one version.
   *
   * @return a fresh profiler
   */
  public static Profiler start() {
    return new Profiler();
  }

  /**
   * Sees one row.
   *
   * @param row the row's columns by name; values are strings, numbers, booleans or null
   * @throws IllegalStateException after {@link #finish()}
   */
  public void accept(Map<String, ?> row) {
    if (finished) {
      throw new IllegalStateException("the profiler has finished; start a new one for another version");
    }
    rows++;
    if (row instanceof RowMap columns) {
      // The rows of a JSON Lines import: walked by position, with no entry objects.
      for (int i = 0, n = columns.size(); i < n; i++) {
        String key = columns.keyAt(i);
        ColumnStats stats = i < lastKeys.length && lastKeys[i] == key ? lastStats[i] : lookup(key, i);
        if (columns.isNumber(i)) {
          stats.acceptNumber(columns.numberAt(i));
        } else {
          stats.accept(columns.valueAt(i));
        }
      }
      return;
    }
    int i = 0;
    for (Map.Entry<String, ?> e : row.entrySet()) {
      String key = e.getKey();
      ColumnStats stats;
      if (i < lastKeys.length && lastKeys[i] == key) {
        stats = lastStats[i];
      } else {
        stats = lookup(key, i);
      }
      stats.accept(e.getValue());
      i++;
    }
  }

  private ColumnStats lookup(String key, int position) {
    Objects.requireNonNull(key, "a row has a column with a null name");
    ColumnStats stats = columns.computeIfAbsent(key, k -> new ColumnStats());
    if (position >= lastKeys.length) {
      int size = Math.max(position + 1, lastKeys.length * 2);
      lastKeys = Arrays.copyOf(lastKeys, size);
      lastStats = Arrays.copyOf(lastStats, size);
    }
    lastKeys[position] = key;
    lastStats[position] = stats;
    return stats;
  }

  /**
   * Returns how many rows were seen so far.
   *
   * @return the row count
   */
  public long rows() {
    return rows;
  }

  /**
   * Ends profiling and summarizes the rows seen.
   *
   * @return the profile
   * @throws IllegalStateException if already finished
   */
  public DatasetProfile finish() {
    if (finished) {
      throw new IllegalStateException("the profiler has already finished");
    }
    finished = true;
    Map<String, ColumnProfile> out = new LinkedHashMap<>();
    for (Map.Entry<String, ColumnStats> e : columns.entrySet()) {
      out.put(e.getKey(), e.getValue().toProfile(e.getKey(), rows));
    }
    return new DatasetProfile(rows, out);
  }
}
