package dev.opskit.core.internal.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims the space of an embedded H2 file. H2 writes each commit as a new chunk of the pages it changed; a chunk
 * that still holds a few live pages is only freed once those pages are rewritten elsewhere, and the thread that does
 * that in H2 runs only when commits are delayed. The store opens H2 with {@code WRITE_DELAY=0}, so that each commit
 * is on file when it returns, and that turns the thread off: without this class the file grows by every chunk it
 * ever wrote (we measured about 85 KB per registration or promotion, 1.7 GB after 20,000).
 *
 * <p>Every {@value #PERIOD_MS} ms, on one daemon thread shared by all stores of the JVM, each open store does what
 * H2's own housekeeping does, through H2's public {@link MVStore} API: when less than {@value #TARGET_FILL_PERCENT}%
 * of its chunks' space is live, it rewrites the live pages of the sparsest chunks old enough to be rewritten (older
 * than the retention time), so that those chunks die and H2 frees them at a later commit; and when the store wrote
 * nothing since the last round and less than {@value #TARGET_FILL_PERCENT}% of the file is in use, it moves chunks
 * down and truncates the file. Under sustained writes the file therefore stays within a bound of the live data, the
 * data written in the retention time and what the rewriting has not reached yet, instead of growing without bound.
 *
 * <p>The retention time. H2 never reuses the space of a chunk younger than its retention time, 45 s by default,
 * because it assumes the operating system may hold written pages that long before they reach the disk. At the rate a
 * busy workspace writes (the soak's eight threads write 40 to 100 MB/s of chunks, most of them dead within seconds),
 * 45 s alone held several gigabytes, and the tens of thousands of chunks it kept made each commit slower (H2 keeps a
 * metadata entry per chunk). The store opens H2 with a retention time of {@value #RETENTION_MS} ms instead, and each
 * round that follows writes forces the file to the disk ({@link MVStore#sync()}, on this thread, never on a
 * committing one), so that every chunk reaches the disk within about {@value #PERIOD_MS} ms, ten times within the
 * retention time. The durability of a commit is unchanged: it is in the file when commit returns.
 *
 * <p>A store whose connection is not to a local H2 file (an in-memory database, a server URL) has nothing to reclaim
 * and gets no housekeeping. A failure of one round is logged and the next round tries again. Thread-safe.
 */
final class H2Housekeeping implements AutoCloseable {
  /** How often each store is looked after. */
  static final int PERIOD_MS = 500;
  /** Below this percentage of live space, chunks are rewritten; below it in the file, the file is shrunk. */
  static final int TARGET_FILL_PERCENT = 50;
  /** The most live bytes one round rewrites while the store is busy; idle rounds rewrite four times as much. */
  static final int BUSY_WRITE_LIMIT = 4 * 1024 * 1024;
  /** How long H2 keeps a chunk it wrote before it may reuse its space; the store opens H2 with it. */
  static final int RETENTION_MS = 5_000;
  /** How many times a round tries to rewrite chunks when H2's store lock was busy (each try waits up to 10 ms). */
  static final int COMPACT_TRIES = 3;
  /** The most bytes one idle round moves to shrink the file. */
  static final long MOVE_LIMIT = 16L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
  /** How long the thread outlives the last open store. */
  static final int IDLE_SECONDS = 10;

  private static final ScheduledThreadPoolExecutor THREAD = newThread();

  private final MVStore store;
  private final String description;
  private final ScheduledFuture<?> task;
  private long lastWriteCount = -1;
  private long rounds;
  private boolean closed;
  private boolean failureLogged;

  private H2Housekeeping(MVStore store, String description) {
    this.store = store;
    this.description = description;
    this.task = THREAD.scheduleWithFixedDelay(this::round, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts looking after the file a connection is to, if it is a local H2 file.
   *
   * @param c a connection of the store
   * @param description the store, for log messages
   * @return the housekeeping, or null if the connection is not to a local H2 file
   * @throws SQLException if the connection cannot be unwrapped
   */
  static @Nullable H2Housekeeping start(Connection c, String description) throws SQLException {
    if (!c.isWrapperFor(JdbcConnection.class)) {
      return null;
    }
    Session session = c.unwrap(JdbcConnection.class).getSession();
    if (!(session instanceof SessionLocal)) {
      return null;
    }
    var database = ((SessionLocal) session).getDatabase();
    if (!database.isPersistent() || database.getStore() == null) {
      return null;
    }
    MVStore store = database.getStore().getMvStore();
    if (store.getFileStore() == null || store.isReadOnly()) {
      return null;
    }
    return new H2Housekeeping(store, description);
  }

  /**
   * The shared thread: a daemon, started by the first store, and ended {@value #IDLE_SECONDS} s after the last one
   * closes (its task is removed when cancelled), so that an application server that undeploys the host keeps no
   * thread of it.
   */
  private static ScheduledThreadPoolExecutor newThread() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "opskit-h2-housekeeping");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** One round; public H2 calls only, each under H2's own store lock. Run by the shared thread, and by tests. */
  synchronized void round() {
    if (closed || store.isClosed()) {
      return;
    }
    try {
      FileStore<?> file = store.getFileStore();
      long writes = file.getWriteCount();
      boolean idle = writes == lastWriteCount;
      if (!idle) {
        // Everything written so far reaches the disk long before the retention time lets H2 reuse its space.
        store.sync();
      }
      if (rewrite(file, idle) && idle) {
        // Nothing else will commit soon: store the rewritten pages now, so that their old chunks die.
        store.tryCommit();
      }
      if (idle && file instanceof RandomAccessStore && file.getFillRate() < TARGET_FILL_PERCENT) {
        ((RandomAccessStore) file).compactMoveChunks(TARGET_FILL_PERCENT, MOVE_LIMIT, store);
      }
      lastWriteCount = file.getWriteCount();
      if (LOG.isDebugEnabled() && ++rounds % (60_000 / PERIOD_MS) == 0) {
        StringBuilder state = new StringBuilder();
        file.populateInfo((k, v) -> state.append(' ').append(k).append('=').append(v));
        LOG.debug("{}:{}", description, state);
      }
    } catch (RuntimeException e) {
      if (closed || store.isClosed()) {
        return;
      }
      if (!failureLogged) {
        failureLogged = true;
        LOG.warn("Reclaiming space in the {} failed; it is tried again every {} ms, and only this first failure is "
            + "logged", description, PERIOD_MS, e);
      }
    }
  }

  /**
   * Rewrites the live pages of sparse chunks if less than {@value #TARGET_FILL_PERCENT}% of the chunks' space is live.
   * H2 gives up when its store lock stays busy for 10 ms, which under eight committing threads it did in about half
   * the rounds (measured), and the rewriting fell behind the writes; so a busy lock is tried again, up to {@value
   * #COMPACT_TRIES} times.
   *
   * @return whether pages were rewritten
   */
  private boolean rewrite(FileStore<?> file, boolean idle) {
    for (int i = 0; i < COMPACT_TRIES && file.getChunksFillRate() < TARGET_FILL_PERCENT; i++) {
      if (store.compact(TARGET_FILL_PERCENT, idle ? 4 * BUSY_WRITE_LIMIT : BUSY_WRITE_LIMIT)) {
        return true;
      }
    }
    return false;
  }

  /** Stops; waits for a round in progress, so that the store can be closed safely afterwards. */
  @Override
  public synchronized void close() {
    closed = true;
    task.cancel(false);
  }
}
