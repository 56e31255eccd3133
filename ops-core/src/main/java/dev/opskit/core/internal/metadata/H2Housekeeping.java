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
 * than H2's retention time, 45 s by default), so that those chunks die and H2 frees them at a later commit; and when
 * the store wrote nothing since the last round and less than {@value #TARGET_FILL_PERCENT}% of the file is in use, it
 * moves chunks down and truncates the file. Under sustained writes the file therefore levels off at about the data
 * written in twice the retention time plus the live data (as measured), instead of growing without bound.
 *
 * <p>After a round in which the store wrote, the file is forced to disk: H2 reuses a chunk's space once its retention
 * time has passed, assuming the chunks written after it are on disk by then, and the store's retention (10 s) is
 * shorter than the kernel's write-back.
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
      if (file.getChunksFillRate() < TARGET_FILL_PERCENT
          && store.compact(TARGET_FILL_PERCENT, idle ? 4 * BUSY_WRITE_LIMIT : BUSY_WRITE_LIMIT) && idle) {
        // Nothing else will commit soon: store the rewritten pages now, so that their old chunks die.
        store.tryCommit();
      }
      if (idle && file instanceof RandomAccessStore && file.getFillRate() < TARGET_FILL_PERCENT) {
        ((RandomAccessStore) file).compactMoveChunks(TARGET_FILL_PERCENT, MOVE_LIMIT, store);
      }
      if (!idle) {
        // H2 may reuse a chunk's space once the retention time has passed, assuming the file system has written the
        // chunks after it by then; the store's retention (10 s) is shorter than the kernel's own write-back (30 s), so
        // the writes of each round are forced to disk here, and a power cut never finds a reused chunk without them.
        file.sync();
      }
      lastWriteCount = file.getWriteCount();
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

  /** Stops; waits for a round in progress, so that the store can be closed safely afterwards. */
  @Override
  public synchronized void close() {
    closed = true;
    task.cancel(false);
  }
}
