package dev.opskit.data.internal.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Hashes a sequence of values to 128 bits: MurmurHash3 (x64, 128-bit variant, seed 0) over a canonical, type-tagged
 * encoding of the values. Numbers encode by value ({@code 1}, {@code 1L} and {@code 1.0} hash alike), strings by
 * their UTF-16 code units with a length prefix, so that {@code ("ab", "c")} and {@code ("a", "bc")} differ.
 *
 * <p>Two different value sequences collide with probability about 2<sup>-128</sup>; among n distinct keys the chance
 * of any collision is about n<sup>2</sup>/2<sup>129</sup>, negligible for any dataset.
 *
 * <p>Reuse one hasher: after its buffer has grown to the longest input, hashing allocates nothing. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class ValueHasher {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private static final byte NULL = 0;
  private static final byte BOOLEAN = 1;
  private static final byte INTEGER = 2;
  private static final byte DOUBLE = 3;
  private static final byte STRING = 4;
  private static final byte BIG_INTEGER = 5;
  private static final byte OTHER = 6;

  private byte[] buf = new byte[64];
  private int len;
  private long h1;
  private long h2;

  /** Creates a hasher. */
  public ValueHasher() {}

  /**
   * Starts a new input.
   *
   * @return this hasher
   */
  public ValueHasher reset() {
    len = 0;
    return this;
  }

  /**
   * Appends a value: null, a string, a number, a boolean, or anything else by its {@code toString()}.
   *
   * @param value the value
   * @return this hasher
   */
  public ValueHasher putValue(@Nullable Object value) {
    if (value == null) {
      putByte(NULL);
    } else if (value instanceof String s) {
      putByte(STRING);
      putChars(s);
    } else if (value instanceof Number n) {
      putNumber(n);
    } else if (value instanceof Boolean b) {
      putByte(BOOLEAN);
      putByte(b ? (byte) 1 : (byte) 0);
    } else {
      putByte(OTHER);
      putChars(value.toString());
    }
    return this;
  }

  private void putNumber(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      putByte(INTEGER);
      putLong(n.longValue());
      return;
    }
    if (n instanceof BigInteger bi) {
      putBigInteger(bi);
      return;
    }
    if (n instanceof BigDecimal bd) {
      BigInteger integral = Values.integral(bd);
      if (integral != null) {
        putBigInteger(integral);
        return;
      }
    }
    double d = n.doubleValue();
    if (Values.isLong(d)) {
      putByte(INTEGER);
      putLong((long) d);
    } else {
      putByte(DOUBLE);
      putLong(Double.doubleToLongBits(d));
    }
  }

  private void putBigInteger(BigInteger bi) {
    if (bi.bitLength() < 64) {
      putByte(INTEGER);
      putLong(bi.longValue());
    } else {
      putByte(BIG_INTEGER);
      putChars(bi.toString());
    }
  }

  /**
   * Appends a string with its length, without a type tag.
   *
   * @param s the string
   * @return this hasher
   */
  public ValueHasher putChars(String s) {
    int n = s.length();
    ensure(4 + 2 * n);
    putIntUnchecked(n);
    byte[] b = buf;
    int at = len;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b[at++] = (byte) c;
      b[at++] = (byte) (c >>> 8);
    }
    len = at;
    return this;
  }

  /**
   * Appends a long.
   *
   * @param v the value
   * @return this hasher
   */
  public ValueHasher putLong(long v) {
    ensure(8);
    LONGS.set(buf, len, v);
    len += 8;
    return this;
  }

  private void putByte(byte v) {
    ensure(1);
    buf[len++] = v;
  }

  private void putIntUnchecked(int v) {
    buf[len] = (byte) v;
    buf[len + 1] = (byte) (v >>> 8);
    buf[len + 2] = (byte) (v >>> 16);
    buf[len + 3] = (byte) (v >>> 24);
    len += 4;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  /**
   * Hashes what was appended since {@link #reset()}; read the result with {@link #high()} and {@link #low()}.
   *
   * @return this hasher
   */
  public ValueHasher finish() {
    murmur3(buf, len);
    return this;
  }

  /**
   * Returns the first 64 bits of the last hash.
   *
   * @return the high half
   */
  public long high() {
    return h1;
  }

  /**
   * Returns the last 64 bits of the last hash.
   *
   * @return the low half
   */
  public long low() {
    return h2;
  }

  /**
   * Hashes one string to 64 bits.
   *
   * @param s the string
   * @return the high half of its 128-bit hash
   */
  public long hashString(String s) {
    reset();
    putChars(s);
    murmur3(buf, len);
    return h1;
  }

  /**
   * Hashes the key columns of a row, in order. A missing column hashes as null.
   *
   * @param row the row
   * @param columns the key columns
   * @return this hasher, holding the hash
   */
  public ValueHasher hashKey(Map<String, ?> row, String[] columns) {
    reset();
    for (String column : columns) {
      putValue(row.get(column));
    }
    return finish();
  }

  /**
   * Hashes a whole row, independently of the order of its columns: the sum of the hashes of each (column, value)
   * pair, mixed with their number. A null value counts as a missing column.
   *
   * @param row the row
   * @param out receives the high and low halves
   */
  public void hashRow(Map<String, ?> row, long[] out) {
    long a = 0;
    long b = 0;
    long n = 0;
    for (Map.Entry<String, ?> e : row.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      reset();
      putChars(e.getKey());
      putValue(v);
      murmur3(buf, len);
      a += h1;
      b += h2;
      n++;
    }
    out[0] = fmix64(a ^ n);
    out[1] = fmix64(b + n * C1);
  }

  private void murmur3(byte[] data, int length) {
    long x1 = 0;
    long x2 = 0;
    int blocks = length >>> 4;
    for (int i = 0; i < blocks; i++) {
      long k1 = (long) LONGS.get(data, i << 4);
      long k2 = (long) LONGS.get(data, (i << 4) + 8);
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      x1 ^= k1;
      x1 = Long.rotateLeft(x1, 27);
      x1 += x2;
      x1 = x1 * 5 + 0x52dce729;
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      x2 ^= k2;
      x2 = Long.rotateLeft(x2, 31);
      x2 += x1;
      x2 = x2 * 5 + 0x38495ab5;
    }
    int tail = blocks << 4;
    int rem = length & 15;
    if (rem > 8) {
      long k2 = 0;
      for (int i = rem - 1; i >= 8; i--) {
        k2 = (k2 << 8) | (data[tail + i] & 0xffL);
      }
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      x2 ^= k2;
    }
    if (rem > 0) {
      long k1 = 0;
      for (int i = Math.min(rem, 8) - 1; i >= 0; i--) {
        k1 = (k1 << 8) | (data[tail + i] & 0xffL);
      }
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      x1 ^= k1;
    }
    x1 ^= length;
    x2 ^= length;
    x1 += x2;
    x2 += x1;
    x1 = fmix64(x1);
    x2 = fmix64(x2);
    x1 += x2;
    x2 += x1;
    h1 = x1;
    h2 = x2;
  }

  /**
   * Hashes bytes with MurmurHash3 x64 128, seed 0; exposed to test the implementation against the reference.
   *
   * @param data the bytes
   * @return the two halves
   */
  public static long[] murmur3(byte[] data) {
    ValueHasher h = new ValueHasher();
    h.murmur3(data, data.length);
    return new long[] {h.h1, h.h2};
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
