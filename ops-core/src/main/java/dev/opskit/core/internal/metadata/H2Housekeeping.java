package dev.opskit.core.internal.metadata;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
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
 * Reclaims the space of an embedded H2 file. H2 writes each store of commits as a new chunk of the pages they changed;
 * a chunk that still holds a few live pages is only freed once those pages are rewritten elsewhere. H2's own writer
 * thread can do that, but the store turns it off ({@code AUTO_COMPACT_FILL_RATE=0}): it judges by the fill rate of all
 * chunks, young ones too, and under sustained writes those are mostly dead pages nothing may reclaim yet, so it would
 * rewrite without end. Without any of it the file grows by every chunk it ever wrote (1.7 GB after 20,000
 * registrations).
 *
 * <p>Every {@value #PERIOD_MS} ms, on one daemon thread shared by all stores of the JVM, each open store does what
 * H2's own housekeeping does, through H2's public {@link MVStore} API: when less than {@value #TARGET_FILL_PERCENT}%
 * of the space of the chunks old enough to be rewritten (older than the retention time) is live, it rewrites the live
 * pages of the sparsest of them, so that those chunks die and H2 frees them at a later commit; and when the store wrote
 * nothing since the last round and less than {@value #TARGET_FILL_PERCENT}% of the file is in use, it moves chunks
 * down and truncates the file.
 *
 * <p>A busy round rewrites as many bytes as H2 wrote since the last round, between {@value #MIN_WRITE_LIMIT} bytes and
 * {@value #BUSY_WRITE_LIMIT}. That is what holds the old chunks at about the target: a chunk dies once its live pages
 * are rewritten, and what is rewritten is written again, so if rounds rewrite a fraction k of what is written, the
 * chunks they free are at most about k live when freed. A quarter, as until 2026-12-07, left the old chunks a third
 * live and the file at 4.6 times its live data after 3 minutes of the paced soak (150 operations a second); as much
 * as was written holds them at about half (docs/configuration.md has the figures). H2 holds its store lock while it
 * rewrites, and commits wait for that lock, so the budget is rewritten in pieces that start at {@value #PIECE_BYTES}
 * and grow only when H2 finds nothing that fits ({@link #rewrite}), up to {@value #BUSY_PIECE_LIMIT} while busy, and
 * a busy round starts no piece after {@value #BUSY_LOCK_MS} ms: a commit waits for one piece at most, and the writers
 * keep nine tenths of the time. An idle round rewrites up to {@value #IDLE_WRITE_LIMIT} bytes. Under a heavy
 * sustained load (the soak run flat out: 35-45 MB/s written by 8 threads on 2 cores) the time limit binds first and
 * the file grows by 10-35 MB/s, the limit favouring the writers; docs/configuration.md has the figures.
 *
 * <p>At most every {@value #SYNC_MS} ms after writes, the file is forced to disk: H2 reuses a chunk's space once its
 * retention time has passed, assuming the chunks written after it are on disk by then, and the store's retention (10
 * s) is shorter than the kernel's write-back.
 *
 * <p>A store whose connection is not to a local H2 file (an in-memory database, a server URL) has nothing to reclaim
 * and gets no housekeeping. A failure of one round is logged and the next round tries again. Thread-safe.
 */
final class H2Housekeeping implements AutoCloseable {
  /** How often each store is looked after. */
  static final int PERIOD_MS = 500;
  /**
   * Below this percentage of live space in the chunks old enough to be rewritten, they are rewritten; below it in the
   * file, the file is shrunk. H2's own figure for all chunks counts the chunks younger than the retention time too,
   * which under sustained writes are mostly dead pages that nothing may reclaim yet (10-15% live in the soak): judged by
   * it, the store looked sparse all the time, and rounds rewrote chunks that were not, at a third of the JVM's CPU.
   */
  static final int TARGET_FILL_PERCENT = 50;
  /**
   * The most live bytes one round rewrites while the store is busy. A busy round's budget is what H2 wrote since the
   * last round, up to this (see the class comment).
   */
  static final int BUSY_WRITE_LIMIT = 4 * 1024 * 1024;
  /** The largest piece while the store is busy, so that a commit waits for at most this many rewritten bytes. */
  static final int BUSY_PIECE_LIMIT = 1024 * 1024;
  /**
   * The live bytes a round first tries to rewrite under one hold of H2's store lock. A piece's time goes more to the
   * chunks H2 looks through than to its bytes: in the 8-thread soak, with 5,000-9,000 chunks in the file, a 64 KiB piece
   * held the lock up to 27-38 ms and a 256 KiB one up to 40-87 ms. Pieces this small cannot free a chunk with more live
   * bytes than they hold, so they grow when H2 finds nothing that fits (see {@link #rewrite}).
   */
  static final int PIECE_BYTES = 64 * 1024;
  /**
   * A busy round starts no further piece once its pieces have held H2's store lock this long: a tenth of the period.
   * Commits wait while a piece runs, and the rewritten pages are serialized by the next store, so the busy rewriting is
   * bounded by time, not only by bytes (in the soak, 1 MiB rounds took 12-16% of the time under the lock, and the write
   * p99 of registrations rose from 50-70 ms in the first third of the 60 s soak to 60-140 ms in the last).
   */
  static final int BUSY_LOCK_MS = 50;
  /** The least live bytes one round rewrites when the chunks are sparse. */
  static final int MIN_WRITE_LIMIT = 128 * 1024;
  /** The most live bytes one round rewrites when nothing was written since the last. */
  static final int IDLE_WRITE_LIMIT = 4 * 1024 * 1024;
  /** The file is forced to disk at most this often, after writes. */
  static final int SYNC_MS = 1_000;
  /** The most bytes one idle round moves to shrink the file. */
  static final long MOVE_LIMIT = 16L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
  /** How long the thread outlives the last open store. */
  static final int IDLE_SECONDS = 10;

  private static final ScheduledThreadPoolExecutor THREAD = newThread();
  /** How many stores are looked after. Guarded by THREAD. */
  private static int open;

  private final MVStore store;
  private final String description;
  private final ScheduledFuture<?> task;
  private long lastWriteCount = -1;
  private long lastSyncedWriteCount = -1;
  private long lastWrittenBytes = -1;
  private long lastSync = System.nanoTime();
  private boolean closed;
  private boolean failureLogged;
  /** The journal this store's rounds checkpoint, once opened. */
  private volatile @Nullable H2Journal journal;
  /** The journal's last commit at the last round. */
  private long lastAppended;

  private H2Housekeeping(MVStore store, String description) {
    this.store = store;
    this.description = description;
    synchronized (THREAD) {
      if (open++ == 0) {
        THREAD.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
      }
      this.task = THREAD.scheduleWithFixedDelay(this::round, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Starts checkpointing a journal every round: the commits it holds are stored to the file, which is forced to disk,
   * and the journal forced once a second.
   *
   * @param journal the store's journal
   */
  void journal(H2Journal journal) {
    this.journal = journal;
  }

  /** How many stores are looked after now, in this JVM. */
  static int openStores() {
    synchronized (THREAD) {
      return open;
    }
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
    MVStore store = localFile(c);
    return store == null ? null : new H2Housekeeping(store, description);
  }

  /**
   * The store of the local, writable H2 file a connection is to.
   *
   * @param c a connection
   * @return its store, or null if the connection is not to a local H2 file that it may write
   * @throws SQLException if the connection cannot be unwrapped
   */
  static @Nullable MVStore localFile(Connection c) throws SQLException {
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
    return store;
  }

  /**
   * The shared thread: a daemon, started by the first store, and ended when the last one closes (its task is removed
   * when cancelled), so that an application server that undeploys the host keeps no thread of it. While stores are
   * open, an idle thread would outlive them by {@value #IDLE_SECONDS} s.
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
      H2Journal j = journal;
      long appended = j == null ? 0 : j.appended();
      boolean idle = file.getWriteCount() == lastWriteCount && appended == lastAppended;
      lastAppended = appended;
      if (j != null) {
        // the commits since the last round go to the file now, and the journal records that they are there
        j.checkpoint();
      }
      Map<String, String> info = new HashMap<>();
      // H2 gives these two figures through populateInfo only
      file.populateInfo(info::put);
      int rewritable = Integer.parseInt(info.getOrDefault("info.CHUNKS_FILL_RATE_RW", "100"));
      // compact(...) picks the sparsest, oldest chunks past the retention time, up to the budget of live bytes, and
      // holds H2's store lock while it rewrites them: commits wait for it, so a busy round's budget is small
      long written = Long.parseLong(info.getOrDefault("info.FILE_WRITE_BYTES", "0"));
      long sinceLastRound = lastWrittenBytes < 0 ? 0 : written - lastWrittenBytes;
      lastWrittenBytes = written;
      int budget = idle ? IDLE_WRITE_LIMIT
          : (int) Math.max(MIN_WRITE_LIMIT, Math.min(BUSY_WRITE_LIMIT, sinceLastRound));
      boolean didRewrite = rewritable < TARGET_FILL_PERCENT && rewrite(budget, idle);
      if (didRewrite && idle) {
        // Nothing else will commit soon: store the rewritten pages now, so that their old chunks die.
        store.tryCommit();
      }
      if (idle && file instanceof RandomAccessStore && file.getFillRate() < TARGET_FILL_PERCENT) {
        ((RandomAccessStore) file).compactMoveChunks(TARGET_FILL_PERCENT, MOVE_LIMIT, store);
      }
      long now = System.nanoTime();
      if (file.getWriteCount() != lastSyncedWriteCount && now - lastSync >= TimeUnit.MILLISECONDS.toNanos(SYNC_MS)) {
        // H2 may reuse a chunk's space once the retention time has passed, assuming the file system has written the
        // chunks after it by then; the store's retention (10 s) is shorter than the kernel's own write-back (30 s), so
        // the writes are forced to disk every second, and a power cut never finds a reused chunk without them.
        lastSyncedWriteCount = file.getWriteCount();
        lastSync = now;
        file.sync();
      }
      if (j != null) {
        j.forceIfDue(SYNC_MS);
      }
      lastWriteCount = file.getWriteCount();
    } catch (IOException | RuntimeException e) {
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
   * Rewrites up to a budget of live bytes in pieces: H2 holds its store lock for each piece, and the lock is fair, so a
   * commit waiting to be stored goes between two pieces instead of waiting for the whole budget. A piece starts at
   * {@value #PIECE_BYTES} and grows fourfold, up to what is left of the budget (and, while the store is busy, up to
   * {@value #BUSY_PIECE_LIMIT}), each time H2 finds nothing to rewrite
   * within it: H2 only picks chunks whose live bytes fit in the piece, and a chunk of grouped commits can hold more
   * live bytes than a small piece, which would then never free it (the 3-minute soak's file reached 9.4 GB with
   * pieces of 32 KiB only). A piece that found nothing at its largest ends the round, and so does, when the store is
   * busy, the time limit {@value #BUSY_LOCK_MS} ms.
   *
   * @param budget the most live bytes to rewrite
   * @param idle whether the store wrote nothing since the last round (no time limit then)
   * @return whether anything was rewritten
   */
  private boolean rewrite(int budget, boolean idle) {
    boolean rewrote = false;
    int piece = PIECE_BYTES;
    long start = System.nanoTime();
    long limit = TimeUnit.MILLISECONDS.toNanos(BUSY_LOCK_MS);
    for (int left = budget; left > 0 && (idle || System.nanoTime() - start < limit); ) {
      int size = Math.min(left, piece);
      if (store.compact(TARGET_FILL_PERCENT, size)) {
        rewrote = true;
        left -= size;
        if (left > 0 && journal != null) {
          // Until the rewritten pages are stored, H2 counts them live in their old chunks, and the next piece would
          // pick the same chunks and find nothing left in them. With a journal, commits do not store the file, so the
          // round stores it; it does not wait for a store under way. (Without one, every commit stores it.)
          store.tryCommit();
        }
      } else if (size < left && (idle || size < BUSY_PIECE_LIMIT)) {
        piece = idle ? size * 4 : Math.min(BUSY_PIECE_LIMIT, size * 4);
      } else {
        break;
      }
    }
    return rewrote;
  }

  /**
   * Stops; waits for a round in progress, so that the store can be closed safely afterwards. When no other store of the
   * JVM is open, the shared thread ends at once instead of after {@value #IDLE_SECONDS} s: a program that closes its
   * workspace leaves no thread of it behind (Maven's {@code exec:java} waits for every thread the program started).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    task.cancel(false);
    synchronized (THREAD) {
      if (--open == 0) {
        // a shorter keep-alive wakes the idle thread, which then finds no task and ends
        THREAD.setKeepAliveTime(1, TimeUnit.MILLISECONDS);
      }
    }
  }
}
