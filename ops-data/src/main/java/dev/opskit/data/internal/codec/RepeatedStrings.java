package dev.opskit.data.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The short ASCII strings one column held lately, in 32 slots chosen by a hash of their bytes. A value found again
 * is returned as the same instance: no new string, and its hash code, which the frequent-values sketch asks for,
 * already computed. A value of up to 8 bytes is one masked 8-byte word, kept and compared as such; a longer one is
 * hashed by its first and last 8 bytes and compared byte by byte. A column whose values rarely repeat (an id, a
 * user) turns the cache off after 1,024 reads, so that it pays for no copies it never reuses. Not thread-safe; one
 * {@link JsonLineScanner} uses it, for one column position.
 */
final class RepeatedStrings {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final int LONGEST = 24;
  private static final int SLOTS = 32;
  private static final int TRIAL = 1_024;

  private final int[] lengths = new int[SLOTS];
  private final long[] words = new long[SLOTS];
  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] values = new String[SLOTS];
  private int reads;
  private int hits;
  private boolean off;

  RepeatedStrings() {
    Arrays.fill(lengths, -1);
  }

  String get(byte[] b, int start, int length) {
    if (off || start + LONGEST + 8 > b.length) {
      return new String(b, start, length, StandardCharsets.ISO_8859_1);
    }
    long first = (long) LONGS.get(b, start);
    long word = length >= 8 ? first : first & ((1L << (8 * length)) - 1);
    long key = length <= 8 ? word : word ^ Long.rotateLeft((long) LONGS.get(b, start + length - 8), 29);
    int slot = (int) (((key ^ length) * 0x9E3779B97F4A7C15L) >>> 59);
    if (++reads == TRIAL) {
      off = hits < TRIAL / 4;
    }
    if (lengths[slot] == length && words[slot] == word && (length <= 8
        || Arrays.equals(bytes[slot], 0, length, b, start, start + length))) {
      hits++;
      return values[slot];
    }
    String value = new String(b, start, length, StandardCharsets.ISO_8859_1);
    lengths[slot] = length;
    words[slot] = word;
    bytes[slot] = length <= 8 ? null : Arrays.copyOfRange(b, start, start + length);
    values[slot] = value;
    return value;
  }
}
