package dev.opskit.core.internal;

import dev.opskit.store.StoreConflictException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs a read-modify-write transaction again after each conflict that fresh reads resolve, with a short random pause
 * that grows with the attempts so that contending writers spread out. Used by the catalog, the registry and tracking.
 * Internal.
 */
public final class ConflictRetry {
  /** Attempts before the last conflict is thrown. */
  public static final int MAX_ATTEMPTS = 100;

  /** The longest pause between two attempts. */
  private static final long MAX_BACKOFF_NANOS = 10_000_000L;

  private ConflictRetry() {}

  /**
   * Runs work until it does not conflict.
   *
   * @param work one transaction, run again from its first read on a conflict
   * @param <T> the result type
   * @return what the work returned
   * @throws StoreConflictException if every attempt conflicted
   */
  public static <T> T run(Supplier<T> work) {
    return run(work, e -> false);
  }

  /**
   * Runs work until it does not conflict, except for conflicts that are the caller's to decide.
   *
   * @param work one transaction, run again from its first read on a conflict
   * @param passThrough the conflicts thrown at once, such as a promotion that lost to another
   * @param <T> the result type
   * @return what the work returned
   * @throws StoreConflictException if every attempt conflicted, or a conflict passes through
   */
  public static <T> T run(Supplier<T> work, Predicate<StoreConflictException> passThrough) {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.get();
      } catch (StoreConflictException e) {
        if (attempt >= MAX_ATTEMPTS || passThrough.test(e)) {
          throw e;
        }
        long bound = Math.min(MAX_BACKOFF_NANOS, 20_000L << Math.min(attempt, 9));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(bound));
      }
    }
  }
}
