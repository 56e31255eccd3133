package dev.opskit.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Order statistics of the few numbers a non-JMH measurement takes. */
public final class Stats {
  private Stats() {}

  /**
   * Returns the median: the middle value, or the mean of the two middle ones.
   *
   * @param values the values
   * @return the median; NaN if there are none
   */
  public static double median(Collection<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * Returns the smallest and the largest value.
   *
   * @param values the values
   * @return {@code [min, max]}; empty if there are none
   */
  public static List<Double> minMax(Collection<Double> values) {
    return values.isEmpty() ? List.of() : List.of(Collections.min(values), Collections.max(values));
  }

  /**
   * Returns bytes in MB (2^20 bytes).
   *
   * @param bytes the bytes
   * @return the megabytes
   */
  public static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
