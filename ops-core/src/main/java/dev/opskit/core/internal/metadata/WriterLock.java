package dev.opskit.core.internal.metadata;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one transaction of a store write at a time: taken at a transaction's first write, given back once it has
 * committed or rolled back. Reads are not held up. A transaction belongs to the thread running its work, which takes
 * and gives back the lock; the lock is reentrant, so a transaction that runs another on its own thread is not blocked
 * by itself. Waiting writers are served in order. Thread-safe.
 */
final class WriterLock {
  /** The locks of the databases open in this JVM, by URL, with how many stores hold each. */
  private static final Map<String, WriterLock> SHARED = new HashMap<>(); // guarded by itself

  private final ReentrantLock lock = new ReentrantLock(true);
  private final long timeoutMillis;
  private int holders; // guarded by SHARED

  WriterLock(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * The lock of a database, shared by every store of this JVM open on the same URL: embedded H2 opens one database per
   * URL in a JVM, so two workspaces opened on one directory write to one database and must take one lock. Give it back
   * with {@link #unshare(String)} when the store closes.
   *
   * @param url the database's JDBC URL
   * @param timeoutMillis how long a writer waits, for a lock made now
   * @return the lock
   */
  static WriterLock shared(String url, long timeoutMillis) {
    synchronized (SHARED) {
      WriterLock l = SHARED.computeIfAbsent(url, u -> new WriterLock(timeoutMillis));
      l.holders++;
      return l;
    }
  }

  /**
   * Gives back a store's hold on a shared lock; the last one forgets it.
   *
   * @param url the URL it was shared by
   */
  static void unshare(String url) {
    synchronized (SHARED) {
      WriterLock l = SHARED.get(url);
      if (l != null && --l.holders <= 0) {
        SHARED.remove(url);
      }
    }
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
