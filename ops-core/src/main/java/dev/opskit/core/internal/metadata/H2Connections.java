package dev.opskit.core.internal.metadata;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The embedded H2 store's connections: a few physical connections, kept open and handed out again as they are. H2's
 * own {@code JdbcConnectionPool} rolls back every connection given back to it, and on a file database opened with
 * {@code WRITE_DELAY=0} each of those rollbacks stores a chunk to the file: we measured 50 µs per read-only transaction
 * through that pool against 12 µs on a kept connection. The store gives connections back in auto-commit mode with no
 * transaction open, so nothing needs undoing. On a local file, commits are stored in groups ({@link #awaitDurable()}).
 * Thread-safe.
 *
 * <p>Each connection runs at REPEATABLE READ. At READ COMMITTED, H2 2.4 can let an update that waited on another
 * writer's row lock apply its change to the row as it was before that writer committed, so both report success and one
 * change is lost (we measured it in about one of forty runs of sixteen threads doing compare-and-set updates); at
 * REPEATABLE READ, H2 refuses such an update with a concurrent-update error, which the store reports as a conflict.
 *
 * <p>Even so, H2 2.4.240 loses updates when write transactions overlap: under sixteen threads doing compare-and-set
 * updates, rows were found whose uncommitted change had no record left in its transaction's undo log, so that the
 * commit never made it permanent and later transactions read or overwrote the value beneath it; two compare-and-set
 * updates from one version then both succeed (about one 15 s run in five lost an update, and every run had such
 * rows). So the store's transactions write one at a time, through {@link #writers()}; with them, no run lost an update
 * or left such a row. Reads still run side by side.
 */
final class H2Connections implements JdbcMetadataStore.Connections {
  /** At most this many connections exist at once; a transaction beyond them waits for one. */
  static final int MAX_CONNECTIONS = 32;

  private static final long WAIT_SECONDS = 30;

  private final org.h2.Driver driver = org.h2.Driver.load();
  private final String url;
  private final Properties settings;
  private final Semaphore permits = new Semaphore(MAX_CONNECTIONS);
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final String description;
  /**
   * Writers one at a time, waiting as long as H2 waits for a row lock (the store's {@code LOCK_TIMEOUT}); shared with
   * every other store of this JVM open on the same URL, which writes to the same database.
   */
  private final WriterLock writers;
  private boolean writersShared = true; // guarded by this
  private volatile boolean closed;
  private @Nullable H2Housekeeping housekeeping;
  /** Stores commits in groups, on a local file; null before the first connection and on other databases. */
  private volatile @Nullable H2GroupCommit groupCommit;
  private boolean housekeepingChecked;
  /** The database file without {@code .mv.db}, for the journal's files; null for a host's URL, which gets none. */
  private final @Nullable Path journalBase;
  private final long journalRotateBytes;
  /** The journal commits are made durable by, once opened; null before and on other databases. */
  private volatile @Nullable H2Journal journal;

  H2Connections(String url, String description) {
    this(url, new Properties(), description, null);
  }

  /**
   * Connections to a URL with settings given apart from it, as connection properties: a setting never travels in the
   * URL, where a path holding {@code ;} could add its own.
   *
   * @param url the JDBC URL, without settings
   * @param settings H2 settings (such as {@code WRITE_DELAY}), copied
   * @param description names the database in messages
   * @param journalBase the database file without {@code .mv.db}, to keep a journal of commits next to it
   *     ({@link H2Journal}); null to store the file at every commit instead ({@link H2GroupCommit})
   */
  H2Connections(String url, Properties settings, String description, @Nullable Path journalBase) {
    this(url, settings, description, journalBase, H2Journal.ROTATE_BYTES);
  }

  /**
   * Connections whose journal moves to a new file at another size than {@link H2Journal#ROTATE_BYTES}; for tests.
   *
   * @param url the JDBC URL, without settings
   * @param settings H2 settings, copied
   * @param description names the database in messages
   * @param journalBase the database file without {@code .mv.db}, or null for no journal
   * @param journalRotateBytes the size at which the journal moves to a new file
   */
  H2Connections(String url, Properties settings, String description, @Nullable Path journalBase,
      long journalRotateBytes) {
    this.url = url;
    this.journalBase = journalBase;
    this.journalRotateBytes = journalRotateBytes;
    this.writers = WriterLock.shared(url, 10_000);
    this.settings = new Properties();
    this.settings.putAll(settings);
    this.settings.putIfAbsent("user", "");
    this.settings.putIfAbsent("password", "");
    this.description = description;
  }

  @Override
  public Connection acquire() throws SQLException {
    if (closed) {
      throw new SQLException("the H2 connections are closed");
    }
    try {
      if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new SQLException("all " + MAX_CONNECTIONS + " connections to the H2 database stayed busy for "
            + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a connection to the H2 database", e);
    }
    Connection c = idle.pollFirst();
    if (c != null) {
      return c;
    }
    try {
      c = driver.connect(url, settings);
      if (c == null) {
        throw new SQLException("the H2 driver does not accept the URL " + url);
      }
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      startHousekeeping(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      permits.release();
      if (c != null) {
        closeQuietly(c);
      }
      throw e;
    }
  }

  @Override
  public WriterLock writers() {
    return writers;
  }

  @Override
  public void release(Connection c, boolean broken) {
    try {
      if (broken) {
        closeQuietly(c);
      } else {
        idle.offerFirst(c);
        if (closed) {
          closeIdle();
        }
      }
    } finally {
      permits.release();
    }
  }

  /**
   * With the first connection, if the database is a local H2 file, starts reclaiming its space and storing its commits
   * in groups.
   */
  private synchronized void startHousekeeping(Connection c) throws SQLException {
    if (!housekeepingChecked && !closed) {
      housekeepingChecked = true;
      housekeeping = H2Housekeeping.start(c, description);
      var store = H2Housekeeping.localFile(c);
      if (store != null) {
        groupCommit = new H2GroupCommit(store, description);
      }
    }
  }

  /**
   * Returns once what the calling thread committed is on file. On a local file, H2 delays its commits
   * ({@code WRITE_DELAY} in {@link H2Store#settings()}), and the commits that end while one store runs share the next
   * ({@link H2GroupCommit}); elsewhere a commit is as durable as the database makes it when it returns.
   */
  @Override
  public void awaitDurable() throws SQLException {
    if (journal != null) {
      return; // durable once the journal's append returned
    }
    H2GroupCommit g = groupCommit;
    if (g != null) {
      g.awaitDurable();
    }
  }

  @Override
  public @Nullable H2Journal journal() {
    return journal;
  }

  /**
   * Opens the journal, applying again what the file had not stored when the last process ended, if the store keeps
   * one and the database is a local file.
   */
  @Override
  public void opened(Connection c) throws SQLException {
    if (journalBase == null) {
      return;
    }
    var store = H2Housekeeping.localFile(c);
    if (store == null) {
      return;
    }
    H2Journal j = H2Journal.open(journalBase, c, store, description, journalRotateBytes);
    synchronized (this) {
      if (closed) {
        j.close();
        return;
      }
      journal = j;
      if (housekeeping != null) {
        housekeeping.journal(j);
      }
    }
  }

  /** The housekeeping started with the first connection, if any and not closed yet; for tests. */
  synchronized @Nullable H2Housekeeping housekeeping() {
    return housekeeping;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      if (housekeeping != null) {
        housekeeping.close();
        housekeeping = null;
      }
      H2Journal j = journal;
      if (j != null) {
        // after the housekeeping, whose rounds checkpoint it; while the database is still open
        j.close();
      }
      if (writersShared) {
        writersShared = false;
        WriterLock.unshare(url);
      }
    }
    closeIdle();
  }

  private void closeIdle() {
    for (Connection c; (c = idle.pollFirst()) != null; ) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing a broken connection cannot fail in a way that matters
    }
  }
}
