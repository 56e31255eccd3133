package dev.opskit.console.internal;

import dev.opskit.data.profile.ColumnProfile;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A numeric column's distribution, read back from its profile as a piecewise-linear cumulative distribution: from the
 * profile's sketch (the quantiles at every percentile, {@link ColumnProfile#distribution()}), or, when the sketch is
 * absent or in a form this console does not know, from its minimum, quantiles and maximum. Approximate, as the
 * profile is: good for a histogram's shape, not for counting values.
 */
final class Distribution {

  private final double[] points;

  private Distribution(double[] points) {
    this.points = points;
  }

  /** The distribution of a column's numbers, or null when it has none. */
  static @Nullable Distribution of(ColumnProfile c) {
    if (c.min() == null || c.max() == null) {
      return null;
    }
    double @Nullable [] fromSketch = decode(c);
    if (fromSketch != null) {
      return new Distribution(fromSketch);
    }
    List<Double> knots = new ArrayList<>();
    List<Double> ranks = new ArrayList<>();
    knots.add(c.min());
    ranks.add(0.0);
    c.quantiles().forEach((key, value) -> {
      try {
        double rank = Integer.parseInt(key.substring(1)) / 100.0;
        if (value != null && rank > ranks.get(ranks.size() - 1) && value >= knots.get(knots.size() - 1)) {
          knots.add(value);
          ranks.add(rank);
        }
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        // A quantile keyed otherwise than pNN: not one of the profile's documented ones, so not used.
      }
    });
    knots.add(Math.max(c.max(), knots.get(knots.size() - 1)));
    ranks.add(1.0);
    // Resample the knots at every percentile, so that both sources give the same form.
    double[] grid = new double[101];
    int k = 0;
    for (int i = 0; i <= 100; i++) {
      double r = i / 100.0;
      while (k < ranks.size() - 2 && ranks.get(k + 1) < r) {
        k++;
      }
      double r0 = ranks.get(k);
      double r1 = ranks.get(k + 1);
      double t = r1 == r0 ? 1 : (r - r0) / (r1 - r0);
      grid[i] = knots.get(k) + Math.max(0, Math.min(1, t)) * (knots.get(k + 1) - knots.get(k));
    }
    return new Distribution(grid);
  }

  /** The points of the profile's sketch, or null when it has none or one this version cannot read. */
  private static double @Nullable [] decode(ColumnProfile c) {
    try {
      return c.distribution().orElse(null);
    } catch (IllegalArgumentException e) {
      return null; // drawn from the quantiles instead
    }
  }

  double min() {
    return points[0];
  }

  double max() {
    return points[points.length - 1];
  }

  /** The share of values at most {@code x}, read as linear between the points. */
  double cdf(double x) {
    int n = points.length - 1;
    if (x < points[0]) {
      return 0;
    }
    if (x >= points[n]) {
      return 1;
    }
    // The last point at or below x, then linear to the next one.
    int lo = 0;
    int hi = n;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (points[mid] <= x) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double a = points[lo];
    double b = points[hi];
    double t = b == a ? 1 : (x - a) / (b - a);
    return (lo + t) / n;
  }

  /** The share of values in each of {@code bins} bins of equal width from the minimum to the maximum. */
  double[] histogram(int bins) {
    double[] out = new double[bins];
    double lo = min();
    double hi = max();
    if (hi <= lo) {
      out[bins / 2] = 1;
      return out;
    }
    double prev = 0;
    for (int i = 0; i < bins; i++) {
      double edge = i == bins - 1 ? hi : lo + (hi - lo) * (i + 1) / bins;
      double c = cdf(edge);
      out[i] = Math.max(0, c - prev);
      prev = c;
    }
    return out;
  }
}
