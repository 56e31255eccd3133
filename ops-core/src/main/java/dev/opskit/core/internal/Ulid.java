package dev.opskit.core.internal;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Time-ordered, 26-character ids (ULIDs): 48 bits of the clock's milliseconds then 80 random bits, in Crockford's
 * base 32. Ids made in the same millisecond, or while the clock stands still or goes back, increase by one, so the ids
 * of one generator sort in the order they were made. The workspace's run ids and ops-ml's tracking run ids both come
 * from this class (it is public for ops-ml only; it is not API). Thread-safe.
 */
public final class Ulid implements Supplier<String> {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final long FORTY_BITS = 0xFF_FFFF_FFFFL;

  private final Clock clock;
  private final RandomGenerator random;
  private long lastMillis = -1;
  private long high;
  private long low;

  /**
   * Creates a generator.
   *
   * @param clock the clock whose milliseconds lead each id
   * @param random the source of the random bits, drawn under its own lock when a new millisecond starts (a workspace
   *     shares its generator with retry jitter, which locks it too)
   */
  public Ulid(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  @Override
  public synchronized String get() {
    long millis = clock.millis();
    if (millis <= lastMillis) {
      millis = lastMillis;
      low = (low + 1) & FORTY_BITS;
      if (low == 0) {
        high = (high + 1) & FORTY_BITS;
      }
    } else {
      lastMillis = millis;
      synchronized (random) {
        high = random.nextLong() & FORTY_BITS;
        low = random.nextLong() & FORTY_BITS;
      }
    }
    char[] out = new char[26];
    encode(out, 0, 10, millis);
    encode(out, 10, 8, high);
    encode(out, 18, 8, low);
    return new String(out);
  }

  private static void encode(char[] out, int from, int length, long bits) {
    long rest = bits;
    for (int i = from + length - 1; i >= from; i--) {
      out[i] = ALPHABET[(int) (rest & 31)];
      rest >>>= 5;
    }
  }
}
