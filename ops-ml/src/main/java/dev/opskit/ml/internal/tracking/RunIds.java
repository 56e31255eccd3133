package dev.opskit.ml.internal.tracking;

import java.time.Clock;
import java.util.SplittableRandom;

/**
 * Tracking run ids: 26-character ULIDs, 48 bits of the workspace clock's milliseconds then 80 random bits, in
 * Crockford's base 32. The random bits come from a {@link SplittableRandom} seeded once, when the generator is made;
 * ids made in the same millisecond, or while the clock stands still or goes back, increase by one, so the ids of one
 * generator sort in the order they were made. Thread-safe.
 */
final class RunIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final long FORTY_BITS = 0xFF_FFFF_FFFFL;

  private final Clock clock;
  private final SplittableRandom random;
  private long lastMillis = -1;
  private long high;
  private long low;

  RunIds(Clock clock, SplittableRandom random) {
    this.clock = clock;
    this.random = random;
  }

  synchronized String next() {
    long millis = clock.millis();
    if (millis <= lastMillis) {
      millis = lastMillis;
      low = (low + 1) & FORTY_BITS;
      if (low == 0) {
        high = (high + 1) & FORTY_BITS;
      }
    } else {
      lastMillis = millis;
      high = random.nextLong() & FORTY_BITS;
      low = random.nextLong() & FORTY_BITS;
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
