package dev.opskit.core.internal;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Time-ordered, 26-character ids (ULIDs): 48 bits of milliseconds then 80 random bits, in Crockford's base 32. Ids made
 * in the same millisecond increase by one, so ids from one generator sort in creation order. Thread-safe.
 */
final class Ulid implements Supplier<String> {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final Clock clock;
  private final RandomGenerator random;
  private long lastMillis = -1;
  private long high;
  private long low;

  Ulid(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  @Override
  public synchronized String get() {
    long millis = clock.millis();
    if (millis <= lastMillis) {
      millis = lastMillis;
      low++;
      if ((low & 0xFFFFFFFFFFL) == 0) {
        high = (high + 1) & 0xFFFFFFFFFFL;
      }
      low &= 0xFFFFFFFFFFL;
    } else {
      lastMillis = millis;
      // The workspace shares the generator with retry jitter (RunEnvironment), which locks it too.
      synchronized (random) {
        high = random.nextLong() & 0xFFFFFFFFFFL;
        low = random.nextLong() & 0xFFFFFFFFFFL;
      }
    }
    char[] out = new char[26];
    long time = millis;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    long h = high;
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (h & 31)];
      h >>>= 5;
    }
    long l = low;
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (l & 31)];
      l >>>= 5;
    }
    return new String(out);
  }
}
