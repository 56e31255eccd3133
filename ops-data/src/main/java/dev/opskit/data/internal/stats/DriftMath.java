package dev.opskit.data.internal.stats;

import dev.opskit.data.profile.ColumnProfile;
import dev.opskit.data.profile.ValueCount;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Population stability index and the Kolmogorov-Smirnov statistic between two profiled distributions.
 *
 * <p>PSI = sum over bins of (a - e) ln(a / e), with e and a each bin's share of the expected and actual values, and a
 * share below {@link #EPSILON} raised to it (no renormalization), so an empty bin costs a large but finite term.
 *
 * @since 0.1.0
 */
public final class DriftMath {
  /** The smallest bin share PSI uses: 10<sup>-4</sup>, the usual smoothing for empty bins. */
  public static final double EPSILON = 1e-4;
  /** The number of bins for numeric PSI before equal edges merge: deciles. */
  public static final int NUMERIC_BINS = 10;

  private DriftMath() {}

  /**
   * Computes the PSI of two binned distributions.
   *
   * @param expected each bin's share of the expected values
   * @param actual each bin's share of the actual values, in the same bins
   * @return the index, 0 for identical shares
   */
  public static double psi(double[] expected, double[] actual) {
    if (expected.length != actual.length) {
      throw new IllegalArgumentException("bins differ: " + expected.length + " expected, " + actual.length + " actual");
    }
    double sum = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(expected[i], EPSILON);
      double a = Math.max(actual[i], EPSILON);
      sum += (a - e) * Math.log(a / e);
    }
    return sum;
  }

  /**
   * Returns the edges of the numeric PSI bins: the expected distribution's deciles, with equal ones merged. The bins
   * are (-inf, e1], (e1, e2], ..., (ek, +inf).
   *
   * @param expected the expected distribution
   * @return the edges, strictly increasing
   */
  public static double[] decileEdges(QuantileGrid expected) {
    double[] edges = new double[NUMERIC_BINS - 1];
    int n = 0;
    for (int j = 1; j < NUMERIC_BINS; j++) {
      double edge = expected.quantile((double) j / NUMERIC_BINS);
      if (n == 0 || edge > edges[n - 1]) {
        edges[n++] = edge;
      }
    }
    return java.util.Arrays.copyOf(edges, n);
  }

  /**
   * Returns each bin's share of a distribution.
   *
   * @param grid the distribution
   * @param edges the bins' edges, strictly increasing
   * @return the shares, one more than the edges
   */
  public static double[] shares(QuantileGrid grid, double[] edges) {
    double[] p = new double[edges.length + 1];
    double previous = 0;
    for (int i = 0; i < edges.length; i++) {
      double c = grid.cdf(edges[i]);
      p[i] = Math.max(0, c - previous);
      previous = c;
    }
    p[edges.length] = Math.max(0, 1 - previous);
    return p;
  }

  /**
   * Computes the PSI of two numeric distributions over the deciles of the expected one.
   *
   * @param expected the expected distribution
   * @param actual the actual distribution
   * @return the index
   */
  public static double numericPsi(QuantileGrid expected, QuantileGrid actual) {
    double[] edges = decileEdges(expected);
    return psi(shares(expected, edges), shares(actual, edges));
  }

  /**
   * Computes the Kolmogorov-Smirnov statistic: the largest difference between the two cumulative distribution
   * functions, evaluated at every point of both grids and just below each, where the maximum of two piecewise linear
   * functions with steps must lie.
   *
   * @param expected the expected distribution
   * @param actual the actual distribution
   * @return D, from 0 to 1
   */
  public static double ks(QuantileGrid expected, QuantileGrid actual) {
    double d = 0;
    for (QuantileGrid g : new QuantileGrid[] {expected, actual}) {
      for (int i = 0; i < g.size(); i++) {
        double x = g.point(i);
        d = Math.max(d, Math.abs(expected.cdf(x) - actual.cdf(x)));
        d = Math.max(d, Math.abs(expected.cdfBelow(x) - actual.cdfBelow(x)));
      }
    }
    return Math.min(1, d);
  }

  /**
   * Computes the PSI of two categorical distributions: one bin per value in either profile's frequent values, plus
   * one for all other values. A value that is frequent in one profile but not listed in the other counts in the
   * other's "other" bin, since its count there is not known.
   *
   * @param expected the expected column
   * @param actual the actual column
   * @return the index
   */
  public static double categoricalPsi(ColumnProfile expected, ColumnProfile actual) {
    Map<String, Integer> bins = new LinkedHashMap<>();
    for (ValueCount vc : expected.top()) {
      bins.putIfAbsent(vc.value(), bins.size());
    }
    for (ValueCount vc : actual.top()) {
      bins.putIfAbsent(vc.value(), bins.size());
    }
    return psi(categoricalShares(expected, bins), categoricalShares(actual, bins));
  }

  private static double[] categoricalShares(ColumnProfile column, Map<String, Integer> bins) {
    double[] shares = new double[bins.size() + 1];
    double total = column.categoricalCount();
    double listed = 0;
    for (ValueCount vc : column.top()) {
      shares[bins.get(vc.value())] = vc.count() / total;
      listed += vc.count();
    }
    shares[bins.size()] = Math.max(0, total - listed) / total;
    return shares;
  }
}
