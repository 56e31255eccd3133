package dev.opskit.core.internal.metadata;

import dev.opskit.Page;
import dev.opskit.store.Attributes;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The metadata store on H2 or PostgreSQL. Every statement binds its parameters. Transactions run at READ COMMITTED
 * (REPEATABLE READ on embedded H2); optimistic versions make updates safe: an update names the version it read and
 * changes no row if another transaction changed it first. On embedded H2 a transaction also holds the connections'
 * {@link Connections#writers() writer lock} from its first write to its end. Thread-safe.
 */
public final class JdbcMetadataStore implements MetadataStore {
  private final Connections connections;
  private final Dialect dialect;
  /** The SQL of record queries' reads, in this store's dialect. */
  private final RecordQuerySql queries;
  private final String description;
  private final AutoCloseable onClose;
  private final boolean setIsolation;
  /** The lock that lets one transaction write at a time, or null where the database needs none. */
  private final @Nullable WriterLock writers;
  /** PostgreSQL's statistics kept current, or null on H2, which keeps its own. */
  private final @Nullable PostgresStatistics statistics;
  private volatile boolean closed;

  /** Where a store's connections come from and go back to after each transaction. */
  interface Connections extends AutoCloseable {
    /**
     * Returns a connection for one transaction.
     *
     * @return the connection
     * @throws SQLException if none can be had
     */
    Connection acquire() throws SQLException;

    /**
     * Takes a connection back after a transaction.
     *
     * @param c the connection, in auto-commit mode with no transaction open unless it is broken
     * @param broken whether resetting it failed, so that it must not be used again
     */
    void release(Connection c, boolean broken);

    /**
     * The lock a transaction holds from its first write until it commits or rolls back, if the database needs its
     * writers one at a time; none by default.
     *
     * @return the lock, or null
     */
    default @Nullable WriterLock writers() {
      return null;
    }

    /**
     * Returns once what the calling thread committed is on file, for a database whose commits return before that;
     * called after the connection and the writer lock are given back, so that the next transaction need not wait for
     * this one's write to the file.
     *
     * @throws SQLException if the commit could not be written
     */
    default void awaitDurable() throws SQLException {
      // a commit is durable when it returns
    }

    /**
     * The journal a write transaction appends its changes to once the database committed them, if the database's
     * commits are made durable that way; none by default.
     *
     * @return the journal, or null
     */
    default @Nullable H2Journal journal() {
      return null;
    }

    /**
     * Called once at open, after the schema's migrations, on the connection that ran them.
     *
     * @param c the connection, in auto-commit mode
     * @throws SQLException if the store cannot be made ready
     */
    default void opened(Connection c) throws SQLException {
      // nothing to do
    }

    @Override
    void close() throws SQLException;
  }

  /** A host's data source: a connection per transaction, closed (given back to the host's pool) after it. */
  private static Connections of(DataSource dataSource) {
    return new Connections() {
      @Override
      public Connection acquire() throws SQLException {
        return dataSource.getConnection();
      }

      @Override
      public void release(Connection c, boolean broken) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // the connection is broken; the pool discards it
        }
      }

      @Override
      public void close() {
        // the host owns its data source
      }
    };
  }

  private JdbcMetadataStore(Connections connections, Dialect dialect, String description, AutoCloseable onClose,
      boolean setIsolation, @Nullable PostgresStatistics statistics, @Nullable String attributeKeyIndex) {
    this.statistics = statistics;
    this.connections = connections;
    this.dialect = dialect;
    this.queries = new RecordQuerySql(dialect, attributeKeyIndex);
    this.description = description;
    this.onClose = onClose;
    this.setIsolation = setIsolation;
    this.writers = connections.writers();
  }

  /**
   * Whether the connections need their isolation raised to READ COMMITTED, judged on the connection the store opened
   * with. Both databases default to READ COMMITTED, and setting it anyway costs PostgreSQL a round trip per
   * transaction. Stricter levels are fine: their serialization failures are conflicts like any other.
   */
  private static boolean needsIsolation(Connection c) throws SQLException {
    int level = c.getTransactionIsolation();
    return level == Connection.TRANSACTION_NONE || level == Connection.TRANSACTION_READ_UNCOMMITTED;
  }

  /**
   * Opens a PostgreSQL store through the host's data source, migrating its schema.
   *
   * @param dataSource the data source
   * @param clock stamps migrations
   * @return the store
   */
  public static JdbcMetadataStore postgres(DataSource dataSource, Clock clock) {
    String description = "PostgreSQL metadata store " + dataSource;
    boolean setIsolation;
    PostgresStatistics statistics;
    try (Connection c = dataSource.getConnection()) {
      description = "PostgreSQL metadata store " + PostgresOpening.withoutQuery(c.getMetaData().getURL());
      PostgresOpening.requireSchema(c, description);
      int applied = Migrator.migrate(c, Dialect.POSTGRESQL, description, clock);
      setIsolation = needsIsolation(c);
      statistics = new PostgresStatistics(dataSource, description);
      statistics.onOpen(c, applied > 0);
      CustomPlans.checkAtOpen(c, description);
    } catch (SQLException e) {
      throw new StoreException("could not open the " + description + ": " + e.getMessage()
          + ". Check that the database is reachable and that the user may create tables in its schema "
          + "(see docs/configuration.md for the grants)", e);
    }
    return new JdbcMetadataStore(of(dataSource), Dialect.POSTGRESQL, description, statistics::close, setIsolation,
        statistics, null);
  }

  static JdbcMetadataStore h2(H2Connections connections, String description, Clock clock) throws SQLException {
    boolean setIsolation;
    String attributeKeyIndex;
    Connection c = connections.acquire();
    boolean broken = true;
    try {
      Migrator.migrate(c, Dialect.H2, description, clock);
      setIsolation = needsIsolation(c);
      attributeKeyIndex = primaryKeyIndex(c, "OPS_ATTR");
      connections.opened(c);
      broken = false;
    } finally {
      connections.release(c, broken);
    }
    connections.awaitDurable();
    return new JdbcMetadataStore(connections, Dialect.H2, description, connections, setIsolation, null,
        attributeKeyIndex);
  }

  /**
   * The name H2 gave a table's primary-key index ({@code PRIMARY_KEY_<n>}, which differs between databases).
   *
   * @param c a connection
   * @param table the table, in H2's upper case
   * @return the name, or null if H2 does not list one
   * @throws SQLException if the schema cannot be read
   */
  private static @Nullable String primaryKeyIndex(Connection c, String table) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES "
        + "WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = ? AND INDEX_TYPE_NAME = 'PRIMARY KEY'")) {
      p.setString(1, table);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Override
  public <T> T transact(TransactionWork<T> work) {
    Objects.requireNonNull(work, "work");
    if (closed) {
      throw new StoreException("the " + description + " is closed", null);
    }
    Connection c;
    try {
      c = connections.acquire();
    } catch (SQLException e) {
      throw new StoreException("could not connect to the " + description + ": " + e.getMessage(), e);
    }
    JdbcTx tx = null;
    try {
      // Reads before the first write run on their own, as READ COMMITTED would run them anyway; the first write
      // opens the database transaction, so a transaction that only reads costs no BEGIN and no COMMIT.
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      if (setIsolation) {
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      tx = new JdbcTx(c);
      T result = work.run(tx);
      if (tx.doomed != null) {
        throw tx.doomed;
      }
      if (tx.writing) {
        c.commit();
        tx.committed = true;
        if (tx.effects != null) {
          journal(tx.effects);
        }
        if (statistics != null) {
          statistics.written(tx.writes);
        }
      }
      return result;
    } catch (SQLException e) {
      if (tx != null && tx.writing) {
        rollback(c);
      }
      throw translate(e, "transaction");
    } catch (RuntimeException | Error e) {
      if (tx != null && tx.writing) {
        rollback(c);
      }
      throw e;
    } finally {
      if (tx != null) {
        tx.open = false;
      }
      boolean broken = false;
      try {
        // H2 commits on every setAutoCommit call, and a commit stores to the file, so only when it changes anything
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        broken = true;
      }
      try {
        connections.release(c, broken);
      } finally {
        // after the commit or rollback, and after a broken connection is closed, which ends its transaction
        if (tx != null && tx.holdsWriters) {
          tx.holdsWriters = false;
          writers.release();
        }
      }
      if (tx != null && tx.committed) {
        awaitDurable("transaction");
      }
    }
  }

  /**
   * Appends a committed transaction's changes to the store's journal, under the writer lock the transaction still
   * holds, so that the journal's order is the commit order; the commit is durable once this returns.
   */
  private void journal(List<H2Journal.Effect> effects) {
    H2Journal j = connections.journal();
    if (j == null) {
      return;
    }
    try {
      j.append(effects);
    } catch (IOException e) {
      throw new StoreException("the " + description + " committed a transaction but could not write it to its journal: "
          + e.getMessage() + "; later reads may see it, but it may be lost if the process ends now, and the store takes "
          + "no more writes until it is opened again", e);
    }
  }

  /** Waits until what this thread committed is on file; the commit is acknowledged only then. */
  private void awaitDurable(String what) {
    try {
      connections.awaitDurable();
    } catch (SQLException e) {
      throw new StoreException("the " + description + " committed a " + what + " but could not write it to its file: "
          + e.getMessage() + "; later reads may see it, but it may be lost if the process ends now", e);
    }
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the original failure matters more than a failed rollback, which the database completes on its own
    }
  }

  /** Whether the database refused a write because a concurrent transaction wrote the same row first. */
  private static boolean concurrentWrite(SQLException e) {
    return "90131".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
  }

  /** Turns a driver error into a store error; a unique violation or a serialization failure is a conflict. */
  private StoreException translate(SQLException e, String what) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    // 40001 serialization failure or deadlock, 40P01 PostgreSQL deadlock, 23505 duplicate key, 90131 H2's concurrent
    // update of a row at REPEATABLE READ
    if (state.equals("40001") || state.equals("40P01") || state.equals("23505") || state.equals("90131")) {
      return new StoreConflictException("?", "?", "the " + description + " reported a conflict in a " + what + ": "
          + e.getMessage() + "; retry the operation", e);
    }
    return new StoreException("the " + description + " failed in a " + what + ": " + e.getMessage(), e);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      onClose.close();
    } catch (Exception e) {
      throw new StoreException("could not close the " + description, e);
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private final class JdbcTx implements Transaction {
    private final Connection c;
    /** Whether a write opened the database transaction. */
    boolean writing;
    /** The records (and counters) this transaction wrote. */
    int writes;
    private boolean open = true;
    private StoreConflictException doomed;
    /** Whether this transaction holds the store's writer lock, which it gives back when it ends. */
    boolean holdsWriters;
    /** Whether the database committed this transaction, which is then acknowledged once it is on file. */
    boolean committed;
    /** What this transaction wrote, for the store's journal; null where there is none. */
    final @Nullable List<H2Journal.Effect> effects;

    private final AttributeRows attributeRows;
    private final RecordReads reads;

    JdbcTx(Connection c) {
      this.c = c;
      this.attributeRows = new AttributeRows(c, dialect, description);
      this.reads = new RecordReads(c, dialect, queries, attributeRows, this);
      this.effects = connections.journal() == null ? null : new ArrayList<>();
    }

    private void check() {
      if (!open) {
        throw new IllegalStateException("this transaction has ended; use the store's transact(...) again");
      }
    }

    private StoreConflictException doom(StoreConflictException e) {
      doomed = e;
      return e;
    }

    /** Opens the database transaction at the first write; the writes that follow commit or roll back together. */
    private void beginWrite() throws SQLException {
      H2Journal j = connections.journal();
      IOException failed = j == null ? null : j.failure();
      if (failed != null) {
        throw new StoreException("the " + description + " takes no more writes: writing its journal failed ("
            + failed.getMessage() + "); open the workspace again", failed);
      }
      writes++;
      if (!writing) {
        if (writers != null && !holdsWriters) {
          if (!writers.acquire()) {
            throw doom(new StoreConflictException("?", "?", "another transaction kept writing to the " + description
                + " for more than " + writers.timeoutMillis() + " ms; retry the operation", null));
          }
          holdsWriters = true;
        }
        c.setAutoCommit(false);
        writing = true;
      }
    }

    @Override
    public Optional<StoredRecord> get(String collection, String key) {
      check();
      Attributes.checkName(collection);
      Attributes.checkName(key);
      if (dialect == Dialect.H2) {
        return getJoined(collection, key);
      }
      // The record and its attributes in one round trip; the body comes once, not once per attribute.
      try (PreparedStatement p = c.prepareStatement("SELECT 1, name, kind, " + AttributeRows.WHOLE_STRING
          + ", num_value, long_value, CAST(NULL AS BIGINT), CAST(NULL AS " + dialect.bodyType() + ") FROM ops_attr "
          + "WHERE collection = ? AND rkey = ? UNION ALL "
          + "SELECT 0, CAST(NULL AS VARCHAR(255)), CAST(NULL AS CHAR(1)), CAST(NULL AS TEXT), "
          + "CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS BIGINT), version, body FROM ops_record "
          + "WHERE collection = ? AND rkey = ?")) {
        p.setString(1, collection);
        p.setString(2, key);
        p.setString(3, collection);
        p.setString(4, key);
        try (ResultSet rs = p.executeQuery()) {
          long version = -1;
          String body = null;
          Map<String, Object> attrs = new LinkedHashMap<>();
          while (rs.next()) {
            if (rs.getInt(1) == 0) {
              version = rs.getLong(7);
              body = rs.getString(8);
            } else {
              attrs.put(rs.getString(2), attributeRows.value(rs));
            }
          }
          return body == null ? Optional.empty() : Optional.of(new StoredRecord(collection, key, version, body, attrs));
        }
      } catch (SQLException e) {
        throw translate(e, "read of " + collection + "/" + key);
      }
    }

    /**
     * A get as one join of the record with its attributes. Embedded H2 keeps parsed joins for reuse but parses a UNION
     * every time (measured: 50 µs per UNION against 8 µs per simple query), and one query costs half of two.
     */
    private Optional<StoredRecord> getJoined(String collection, String key) {
      try (PreparedStatement p = c.prepareStatement("SELECT r.version, a.name, a.kind, "
          + "COALESCE(a.str_full, a.str_value), a.num_value, a.long_value, r.body FROM ops_record r "
          + "LEFT JOIN ops_attr a ON a.collection = r.collection "
          + "AND a.rkey = r.rkey WHERE r.collection = ? AND r.rkey = ?")) {
        p.setString(1, collection);
        p.setString(2, key);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          long version = rs.getLong(1);
          String body = rs.getString(7);
          Map<String, Object> attrs = new HashMap<>();
          do {
            if (rs.getString(2) != null) {
              attrs.put(rs.getString(2), attributeRows.value(rs));
            }
          } while (rs.next());
          return Optional.of(new StoredRecord(collection, key, version, body, attrs));
        }
      } catch (SQLException e) {
        throw translate(e, "read of " + collection + "/" + key);
      }
    }

    @Override
    public StoredRecord insert(String collection, String key, String body, Map<String, ?> attributes) {
      check();
      Attributes.checkName(collection);
      Attributes.checkName(key);
      Attributes.checkBody(body);
      Map<String, Object> attrs = Attributes.normalize(attributes);
      try {
        beginWrite();
        try (PreparedStatement p = c.prepareStatement(dialect.insertRecord())) {
          p.setString(1, collection);
          p.setString(2, key);
          p.setString(3, body);
          if (p.executeUpdate() != 1) {
            throw doom(StoreConflictException.duplicate(collection, key));
          }
        }
        attributeRows.write(collection, key, attrs);
        if (effects != null) {
          effects.add(new H2Journal.Put(collection, key, 1, body, attrs));
        }
        return new StoredRecord(collection, key, 1, body, attrs);
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState()) || concurrentWrite(e)) {
          throw doom(StoreConflictException.duplicate(collection, key));
        }
        throw translate(e, "insert of " + collection + "/" + key);
      }
    }

    @Override
    public StoredRecord update(StoredRecord previous, String body, Map<String, ?> attributes) {
      check();
      Objects.requireNonNull(previous, "previous");
      Attributes.checkBody(body);
      Map<String, Object> attrs = Attributes.normalize(attributes);
      try {
        beginWrite();
        try (PreparedStatement p = c.prepareStatement("UPDATE ops_record SET version = version + 1, body = ? "
            + "WHERE collection = ? AND rkey = ? AND version = ?")) {
          p.setString(1, body);
          p.setString(2, previous.collection());
          p.setString(3, previous.key());
          p.setLong(4, previous.version());
          if (p.executeUpdate() != 1) {
            throw doom(StoreConflictException.stale(previous));
          }
        }
        // Only the attributes that changed: the record's version guards them, so the previous record's attributes are
        // what the table holds. A promotion changes two or three of a version's dozen, and every attribute row
        // rewritten costs index pages the commit must write.
        Map<String, Object> before = previous.attributes();
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, Object> e : before.entrySet()) {
          if (!e.getValue().equals(attrs.get(e.getKey()))) {
            stale.add(e.getKey());
          }
        }
        Map<String, Object> fresh = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
          if (!e.getValue().equals(before.get(e.getKey()))) {
            fresh.put(e.getKey(), e.getValue());
          }
        }
        attributeRows.delete(previous.collection(), previous.key(), stale);
        attributeRows.write(previous.collection(), previous.key(), fresh);
        if (effects != null) {
          effects.add(new H2Journal.Put(previous.collection(), previous.key(), previous.version() + 1, body, attrs));
        }
        return new StoredRecord(previous.collection(), previous.key(), previous.version() + 1, body, attrs);
      } catch (SQLException e) {
        if (concurrentWrite(e)) {
          throw doom(StoreConflictException.stale(previous));
        }
        throw translate(e, "update of " + previous.collection() + "/" + previous.key());
      }
    }

    @Override
    public void delete(StoredRecord previous) {
      check();
      Objects.requireNonNull(previous, "previous");
      try {
        beginWrite();
        attributeRows.deleteAll(previous.collection(), previous.key());
        try (PreparedStatement p = c.prepareStatement(
            "DELETE FROM ops_record WHERE collection = ? AND rkey = ? AND version = ?")) {
          p.setString(1, previous.collection());
          p.setString(2, previous.key());
          p.setLong(3, previous.version());
          if (p.executeUpdate() != 1) {
            throw doom(StoreConflictException.stale(previous));
          }
        }
        if (effects != null) {
          effects.add(new H2Journal.Delete(previous.collection(), previous.key()));
        }
      } catch (SQLException e) {
        if (concurrentWrite(e)) {
          throw doom(StoreConflictException.stale(previous));
        }
        throw translate(e, "delete of " + previous.collection() + "/" + previous.key());
      }
    }

    @Override
    public Page<StoredRecord> query(RecordQuery query) {
      return query(query, true);
    }

    @Override
    public Page<StoredRecord> queryBodies(RecordQuery query) {
      return query(query, false);
    }

    private Page<StoredRecord> query(RecordQuery query, boolean withAttributes) {
      check();
      Objects.requireNonNull(query, "query");
      try {
        return reads.query(query, withAttributes);
      } catch (SQLException e) {
        throw translate(e, "query of " + query.collection());
      }
    }

    @Override
    public long count(RecordQuery query) {
      check();
      Objects.requireNonNull(query, "query");
      try {
        return reads.count(query);
      } catch (SQLException e) {
        throw translate(e, "count of " + query.collection());
      }
    }

    @Override
    public long increment(String counter) {
      check();
      Attributes.checkName(counter);
      long value = advance(counter);
      if (effects != null) {
        effects.add(new H2Journal.Counter(counter, value));
      }
      return value;
    }

    private long advance(String counter) {
      try {
        beginWrite();
        if (dialect.hasUpsertReturning()) {
          try (PreparedStatement p = c.prepareStatement("INSERT INTO ops_counter (name, current_value) VALUES (?, 1) "
              + "ON CONFLICT (name) DO UPDATE SET current_value = ops_counter.current_value + 1 "
              + "RETURNING current_value")) {
            p.setString(1, counter);
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        }
        try (PreparedStatement p = c.prepareStatement(
            "UPDATE ops_counter SET current_value = current_value + 1 WHERE name = ?")) {
          p.setString(1, counter);
          if (p.executeUpdate() == 1) {
            try (PreparedStatement q = c.prepareStatement("SELECT current_value FROM ops_counter WHERE name = ?")) {
              q.setString(1, counter);
              try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            }
          }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO ops_counter (name, current_value) VALUES (?, 1)")) {
          p.setString(1, counter);
          p.executeUpdate();
          return 1;
        }
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState()) || concurrentWrite(e)) {
          // Another transaction created or advanced the counter since this one began: a conflict, to retry afresh.
          throw doom(new StoreConflictException("counter", counter, "counter '" + counter + "' was advanced by a "
              + "concurrent transaction in the " + description + "; retry the transaction", e));
        }
        throw translate(e, "increment of counter " + counter);
      }
    }
  }

}
