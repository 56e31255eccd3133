package dev.opskit.core.internal.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's statistics on opskit's tables current, so that the planner never plans for empty tables that
 * hold a million rows. PostgreSQL's autovacuum does this too, but it can be off or lagging, and a table that was never
 * analyzed is planned as if it were tiny: we measured {@code count()} at 219 ms on 1,370 versions, and 0.18 ms after
 * {@code ANALYZE}.
 *
 * <p>The rule, documented in docs/configuration.md: after a migration, and whenever {@code ops_record} or
 * {@code ops_attr} has had at least {@value #MIN_CHANGES} row changes plus {@value #CHANGED_PERCENT}% of its rows since
 * it was last analyzed (by anyone: the counts are PostgreSQL's own, {@code n_mod_since_analyze} in
 * {@code pg_stat_user_tables}, so they include every process's writes), opskit runs {@code ANALYZE} on both. A store
 * looks at those counts after every {@value #CHECK_EVERY} records it wrote, on one daemon thread of its own, so no
 * caller waits for it; of several processes that see the need at once, one analyzes (a transaction-level advisory
 * lock) and the others skip.
 *
 * <p>{@code ANALYZE} needs the table's owner (or, from PostgreSQL 17, the {@code MAINTAIN} privilege). A role without
 * it gets a warning from the database rather than an error; opskit then logs once that it cannot keep the statistics
 * and that autovacuum must, and stops trying. Thread-safe.
 */
final class PostgresStatistics implements AutoCloseable {
  /** Records written by this store between two looks at the tables' counts. */
  static final int CHECK_EVERY = 500;
  /** The changes since the last analysis that always justify a new one, whatever the table's size. */
  static final long MIN_CHANGES = 1_000;
  /** The share of a table's rows that, changed since its last analysis, calls for a new one. */
  static final int CHANGED_PERCENT = 10;
  /** The advisory lock key that keeps two processes from analyzing at once ("opskit-a"). */
  static final long LOCK_KEY = 0x6f70736b69742d61L;

  private static final Logger LOG = LoggerFactory.getLogger(PostgresStatistics.class);

  private final DataSource dataSource;
  private final String description;
  private final AtomicLong written = new AtomicLong();
  private final ThreadPoolExecutor thread;
  private volatile boolean refused;
  private volatile boolean failureLogged;

  PostgresStatistics(DataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
    // One thread that ends when idle; a check asked for while one is queued is dropped, as the queued one will do.
    this.thread = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> {
      Thread t = new Thread(r, "opskit-statistics");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.DiscardPolicy());
    this.thread.allowCoreThreadTimeOut(true);
  }

  /**
   * Analyzes the tables now if they have never been analyzed, or have changed markedly since; called on open, after
   * migrating, on the opening connection.
   *
   * @param c the connection, in auto-commit mode
   * @param migrated whether the open applied a migration, which always calls for an analysis
   */
  void onOpen(Connection c, boolean migrated) {
    try {
      if (migrated || stale(c)) {
        analyze(c);
      }
    } catch (SQLException e) {
      logFailure(e);
    }
  }

  /**
   * Counts records a committed transaction wrote, and looks at the tables' counts, in the background, every
   * {@value #CHECK_EVERY} of them.
   *
   * @param records the records written
   */
  void written(int records) {
    if (records == 0 || refused) {
      return;
    }
    long before = written.getAndAdd(records);
    if (before / CHECK_EVERY != (before + records) / CHECK_EVERY) {
      thread.execute(this::check);
    }
  }

  /** Looks at the counts and analyzes if they call for it. */
  void check() {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      if (stale(c)) {
        analyze(c);
      }
    } catch (SQLException e) {
      logFailure(e);
    }
  }

  /** Whether either table was never analyzed though it has rows, or has changed markedly since its last analysis. */
  static boolean stale(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT n_live_tup, n_mod_since_analyze, "
        + "COALESCE(last_analyze, last_autoanalyze) IS NULL FROM pg_stat_user_tables "
        + "WHERE schemaname = current_schema() AND relname IN ('ops_record', 'ops_attr')");
        ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        long rows = rs.getLong(1);
        long changed = rs.getLong(2);
        boolean never = rs.getBoolean(3);
        if (never && (rows > 0 || changed > 0) || needsAnalysis(rows, changed)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The threshold rule.
   *
   * @param rows the table's live rows, as last counted
   * @param changed the rows inserted, updated or deleted since its last analysis
   * @return whether to analyze
   */
  static boolean needsAnalysis(long rows, long changed) {
    return changed >= MIN_CHANGES + rows * CHANGED_PERCENT / 100;
  }

  /** Analyzes both tables unless another process is at it; a role that may not is told once and not asked again. */
  private void analyze(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      boolean locked;
      try (ResultSet rs = s.executeQuery("SELECT pg_try_advisory_xact_lock(" + LOCK_KEY + ")")) {
        locked = rs.next() && rs.getBoolean(1);
      }
      if (locked) {
        long t0 = System.nanoTime();
        s.execute("ANALYZE ops_record, ops_attr");
        for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
          if (String.valueOf(w.getMessage()).contains("skipping")) {
            refused = true;
          }
        }
        if (refused) {
          LOG.warn("opskit cannot analyze its tables in the {}: the role does not own them ({}). Their statistics "
              + "are left to autovacuum, which must be on: without them queries slow down as the tables grow "
              + "(see docs/configuration.md, PostgreSQL settings)", description, s.getWarnings().getMessage());
        } else {
          LOG.debug("analyzed opskit's tables in the {} in {} ms", description, (System.nanoTime() - t0) / 1_000_000);
        }
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private void logFailure(SQLException e) {
    if (!failureLogged) {
      failureLogged = true;
      LOG.warn("opskit could not look after the statistics of its tables in the {}: {}; it tries again later, and "
          + "autovacuum keeps them too where it is on", description, e.getMessage());
    }
  }

  /** Whether the role was found unable to analyze, so that no more checks are made. */
  boolean refused() {
    return refused;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
