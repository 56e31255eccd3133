package dev.opskit.data.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The scanner of {@link JsonLinesImport}: reads one line holding one flat object of strings, numbers, booleans and
 * nulls, with ASCII names, straight from the bytes it is in, into a {@link RowMap} whose names are shared with the row
 * before when the layout repeats; it refuses, having reported nothing, anything else (a nested value, a name with an
 * escape or a non-ASCII character, a name twice, a malformed line), which Jackson then reads.
 *
 * <p>The scanner gives each value exactly the Java value Jackson gives: {@code Integer} when an integer fits in an
 * int, {@code Long} when it fits in a long (up to 18 digits here; longer ones go to Jackson), {@code Double} for a
 * number with a fraction or an exponent (correctly rounded: exact arithmetic when the digits and the power of ten
 * are exact doubles, {@link Double#parseDouble} otherwise), and strings decoded from UTF-8 with JSON's escapes.
 *
 * <p>It holds the layout of the last row it read, the names it has seen, the values of the row being read and, per
 * column position, the short strings seen lately ({@link RepeatedStrings}). Not thread-safe; one instance reads the
 * lines of one content, in order.
 */
final class JsonLineScanner {
  private static final double[] POW10 = new double[23];
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  /** Distinct column names kept for sharing at most. */
  private static final int MAX_NAMES = 4_096;

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private final Consumer<Map<String, Object>> rows;
  /** The bytes of the line being read. */
  private byte[] buf = new byte[0];

  /** The names of the last row read by the scanner, shared with every row of the same layout, and their bytes. */
  private String[] layout = new String[0];
  private byte[][] layoutBytes = new byte[0][];
  /** The first 8 bytes of each name of the layout as a little-endian word, zero past its end, and the mask of them. */
  private long[] layoutWords = new long[0];
  private long[] layoutMasks = new long[0];
  private final Map<String, String> names = new HashMap<>();
  private String[] rowKeys = new String[16];
  private @Nullable Object[] rowValues = new Object[16];
  /** The numbers of the row being read, where {@link #rowValues} holds a {@link RowMap} marker. */
  private long[] rowNumbers = new long[16];
  private boolean rowHasNumbers;
  private final StringBuilder text = new StringBuilder();
  /** Per column position, the short strings seen lately, so that a column of few values reuses their instances. */
  private final @Nullable RepeatedStrings[] columnStrings = new RepeatedStrings[64];

  /**
   * Creates a scanner.
   *
   * @param rows what sees each row read
   */
  JsonLineScanner(Consumer<Map<String, Object>> rows) {
    this.rows = rows;
  }

  private int skipWs(int p, int end) {
    byte[] b = buf;
    while (p < end) {
      byte c = b[p];
      if (c != ' ' && c != '\t' && c != '\r') {
        return p;
      }
      p++;
    }
    return p;
  }

  /**
   * Reads a line holding one flat object, or nothing.
   *
   * @param content the bytes the line is in, which the scanner reads until the next call
   * @param start where the line starts
   * @param end where the line ends, before its {@code \n}
   * @return 1 having reported the line's row, 0 for a blank line, or -1, having reported nothing, for anything else
   */
  int scan(byte[] content, int start, int end) {
    buf = content;
    byte[] b = content;
    int p = skipWs(start, end);
    if (p == end) {
      return 0; // a blank line
    }
    if (b[p] != '{') {
      return -1;
    }
    p = skipWs(p + 1, end);
    int col = 0;
    rowHasNumbers = false;
    boolean sameLayout = true;
    if (p < end && b[p] == '}') {
      p++;
    } else {
      while (true) {
        if (p >= end || b[p] != '"') {
          return -1;
        }
        int ks = p + 1;
        int ke;
        if (col == rowKeys.length) {
          rowKeys = Arrays.copyOf(rowKeys, col * 2);
          rowValues = Arrays.copyOf(rowValues, col * 2);
          rowNumbers = Arrays.copyOf(rowNumbers, col * 2);
        }
        if (sameLayout && col < layout.length && (ke = knownName(ks, end, col)) >= 0) {
          rowKeys[col] = layout[col]; // the name the row before had here, and no other
        } else {
          ke = ks;
          while (true) {
            if (ke >= end) {
              return -1;
            }
            byte c = b[ke];
            if (c == '"') {
              break;
            }
            if (c == '\\' || c < 0x20) { // an escape, a control character, or a non-ASCII byte (negative)
              return -1;
            }
            ke++;
          }
          sameLayout = false;
          rowKeys[col] = name(ks, ke);
        }
        p = skipWs(ke + 1, end);
        if (p >= end || b[p] != ':') {
          return -1;
        }
        p = skipWs(p + 1, end);
        if (p >= end) {
          return -1;
        }
        p = value(p, end, col);
        if (p < 0) {
          return -1;
        }
        col++;
        p = skipWs(p, end);
        if (p >= end) {
          return -1;
        }
        if (b[p] == ',') {
          p = skipWs(p + 1, end);
          continue;
        }
        if (b[p] == '}') {
          p++;
          break;
        }
        return -1;
      }
    }
    if (skipWs(p, end) != end) {
      return -1;
    }
    String[] keys;
    if (sameLayout && col == layout.length) {
      keys = layout;
    } else {
      keys = Arrays.copyOf(rowKeys, col);
      for (int i = 1; i < col; i++) {
        for (int j = 0; j < i; j++) {
          if (keys[i] == keys[j]) {
            return -1; // a name twice: Jackson's reading keeps the first place and the last value
          }
        }
      }
      byte[][] bytes = new byte[col][];
      long[] words = new long[col];
      long[] masks = new long[col];
      for (int i = 0; i < col; i++) {
        bytes[i] = keys[i].getBytes(StandardCharsets.ISO_8859_1);
        for (int k = 0; k < Math.min(8, bytes[i].length); k++) {
          words[i] |= (bytes[i][k] & 0xFFL) << (8 * k);
          masks[i] |= 0xFFL << (8 * k);
        }
      }
      layout = keys;
      layoutBytes = bytes;
      layoutWords = words;
      layoutMasks = masks;
    }
    long[] numbers = rowHasNumbers ? Arrays.copyOf(rowNumbers, col) : null;
    rows.accept(new RowMap(keys, Arrays.copyOf(rowValues, col), numbers));
    return 1;
  }

  /**
   * Returns where the layout's name at a position ends if the content has exactly that name there (its bytes, then the
   * closing quote), else -1. The layout's names are plain ASCII, so matching one needs no escape or encoding check;
   * a name of up to 8 bytes is one masked 8-byte compare.
   */
  private int knownName(int start, int end, int col) {
    byte[] name = layoutBytes[col];
    int n = name.length;
    int close = start + n;
    if (close >= end || buf[close] != '"') {
      return -1;
    }
    byte[] b = buf;
    if (n <= 8 && start + 8 <= b.length) {
      return ((long) LONGS.get(b, start) & layoutMasks[col]) == layoutWords[col] ? close : -1;
    }
    for (int i = 0; i < n; i++) {
      if (b[start + i] != name[i]) {
        return -1;
      }
    }
    return close;
  }

  /** Returns the one instance of an ASCII name, so that a name repeated in any later layout is the same object. */
  private String name(int start, int end) {
    String s = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    if (names.size() >= MAX_NAMES) {
      names.clear(); // content whose names are data (ids as keys): sharing them is not worth the memory
    }
    String known = names.putIfAbsent(s, s);
    return known == null ? s : known;
  }

  /** Reads a value into {@link #rowValues}; returns the position after it, or -1 if the scanner does not read it. */
  private int value(int p, int end, int col) {
    byte[] b = buf;
    switch (b[p]) {
      case '"':
        return string(p + 1, end, col);
      case 't':
        return literal(p, end, col, "true", Boolean.TRUE);
      case 'f':
        return literal(p, end, col, "false", Boolean.FALSE);
      case 'n':
        return literal(p, end, col, "null", null);
      default:
        return number(p, end, col);
    }
  }

  private int literal(int p, int end, int col, String word, @Nullable Object value) {
    int n = word.length();
    if (end - p < n) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      if (buf[p + i] != word.charAt(i)) {
        return -1;
      }
    }
    rowValues[col] = value;
    return p + n; // "trueish" is caught by the caller, which wants a delimiter next
  }

  private int string(int start, int end, int col) {
    byte[] b = buf;
    int q = start;
    // Eight bytes at a time while none is a quote, a backslash, a control character or non-ASCII (SWAR).
    while (q + 8 <= end) {
      long x = (long) LONGS.get(b, q);
      long quote = x ^ 0x2222222222222222L;
      long slash = x ^ 0x5C5C5C5C5C5C5C5CL;
      long special = (((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | ((x - 0x2020202020202020L) & ~x) | x)
          & HIGHS;
      if (special != 0) {
        q += Long.numberOfTrailingZeros(special) >>> 3; // the first such byte (a borrow only flags bytes above it)
        break;
      }
      q += 8;
    }
    boolean ascii = true;
    boolean escapes = false;
    while (true) {
      if (q >= end) {
        return -1;
      }
      byte c = b[q];
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        escapes = true;
        q += 2;
        continue;
      }
      if (c < 0x20) {
        if (c >= 0) {
          return -1; // a raw control character: Jackson rejects it
        }
        ascii = false;
      }
      q++;
    }
    String raw;
    if (ascii && !escapes && q - start <= RepeatedStrings.LONGEST && col < columnStrings.length) {
      RepeatedStrings repeated = columnStrings[col];
      if (repeated == null) {
        repeated = new RepeatedStrings();
        columnStrings[col] = repeated;
      }
      raw = repeated.get(b, start, q - start);
    } else if (ascii) {
      raw = new String(b, start, q - start, StandardCharsets.ISO_8859_1);
    } else {
      raw = new String(b, start, q - start, StandardCharsets.UTF_8);
      if (raw.indexOf('\uFFFD') >= 0) {
        return -1; // malformed UTF-8, or a real U+FFFD: Jackson decides
      }
    }
    if (escapes) {
      raw = unescape(raw);
      if (raw == null) {
        return -1;
      }
    }
    rowValues[col] = raw;
    return q + 1;
  }

  private @Nullable String unescape(String raw) {
    StringBuilder out = text;
    out.setLength(0);
    int n = raw.length();
    for (int i = 0; i < n; i++) {
      char c = raw.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= n) {
        return null;
      }
      char e = raw.charAt(i);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (i + 4 >= n) {
            return null;
          }
          int v = 0;
          for (int k = 1; k <= 4; k++) {
            int d = hexDigit(raw.charAt(i + k));
            if (d < 0) {
              return null;
            }
            v = v * 16 + d;
          }
          out.append((char) v);
          i += 4;
        }
        default -> {
          return null;
        }
      }
    }
    return out.toString();
  }

  /** The value of an ASCII hex digit, or -1: a JSON escape takes no other digits (Character.digit would). */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  private int number(int p, int end, int col) {
    byte[] b = buf;
    int q = p;
    boolean negative = false;
    if (b[q] == '-') {
      negative = true;
      q++;
      if (q >= end) {
        return -1;
      }
    }
    long mantissa = 0;
    int digits = 0;
    if (b[q] == '0') {
      q++;
      digits = 1;
    } else if (b[q] >= '1' && b[q] <= '9') {
      while (q < end && digit(b[q])) {
        if (digits < 19) {
          mantissa = mantissa * 10 + (b[q] - '0');
        }
        digits++;
        q++;
      }
    } else {
      return -1;
    }
    int intDigits = digits;
    boolean fraction = false;
    int fractionDigits = 0;
    if (q < end && b[q] == '.') {
      q++;
      fraction = true;
      while (q < end && digit(b[q])) {
        if (digits < 19) {
          mantissa = mantissa * 10 + (b[q] - '0');
        }
        digits++;
        fractionDigits++;
        q++;
      }
      if (fractionDigits == 0) {
        return -1;
      }
    }
    boolean exponent = false;
    int exp = 0;
    if (q < end && (b[q] == 'e' || b[q] == 'E')) {
      exponent = true;
      q++;
      boolean expNegative = false;
      if (q < end && (b[q] == '+' || b[q] == '-')) {
        expNegative = b[q] == '-';
        q++;
      }
      int expDigits = 0;
      while (q < end && digit(b[q])) {
        if (exp < 100_000) {
          exp = exp * 10 + (b[q] - '0');
        }
        expDigits++;
        q++;
      }
      if (expDigits == 0) {
        return -1;
      }
      if (expNegative) {
        exp = -exp;
      }
    }
    if (!fraction && !exponent) {
      if (intDigits > 18) {
        return -1; // Jackson decides between long and BigInteger
      }
      long v = negative ? -mantissa : mantissa;
      rowValues[col] = v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? RowMap.INT : RowMap.LONG;
      rowNumbers[col] = v;
      rowHasNumbers = true;
      return q;
    }
    double d;
    int scale = fractionDigits - exp;
    if (digits <= 15 && scale >= -22 && scale <= 22) {
      // Both the digits and the power of ten are exact doubles: one division or product is correctly rounded.
      d = scale >= 0 ? mantissa / POW10[scale] : mantissa * POW10[-scale];
      if (negative) {
        d = -d;
      }
    } else {
      d = Double.parseDouble(new String(b, p, q - p, StandardCharsets.ISO_8859_1));
    }
    rowValues[col] = RowMap.DOUBLE;
    rowNumbers[col] = Double.doubleToRawLongBits(d);
    rowHasNumbers = true;
    return q;
  }
}
