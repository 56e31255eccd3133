package dev.opskit.data.internal.stats;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How row values are compared and shown. Values are strings, numbers, booleans or null; numbers compare by value
 * whatever their boxed type, so {@code 1}, {@code 1L} and {@code 1.0} are the same value.
 *
 * @since 0.1.0
 */
public final class Values {
  /** Longest string shown in a sample before it is cut. */
  static final int MAX_STRING = 40;
  /** Longest rendered row in a sample. */
  static final int MAX_ROW = 160;

  private static final double TWO_63 = 0x1p63;

  private Values() {}

  /**
   * Tells whether a double holds an integer that a {@code long} represents exactly.
   *
   * @param d the number
   * @return true for integral values in the long range, including {@code -0.0}
   */
  public static boolean isLong(double d) {
    return d >= -TWO_63 && d < TWO_63 && d == Math.rint(d);
  }

  /**
   * Returns the canonical form of a value, for set membership: integral numbers as {@link Long}, other numbers as
   * {@link Double} (or {@link BigInteger} beyond the long range), strings and booleans as they are, and anything else
   * as its {@code toString()}.
   *
   * @param value the value
   * @return the canonical value, or null for null
   */
  public static @Nullable Object canonical(@Nullable Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      return canonicalNumber(n);
    }
    return value.toString();
  }

  private static Object canonicalNumber(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    if (n instanceof BigInteger bi) {
      return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
    }
    if (n instanceof BigDecimal bd) {
      BigInteger integral = integral(bd);
      if (integral != null) {
        return canonicalNumber(integral);
      }
    }
    double d = n.doubleValue();
    return isLong(d) ? (Object) (long) d : (Object) d;
  }

  /**
   * Returns a decimal's value as an integer if it has no fraction.
   *
   * @param bd the decimal
   * @return the integer, or null if the decimal has a fraction
   */
  static @Nullable BigInteger integral(BigDecimal bd) {
    if (bd.signum() == 0) {
      return BigInteger.ZERO;
    }
    if (bd.scale() <= 0 || bd.stripTrailingZeros().scale() <= 0) {
      return bd.toBigIntegerExact();
    }
    return null;
  }

  /**
   * Renders a value compactly for a sample: strings quoted and cut at 40 characters, integral numbers without a
   * fraction, null as {@code null}.
   *
   * @param value the value
   * @return the text
   */
  public static String render(@Nullable Object value) {
    StringBuilder sb = new StringBuilder();
    render(value, sb);
    return sb.toString();
  }

  /**
   * Renders a value compactly into a builder.
   *
   * @param value the value
   * @param sb where to append
   */
  public static void render(@Nullable Object value, StringBuilder sb) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      quote(s, sb);
    } else if (value instanceof Double d) {
      sb.append(number(d));
    } else if (value instanceof Float f) {
      float v = f;
      sb.append(isLong(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Float.toString(v));
    } else if (value instanceof BigDecimal bd) {
      sb.append(bd.toString());
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else {
      cut(value.toString(), MAX_STRING, sb);
    }
  }

  /**
   * Renders a number without a trailing {@code .0} when it is integral.
   *
   * @param d the number
   * @return the text
   */
  public static String number(double d) {
    if (isLong(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  /**
   * Renders a row as {@code {a=1, b="x"}}, cut at 160 characters.
   *
   * @param row the row
   * @return the text
   */
  public static String renderRow(Map<String, ?> row) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, ?> e : row.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append('=');
      render(e.getValue(), sb);
      if (sb.length() > MAX_ROW) {
        sb.setLength(MAX_ROW);
        sb.append('…');
        return sb.toString();
      }
    }
    return sb.append('}').toString();
  }

  /**
   * Describes an exception briefly: its simple class name and message, cut at 80 characters.
   *
   * @param e the exception
   * @return the text
   */
  public static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
    String message = e.getMessage();
    if (message != null) {
      sb.append(": ");
      cut(message, 80, sb);
    }
    return sb.toString();
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    int end = Math.min(s.length(), MAX_STRING);
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    if (s.length() > end) {
      sb.append('…');
    }
    sb.append('"');
  }

  private static void cut(String s, int max, StringBuilder sb) {
    if (s.length() <= max) {
      sb.append(s);
    } else {
      sb.append(s, 0, max).append('…');
    }
  }
}
