package dev.opskit.console.internal;

import dev.opskit.data.profile.ColumnProfile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * A numeric column's distribution, read back from its profile as a piecewise-linear cumulative distribution: from the
 * profile's sketch (the quantiles at every percentile, as {@link ColumnProfile} documents it), or, when the sketch is
 * absent or in a form this console does not know, from its minimum, quantiles and maximum. Approximate, as the
 * profile is: good for a histogram's shape, not for counting values.
 */
final class Distribution {
  private static final int MAX_POINTS = 4097;

  private final double[] points;

  private Distribution(double[] points) {
    this.points = points;
  }

  /** The distribution of a column's numbers, or null when it has none. */
  static @Nullable Distribution of(ColumnProfile c) {
    if (c.min() == null || c.max() == null) {
      return null;
    }
    double @Nullable [] fromSketch = c.sketch() == null ? null : decode(c.sketch());
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

  /** The quantiles at evenly spaced ranks from a sketch: a format byte, then little-endian doubles, maybe deflated. */
  private static double @Nullable [] decode(String sketch) {
    try {
      byte[] bytes = Base64.getDecoder().decode(sketch);
      if (bytes.length < 1) {
        return null;
      }
      byte[] raw;
      if (bytes[0] == 1) {
        raw = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
      } else if (bytes[0] == 2) {
        Inflater inflater = new Inflater();
        try {
          inflater.setInput(bytes, 1, bytes.length - 1);
          byte[] out = new byte[MAX_POINTS * Double.BYTES + 1];
          int n = 0;
          while (!inflater.finished()) {
            int got = inflater.inflate(out, n, out.length - n);
            n += got;
            if (got == 0 && (inflater.needsInput() || inflater.needsDictionary() || n == out.length)) {
              return null;
            }
          }
          raw = java.util.Arrays.copyOf(out, n);
        } finally {
          inflater.end();
        }
      } else {
        return null;
      }
      if (raw.length % Double.BYTES != 0 || raw.length < 2 * Double.BYTES) {
        return null;
      }
      double[] points = new double[raw.length / Double.BYTES];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(points);
      for (int i = 0; i < points.length; i++) {
        if (!Double.isFinite(points[i]) || (i > 0 && points[i] < points[i - 1])) {
          return null;
        }
      }
      return points;
    } catch (IllegalArgumentException | DataFormatException e) {
      return null;
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
