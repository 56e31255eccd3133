package dev.opskit.data.internal.stats;

import dev.opskit.data.profile.ColumnKind;
import dev.opskit.data.profile.ColumnProfile;
import dev.opskit.data.profile.ValueCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.jspecify.annotations.Nullable;

/**
 * The streaming statistics of one column: count and type counts, min, max, mean and variance (Welford), a KLL sketch
 * of the numbers, a HyperLogLog sketch of the distinct values and a frequent-items sketch of the strings and booleans.
 * Sketches are created on first use, so a numeric column holds no frequent-items sketch. Memory is bounded per column
 * whatever the row count: the KLL sketch keeps a few thousand doubles, the HyperLogLog array is 4 KB, and the
 * frequent-items map holds at most 1024 values of up to 64 characters. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class ColumnStats {
  /** The KLL sketch's k: normalized rank error about 1.65% (99% confidence). */
  public static final int KLL_K = 200;
  /** The HyperLogLog sketch's log2 of its register count: relative standard error about 1.6%. */
  public static final int HLL_LG_K = 12;
  /** The frequent-items sketch's map size: counts are exact up to 768 distinct values. */
  public static final int FREQUENT_MAP_SIZE = 1024;
  /** How many frequent values a profile keeps. */
  public static final int TOP = 20;
  /** Longest value tracked as it is; longer ones are cut to 63 characters and a trailing {@code …}. */
  public static final int MAX_VALUE_LENGTH = 64;
  /** An empty {@link #seen}: each slot holds a key that belongs to another slot, so that no key is found there. */
  private static final long[] SEEN_EMPTY = new long[64];
  /** Numbers buffered per column before a bulk update of the KLL sketch. */
  private static final int PENDING = 256;

  private static final String[] QUANTILE_NAMES = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};
  private static final double[] QUANTILE_RANKS = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
  private static final double[] GRID_RANKS = new double[QuantileGrid.POINTS];
  // Distinct from the hash of any string with overwhelming probability.
  private static final long TRUE_HASH = 0x5be0cd19137e2179L;
  private static final long FALSE_HASH = 0x1f83d9abfb41bd6bL;

  static {
    for (int i = 0; i < SEEN_EMPTY.length; i++) {
      long key = 0;
      while (slot(key) == i) {
        key++;
      }
      SEEN_EMPTY[i] = key;
    }
    for (int i = 0; i < GRID_RANKS.length; i++) {
      GRID_RANKS[i] = (double) i / (GRID_RANKS.length - 1);
    }
  }

  private long numbers;
  private long strings;
  private long booleans;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private double mean;
  private double m2;
  private @Nullable KllDoublesSketch kll;
  /** Numbers not yet given to {@link #kll}: one bulk update costs less than as many single ones. */
  private double @Nullable [] pending;
  private int pendingCount;
  private @Nullable HllSketch hll;
  private @Nullable ItemsSketch<String> frequent;
  /** Values seen lately, by a 64-bit key: one seen again cannot change the distinct-count sketch, which it skips. */
  private final long[] seen = SEEN_EMPTY.clone();

  /** Creates empty statistics. */
  public ColumnStats() {}

  /**
   * Sees one value.
   *
   * @param value the value: null, a number, a string, a boolean, or anything else by its text
   */
  public void accept(@Nullable Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Double d) {
      number(d);
    } else if (value instanceof String s) {
      string(s);
    } else if (value instanceof Number n) {
      number(n.doubleValue());
    } else if (value instanceof Boolean b) {
      bool(b);
    } else {
      string(value.toString());
    }
  }

  /**
   * Sees one number, as {@link #accept} sees a boxed one.
   *
   * @param d the number
   */
  public void acceptNumber(double d) {
    number(d);
  }

  private void number(double d) {
    if (!Double.isFinite(d)) {
      return;
    }
    long n = ++numbers;
    if (d < min) {
      min = d;
    }
    if (d > max) {
      max = d;
    }
    double delta = d - mean;
    mean += delta / n;
    m2 += delta * (d - mean);
    double[] p = pending;
    if (p == null) {
      p = new double[PENDING];
      pending = p;
      kll = KllDoublesSketch.newHeapInstance(KLL_K);
    }
    p[pendingCount++] = d;
    if (pendingCount == PENDING) {
      flush();
    }
    if (unseen(Double.doubleToRawLongBits(d))) {
      hll().update(d);
    }
  }

  private static int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 58);
  }

  /**
   * Whether a key is not among those seen lately, remembering it. A column of few distinct values (a country, a
   * flag) then updates the distinct-count sketch about once per value rather than once per row.
   */
  private boolean unseen(long key) {
    int slot = slot(key);
    if (seen[slot] == key) {
      return false;
    }
    seen[slot] = key;
    return true;
  }

  private void flush() {
    KllDoublesSketch k = kll;
    double[] p = pending;
    if (k != null && p != null && pendingCount > 0) {
      k.update(p, 0, pendingCount);
      pendingCount = 0;
    }
  }

  private void string(String s) {
    strings++;
    long h = hash64(s);
    if (unseen(h)) {
      hll().update(h);
    }
    frequent().update(s.length() > MAX_VALUE_LENGTH ? s.substring(0, MAX_VALUE_LENGTH - 1) + "…" : s);
  }

  /**
   * FNV-1a over the string's UTF-16 code units, 64 bits. The distinct-count sketch hashes it again, so it only needs
   * to tell distinct strings apart, which it does with probability about 1 - n<sup>2</sup>/2<sup>65</sup>; it costs a
   * third of hashing the string's bytes with {@link ValueHasher}, and the distinct count is the sketch's estimate
   * either way.
   */
  static long hash64(String s) {
    long h = 0xcbf29ce484222325L ^ s.length();
    for (int i = 0, n = s.length(); i < n; i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  private void bool(boolean b) {
    booleans++;
    long h = b ? TRUE_HASH : FALSE_HASH;
    if (unseen(h)) {
      hll().update(h);
    }
    frequent().update(b ? "true" : "false");
  }

  private HllSketch hll() {
    HllSketch h = hll;
    if (h == null) {
      h = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);
      hll = h;
    }
    return h;
  }

  private ItemsSketch<String> frequent() {
    ItemsSketch<String> f = frequent;
    if (f == null) {
      f = new ItemsSketch<>(FREQUENT_MAP_SIZE);
      frequent = f;
    }
    return f;
  }

  /**
   * Returns how many non-null values were seen.
   *
   * @return the count
   */
  public long count() {
    return numbers + strings + booleans;
  }

  /**
   * Summarizes the column.
   *
   * @param name the column name
   * @param rows the rows of the version, including those that lacked the column
   * @return the profile
   */
  public ColumnProfile toProfile(String name, long rows) {
    long count = count();
    long distinct = hll == null ? 0 : Math.min(count, Math.round(hll.getEstimate()));
    Double lo = null;
    Double hi = null;
    Double avg = null;
    Double sd = null;
    Map<String, Double> quantiles = new LinkedHashMap<>();
    String sketch = null;
    flush();
    KllDoublesSketch k = kll;
    if (numbers > 0 && k != null) {
      lo = min;
      hi = max;
      avg = mean;
      sd = numbers > 1 ? Math.sqrt(m2 / (numbers - 1)) : null;
      double[] q = k.getQuantiles(QUANTILE_RANKS);
      for (int i = 0; i < q.length; i++) {
        quantiles.put(QUANTILE_NAMES[i], q[i]);
      }
      double[] grid = k.getQuantiles(GRID_RANKS);
      grid[0] = min;
      grid[grid.length - 1] = max;
      sketch = QuantileGrid.of(grid).encode();
    }
    List<ValueCount> top = new ArrayList<>();
    long other = 0;
    if (frequent != null) {
      ItemsSketch.Row<String>[] rowsOf = frequent.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES);
      List<ItemsSketch.Row<String>> sorted = new ArrayList<>(Arrays.asList(rowsOf));
      sorted.sort(Comparator.comparingLong((ItemsSketch.Row<String> r) -> r.getEstimate()).reversed()
          .thenComparing(ItemsSketch.Row::getItem));
      long inTop = 0;
      for (int i = 0; i < Math.min(TOP, sorted.size()); i++) {
        ItemsSketch.Row<String> r = sorted.get(i);
        top.add(new ValueCount(r.getItem(), r.getEstimate()));
        inTop += r.getEstimate();
      }
      other = Math.max(0, strings + booleans - inTop);
    }
    return new ColumnProfile(name, kind(), count, rows - count, distinct, lo, hi, avg, sd, quantiles, top, other,
        sketch);
  }

  private ColumnKind kind() {
    int kinds = (numbers > 0 ? 1 : 0) + (strings > 0 ? 1 : 0) + (booleans > 0 ? 1 : 0);
    if (kinds == 0) {
      return ColumnKind.EMPTY;
    }
    if (kinds > 1) {
      return ColumnKind.MIXED;
    }
    return numbers > 0 ? ColumnKind.NUMERIC : strings > 0 ? ColumnKind.STRING : ColumnKind.BOOLEAN;
  }
}
