package dev.opskit.data.internal.stats;

/**
 * A map from a 128-bit key hash to a 128-bit row hash, with a "seen" mark per entry: open addressing with linear
 * probing over one {@code long[]} of four longs a slot, kept at most three quarters full, plus one bit a slot for the
 * marks. A slot costs 32 bytes, so a key takes 43 to 85 bytes (about 64 on average over growth), plus the old table
 * while it doubles. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class KeyRowTable {
  private static final int MAX_SLOTS = 1 << 28;

  private long[] table;
  private long[] seen;
  private int mask;
  private int size;
  private int seenCount;
  private int threshold;

  /** Creates an empty table. */
  public KeyRowTable() {
    allocate(1 << 10);
  }

  private void allocate(int slots) {
    table = new long[slots * 4];
    seen = new long[Math.max(1, slots >>> 6)];
    mask = slots - 1;
    threshold = (int) (slots * 0.75);
  }

  private static long nonZero(long hi, long lo) {
    return (hi | lo) == 0 ? 1 : lo; // (0, 0) marks an empty slot
  }

  /**
   * Adds a key with its row hash, unless the key is present.
   *
   * @param keyHi the key hash's first 64 bits
   * @param keyLo its last 64 bits
   * @param rowHi the row hash's first 64 bits
   * @param rowLo its last 64 bits
   * @return true if the key was added, false if it was already present (its row hash is kept)
   */
  public boolean putIfAbsent(long keyHi, long keyLo, long rowHi, long rowLo) {
    keyLo = nonZero(keyHi, keyLo);
    long[] t = table;
    int slot = (int) keyLo & mask;
    while (true) {
      int i = slot << 2;
      long a = t[i];
      long b = t[i + 1];
      if ((a | b) == 0) {
        t[i] = keyHi;
        t[i + 1] = keyLo;
        t[i + 2] = rowHi;
        t[i + 3] = rowLo;
        if (++size > threshold) {
          grow();
        }
        return true;
      }
      if (a == keyHi && b == keyLo) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Finds a key.
   *
   * @param keyHi the key hash's first 64 bits
   * @param keyLo its last 64 bits
   * @return the key's slot, or -1 if absent
   */
  public int find(long keyHi, long keyLo) {
    keyLo = nonZero(keyHi, keyLo);
    long[] t = table;
    int slot = (int) keyLo & mask;
    while (true) {
      int i = slot << 2;
      long a = t[i];
      long b = t[i + 1];
      if ((a | b) == 0) {
        return -1;
      }
      if (a == keyHi && b == keyLo) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Tells whether a slot's row hash equals the given one.
   *
   * @param slot a slot from {@link #find}
   * @param rowHi the row hash's first 64 bits
   * @param rowLo its last 64 bits
   * @return true if equal
   */
  public boolean sameRow(int slot, long rowHi, long rowLo) {
    int i = slot << 2;
    return table[i + 2] == rowHi && table[i + 3] == rowLo;
  }

  /**
   * Marks a slot as seen.
   *
   * @param slot a slot from {@link #find}
   * @return true if it was already marked
   */
  public boolean markSeen(int slot) {
    long bit = 1L << slot;
    int word = slot >>> 6;
    boolean was = (seen[word] & bit) != 0;
    if (!was) {
      seen[word] |= bit;
      seenCount++;
    }
    return was;
  }

  /**
   * Tells whether the key is present and marked.
   *
   * @param keyHi the key hash's first 64 bits
   * @param keyLo its last 64 bits
   * @return true if present and seen
   */
  public boolean isSeen(long keyHi, long keyLo) {
    int slot = find(keyHi, keyLo);
    return slot >= 0 && (seen[slot >>> 6] & (1L << slot)) != 0;
  }

  /**
   * Returns the number of keys.
   *
   * @return the size
   */
  public int size() {
    return size;
  }

  /**
   * Returns the number of keys marked seen.
   *
   * @return the count
   */
  public int seenCount() {
    return seenCount;
  }

  private void grow() {
    long[] old = table;
    long[] oldSeen = seen;
    int slots = (mask + 1) * 2;
    if (slots > MAX_SLOTS) {
      throw new IllegalStateException("too many keys to diff: more than " + threshold);
    }
    allocate(slots);
    for (int s = 0, i = 0; i < old.length; s++, i += 4) {
      long a = old[i];
      long b = old[i + 1];
      if ((a | b) != 0) {
        int slot = (int) b & mask;
        while ((table[slot << 2] | table[(slot << 2) + 1]) != 0) {
          slot = (slot + 1) & mask;
        }
        int j = slot << 2;
        table[j] = a;
        table[j + 1] = b;
        table[j + 2] = old[i + 2];
        table[j + 3] = old[i + 3];
        if ((oldSeen[s >>> 6] & (1L << s)) != 0) {
          seen[slot >>> 6] |= 1L << slot;
        }
      }
    }
  }
}
