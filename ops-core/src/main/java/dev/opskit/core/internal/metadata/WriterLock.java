package dev.opskit.core.internal.metadata;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one transaction of a store write at a time: taken at a transaction's first write, given back once it has
 * committed or rolled back. Reads are not held up. A transaction belongs to the thread running its work, which takes
 * and gives back the lock; the lock is reentrant, so a transaction that runs another on its own thread is not blocked
 * by itself. Waiting writers are served in order. Thread-safe.
 */
final class WriterLock {
  private final ReentrantLock lock = new ReentrantLock(true);
  private final long timeoutMillis;

  WriterLock(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Takes the lock for the calling thread's transaction, waiting at most the timeout.
   *
   * @return whether it was taken; false if another transaction kept writing for longer, or the thread was interrupted
   */
  boolean acquire() {
    try {
      return lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** How long {@link #acquire()} waits, in milliseconds. */
  long timeoutMillis() {
    return timeoutMillis;
  }

  /** Whether a transaction is waiting for the lock; for tests. */
  boolean hasWaiters() {
    return lock.hasQueuedThreads();
  }

  /** Gives the lock back; called by the thread that took it. */
  void release() {
    lock.unlock();
  }
}
