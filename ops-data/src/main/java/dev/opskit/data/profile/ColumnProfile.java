package dev.opskit.data.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The summary of one column of a tabular dataset version, computed in one pass by a {@link Profiler}. It serializes to
 * and from JSON as a plain record, so the catalog
 * stores it with the version, and {@link Drift} and {@link Diff} compare versions from it alone. A numeric column's
 * JSON is about 1.5 KB, a fifth of that when its values are integers; a categorical column's depends on the length
 * of its 20 most frequent values.
 *
 * <p>Numeric statistics ({@code min} to {@code sketch}) cover the numeric values and are null when there are none;
 * {@code top} and {@code other} cover the string and boolean values. A {@link ColumnKind#MIXED} column has both.
 * NaN and infinite numbers count as nulls.
 *
 * @param name the column name
 * @param kind what its non-null values are
 * @param count how many rows hold a non-null value
 * @param nulls how many rows hold null or lack the column; {@code count + nulls} is the version's row count
 * @param distinct the approximate number of distinct non-null values (HyperLogLog, lgK 12: about 1.6% relative
 *     standard error; near exact below a few hundred); numbers count by value, so 1 and 1.0 are one value
 * @param min the smallest number, or null
 * @param max the largest number, or null
 * @param mean the mean of the numbers, or null
 * @param stddev the sample standard deviation of the numbers (divisor n - 1, as pandas and SQL {@code stddev}),
 *     computed with Welford's algorithm; null for fewer than two numbers
 * @param quantiles approximate quantiles of the numbers, keyed {@code p01}, {@code p05}, {@code p25}, {@code p50},
 *     {@code p75}, {@code p95}, {@code p99} (KLL sketch, k 200: rank error under about 1.65% with 99% confidence);
 *     empty when there are no numbers
 * @param top the up to 20 most frequent string or boolean values, most frequent first, ties by value
 * @param other how many string or boolean values are not in {@code top}
 * @param sketch the distribution of the numbers for drift: base64 of the quantiles at every percentile rank, from
 *     the minimum to the maximum (101 doubles, deflated when that is smaller); null when there are no numbers
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record ColumnProfile(
    String name,
    ColumnKind kind,
    long count,
    long nulls,
    long distinct,
    @Nullable Double min,
    @Nullable Double max,
    @Nullable Double mean,
    @Nullable Double stddev,
    Map<String, Double> quantiles,
    List<ValueCount> top,
    long other,
    @Nullable String sketch) {

  /**
   * Checks the components and copies the collections, keeping the order of {@code quantiles}.
   *
   * @param name the column name
   * @param kind the kind
   * @param count non-null values
   * @param nulls null or missing values
   * @param distinct approximate distinct values
   * @param min the smallest number
   * @param max the largest number
   * @param mean the mean
   * @param stddev the sample standard deviation
   * @param quantiles the quantiles
   * @param top the frequent values
   * @param other the count of the other values
   * @param sketch the encoded distribution
   */
  public ColumnProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(quantiles, "quantiles");
    Objects.requireNonNull(top, "top");
    if (count < 0 || nulls < 0 || distinct < 0 || other < 0) {
      throw new IllegalArgumentException("column '" + name + "': counts must not be negative, got count " + count
          + ", nulls " + nulls + ", distinct " + distinct + ", other " + other);
    }
    quantiles = Collections.unmodifiableMap(new LinkedHashMap<>(quantiles));
    top = List.copyOf(top);
  }

  /**
   * Returns the distribution of the column's numbers that {@code sketch} encodes, so that a caller draws a histogram
   * or reads a cumulative distribution without knowing the encoding: the quantiles at evenly spaced ranks, from rank 0
   * (the minimum) to rank 1 (the maximum); 101 points (the minimum, every percentile, the maximum) in a profile made
   * by this version. Read it as linear between the points, as {@link Drift} does. Decoded on each call.
   *
   * <p>Example, the share of the numbers at most {@code x}, to about a percent: the fractional index of {@code x}
   * among the points, divided by {@code points.length - 1}.
   *
   * @return a new array of the points, finite and non-decreasing; empty when there is no sketch (no numbers)
   * @throws IllegalArgumentException naming the column if the sketch is not one this version can read (edited, or
   *     written by a newer version of opskit)
   * @since 0.1.0
   */
  public java.util.Optional<double[]> distribution() {
    if (sketch == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(dev.opskit.data.internal.stats.QuantileGrid.decode(sketch).points());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("column '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * Returns how many string and boolean values the column holds: the sum of {@code top} and {@code other}.
   *
   * @return the count of categorical values
   */
  public long categoricalCount() {
    long sum = other;
    for (ValueCount vc : top) {
      sum += vc.count();
    }
    return sum;
  }
}
