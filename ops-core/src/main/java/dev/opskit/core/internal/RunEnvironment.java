package dev.opskit.core.internal;

import dev.opskit.time.Scheduler;
import java.time.Clock;
import java.util.random.RandomGenerator;

/** What every run of a workspace shares: time, scheduling, randomness, and where finished runs are kept. */
record RunEnvironment(Clock clock, Scheduler scheduler, RandomGenerator random, RunStore store) {
  /** A uniform number in [0, 1) for jitter. The generator may not be thread-safe, so calls are serialized. */
  double nextRandom() {
    synchronized (random) {
      return random.nextDouble();
    }
  }
}
