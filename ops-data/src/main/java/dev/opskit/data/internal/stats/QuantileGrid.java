package dev.opskit.data.internal.stats;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * A numeric distribution summarized as its quantiles at evenly spaced ranks: point i is the quantile at rank
 * i/(n-1), so the default 101 points are the minimum, the percentiles p1 to p99, and the maximum. Profiles store it,
 * base64-encoded, as a column's {@code sketch}; drift reads the distribution back from it.
 *
 * <p>The cumulative distribution function is read as piecewise linear between the points, with steps where points
 * repeat (values that hold a whole percentile or more); so between two grid points it is off by at most the grid step
 * (1% of rank), and typically far less for smooth distributions.
 *
 * <p>Encoding: one format byte, then the points as little-endian IEEE doubles, raw (format 1) or deflated (format 2,
 * chosen when smaller, as for integer-valued columns). It depends on no sketch library, so stored profiles outlive a
 * change of DataSketches version. Instances are immutable.
 *
 * @since 0.1.0
 */
public final class QuantileGrid {
  /** Points in a profile's grid: the minimum, the 99 percentiles and the maximum. */
  public static final int POINTS = 101;

  private static final byte RAW = 1;
  private static final byte DEFLATED = 2;
  private static final int MAX_POINTS = 4097;

  private final double[] points;

  private QuantileGrid(double[] points) {
    this.points = points;
  }

  /**
   * Creates a grid.
   *
   * @param points the quantiles at evenly spaced ranks from 0 to 1: at least 2, finite and non-decreasing
   * @return the grid
   */
  public static QuantileGrid of(double[] points) {
    if (points.length < 2 || points.length > MAX_POINTS) {
      throw new IllegalArgumentException("a quantile grid has 2 to " + MAX_POINTS + " points, got " + points.length);
    }
    for (int i = 0; i < points.length; i++) {
      if (!Double.isFinite(points[i]) || (i > 0 && points[i] < points[i - 1])) {
        throw new IllegalArgumentException("quantile grid points must be finite and non-decreasing, got "
            + points[i] + " at " + i);
      }
    }
    return new QuantileGrid(points.clone());
  }

  /**
   * Reads a grid from its {@link #encode() encoding}.
   *
   * @param base64 the encoded grid
   * @return the grid
   * @throws IllegalArgumentException if the text is not an encoded grid
   */
  public static QuantileGrid decode(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a column sketch must be base64: " + e.getMessage(), e);
    }
    if (bytes.length == 0) {
      throw new IllegalArgumentException("a column sketch is empty");
    }
    byte[] raw;
    if (bytes[0] == RAW) {
      raw = Arrays.copyOfRange(bytes, 1, bytes.length);
    } else if (bytes[0] == DEFLATED) {
      raw = inflate(bytes);
    } else {
      throw new IllegalArgumentException("unknown column sketch format " + bytes[0]
          + "; it was written by a newer version of opskit");
    }
    if (raw.length % Double.BYTES != 0) {
      throw new IllegalArgumentException("a column sketch is truncated: " + raw.length + " bytes of points");
    }
    double[] points = new double[raw.length / Double.BYTES];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(points);
    return of(points);
  }

  private static byte[] inflate(byte[] bytes) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(bytes, 1, bytes.length - 1);
      byte[] out = new byte[MAX_POINTS * Double.BYTES + 1];
      int n = 0;
      while (!inflater.finished()) {
        int got = inflater.inflate(out, n, out.length - n);
        n += got;
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary() || n == out.length)) {
          throw new IllegalArgumentException("a column sketch is truncated or too large");
        }
      }
      return Arrays.copyOf(out, n);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("a column sketch is corrupt: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /**
   * Encodes the grid as base64 text.
   *
   * @return the encoding
   */
  public String encode() {
    ByteBuffer raw = ByteBuffer.allocate(points.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asDoubleBuffer().put(points);
    byte[] plain = raw.array();
    byte[] deflated = deflate(plain);
    byte[] out;
    if (deflated.length < plain.length) {
      out = new byte[deflated.length + 1];
      out[0] = DEFLATED;
      System.arraycopy(deflated, 0, out, 1, deflated.length);
    } else {
      out = new byte[plain.length + 1];
      out[0] = RAW;
      System.arraycopy(plain, 0, out, 1, plain.length);
    }
    return Base64.getEncoder().encodeToString(out);
  }

  private static byte[] deflate(byte[] plain) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(plain);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length);
      byte[] chunk = new byte[512];
      while (!deflater.finished()) {
        int n = deflater.deflate(chunk);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /**
   * Returns the points.
   *
   * @return a copy
   */
  public double[] points() {
    return points.clone();
  }

  /**
   * Returns the number of points.
   *
   * @return the size
   */
  public int size() {
    return points.length;
  }

  /**
   * Returns the point at an index.
   *
   * @param i the index, from 0 to {@code size() - 1}
   * @return the quantile at rank i/(size-1)
   */
  public double point(int i) {
    return points[i];
  }

  private double step() {
    return 1.0 / (points.length - 1);
  }

  /**
   * Returns the estimated fraction of values less than or equal to x.
   *
   * @param x the value
   * @return the fraction, from 0 to 1
   */
  public double cdf(double x) {
    int last = points.length - 1;
    if (x < points[0]) {
      return 0;
    }
    if (x >= points[last]) {
      return 1;
    }
    int i = lastAtMost(x); // points[i] <= x < points[i + 1]
    return (i + (x - points[i]) / (points[i + 1] - points[i])) * step();
  }

  /**
   * Returns the estimated fraction of values strictly less than x: the left limit of {@link #cdf}.
   *
   * @param x the value
   * @return the fraction, from 0 to 1
   */
  public double cdfBelow(double x) {
    int last = points.length - 1;
    if (x <= points[0]) {
      return 0;
    }
    if (x > points[last]) {
      return 1;
    }
    int i = lastBelow(x); // points[i] < x <= points[i + 1]
    return (i + (x - points[i]) / (points[i + 1] - points[i])) * step();
  }

  /**
   * Returns the estimated quantile at a rank, interpolating between points.
   *
   * @param rank the rank, from 0 to 1
   * @return the quantile
   */
  public double quantile(double rank) {
    if (!(rank >= 0 && rank <= 1)) {
      throw new IllegalArgumentException("rank must be between 0 and 1, got " + rank);
    }
    double pos = rank * (points.length - 1);
    int i = (int) Math.floor(pos);
    double frac = pos - i;
    if (i >= points.length - 1 || frac < 1e-9) {
      return points[Math.min(i, points.length - 1)];
    }
    if (frac > 1 - 1e-9) {
      return points[i + 1];
    }
    return points[i] + frac * (points[i + 1] - points[i]);
  }

  private int lastAtMost(double x) {
    int lo = 0;
    int hi = points.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (points[mid] <= x) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private int lastBelow(double x) {
    int lo = 0;
    int hi = points.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (points[mid] < x) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof QuantileGrid g && Arrays.equals(points, g.points);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(points);
  }

  @Override
  public String toString() {
    return "QuantileGrid" + Arrays.toString(points);
  }
}
