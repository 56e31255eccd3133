package dev.opskit.core.internal.metadata;

import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;

/**
 * Stores the commits of an embedded H2 file in groups, each on file before its commit returns. H2 opened with
 * {@code WRITE_DELAY=0} writes a chunk of every page a commit changed, and the pages above them up to each tree's
 * root, at every commit, one commit at a time and under the writer lock, so writers queued behind each other's stores
 * (in the CI soak of 8 threads, write p99 of 107-189 ms, and a chunk per commit for the housekeeping to reclaim). The
 * store therefore opens H2 with its commits delayed, so that a commit only makes its changes visible, and a thread
 * whose transaction committed calls {@link #awaitDurable()} before it reports success: that waits for the first store
 * of the file to start after the commit, and starts one when none is under way. Commits that end while a store runs
 * share the next one: one chunk, and one copy of the pages above them.
 *
 * <p>A commit acknowledged to the caller is thus on file as before (written, as before, not forced: a killed process
 * loses nothing, a power cut what the kernel had not written back). Writers do not wait for each other's stores: the
 * writer lock is given back before this wait, so the next transaction writes while the last one is stored. What H2
 * stores in the background (its own writer, every {@code WRITE_DELAY}) is a commit that nobody waits for, such as the
 * housekeeping's rewritten pages. Thread-safe.
 */
final class H2GroupCommit {
  private final MVStore store;
  private final String description;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stored = lock.newCondition();
  /** The number of the last store started; stores are numbered from 1 in the order they start. Guarded by lock. */
  private long started;
  /** The highest number of a store that ended well: every commit before it started is on file. Guarded by lock. */
  private long durableThrough;
  /** The highest number of a store that failed, and its failure. Guarded by lock. */
  private long failedStore;
  private @Nullable RuntimeException failure;
  private boolean storing;

  H2GroupCommit(MVStore store, String description) {
    this.store = store;
    this.description = description;
  }

  /**
   * Returns once every change committed before the call is on file: after the first store that starts after the call
   * has ended well, run by this thread when no other is storing.
   *
   * @throws SQLException if that store failed: the commit is visible to later transactions but may not be on file
   */
  void awaitDurable() throws SQLException {
    lock.lock();
    try {
      long needed = started + 1;
      while (durableThrough < needed) {
        if (failedStore >= needed) {
          RuntimeException f = Objects.requireNonNull(failure);
          throw new SQLException("could not store the commit to the " + description + ": " + f.getMessage(), f);
        }
        if (storing) {
          stored.awaitUninterruptibly();
          continue;
        }
        storing = true;
        long mine = ++started;
        RuntimeException failed = null;
        // outside the lock, so that commits ending meanwhile queue for the next store
        lock.unlock();
        try {
          store.commit();
        } catch (RuntimeException e) {
          failed = e;
        } finally {
          lock.lock();
          storing = false;
          if (failed == null) {
            durableThrough = Math.max(durableThrough, mine);
          } else {
            failedStore = mine;
            failure = failed;
          }
          stored.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
