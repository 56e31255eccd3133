package dev.opskit.benchmarks.soak;

import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * A latency histogram in nanoseconds with a fixed memory size: exact below 32 ns, then 32 buckets per power of two (a
 * bucket's width is at most 1/32 of its values, so a percentile is within about 3%). Values up to about 2^41 ns (36
 * minutes) are kept; larger ones land in the last bucket. Not thread-safe; each recording thread has its own.
 */
final class Histogram {
  private static final int SUB = 32;
  private static final int SHIFT = 5;
  private static final int BUCKETS = SUB + 36 * SUB;

  private final long[] counts = new long[BUCKETS];
  private long total;

  /**
   * Records one value.
   *
   * @param nanos the latency in nanoseconds; negative values count as 0
   */
  void record(long nanos) {
    counts[index(Math.max(0, nanos))]++;
    total++;
  }

  /**
   * Adds every count of another histogram to this one.
   *
   * @param other the histogram to add
   */
  void add(Histogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  /**
   * Returns how many values were recorded.
   *
   * @return the count
   */
  long count() {
    return total;
  }

  /**
   * Returns a percentile: the upper bound of the bucket holding the value of that rank.
   *
   * @param p the percentile, in (0, 100]
   * @return nanoseconds; NaN if the histogram is empty
   */
  double percentile(double p) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upper(i);
      }
    }
    return upper(BUCKETS - 1);
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int e = 63 - Long.numberOfLeadingZeros(v);
    int sub = (int) ((v >>> (e - SHIFT)) - SUB);
    return Math.min(BUCKETS - 1, SUB + (e - SHIFT) * SUB + sub);
  }

  static long upper(int index) {
    if (index < SUB) {
      return index;
    }
    int e = (index - SUB) / SUB + SHIFT;
    int sub = (index - SUB) % SUB;
    return (((long) SUB + sub + 1) << (e - SHIFT)) - 1;
  }

  /**
   * Encodes the non-empty buckets as {@code index:count,index:count}, with no spaces, for a report line.
   *
   * @return the text; {@code -} when empty
   */
  String encode() {
    StringJoiner j = new StringJoiner(",");
    for (int i = 0; i < BUCKETS; i++) {
      if (counts[i] != 0) {
        j.add(i + ":" + counts[i]);
      }
    }
    return total == 0 ? "-" : j.toString();
  }

  /**
   * Decodes what {@link #encode()} wrote.
   *
   * @param text the text
   * @return the histogram
   * @throws IllegalArgumentException if the text is not in that form
   */
  static Histogram decode(String text) {
    Histogram h = new Histogram();
    if (text.equals("-")) {
      return h;
    }
    for (String pair : text.split(",")) {
      int colon = pair.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("histogram bucket '" + pair + "' is not index:count");
      }
      int i = Integer.parseInt(pair.substring(0, colon));
      long c = Long.parseLong(pair.substring(colon + 1));
      h.counts[i] += c;
      h.total += c;
    }
    return h;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Histogram[n=%d p50=%.0f p99=%.0f]", total, percentile(50), percentile(99));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h && h.total == total && Arrays.equals(h.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }
}
