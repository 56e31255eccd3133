package dev.opskit.data.internal.stats;

/**
 * A set of 128-bit hashes: open addressing with linear probing over one {@code long[]}, two longs a slot, kept at
 * most three quarters full. A slot costs 16 bytes, so the set holds a distinct key in 21 to 43 bytes (about 32 on
 * average over growth), plus the old table while it doubles. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class Hash128Set {
  private static final int MAX_SLOTS = 1 << 29;

  private long[] table;
  private int mask;
  private int size;
  private int threshold;

  /** Creates an empty set. */
  public Hash128Set() {
    allocate(1 << 10);
  }

  private void allocate(int slots) {
    table = new long[slots * 2];
    mask = slots - 1;
    threshold = (int) (slots * 0.75);
  }

  /**
   * Adds a hash.
   *
   * @param hi its first 64 bits
   * @param lo its last 64 bits
   * @return true if it was not in the set
   */
  public boolean add(long hi, long lo) {
    if ((hi | lo) == 0) {
      lo = 1; // (0, 0) marks an empty slot; folding it onto (0, 1) is one more 2^-128 collision.
    }
    long[] t = table;
    int slot = (int) lo & mask;
    while (true) {
      int i = slot << 1;
      long a = t[i];
      long b = t[i + 1];
      if ((a | b) == 0) {
        t[i] = hi;
        t[i + 1] = lo;
        if (++size > threshold) {
          grow();
        }
        return true;
      }
      if (a == hi && b == lo) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Returns the number of hashes held.
   *
   * @return the size
   */
  public int size() {
    return size;
  }

  private void grow() {
    long[] old = table;
    int slots = (mask + 1) * 2;
    if (slots > MAX_SLOTS) {
      throw new IllegalStateException("too many distinct keys to track exactly: more than " + threshold);
    }
    allocate(slots);
    for (int i = 0; i < old.length; i += 2) {
      long a = old[i];
      long b = old[i + 1];
      if ((a | b) != 0) {
        int slot = (int) b & mask;
        while ((table[slot << 1] | table[(slot << 1) + 1]) != 0) {
          slot = (slot + 1) & mask;
        }
        table[slot << 1] = a;
        table[(slot << 1) + 1] = b;
      }
    }
  }
}
