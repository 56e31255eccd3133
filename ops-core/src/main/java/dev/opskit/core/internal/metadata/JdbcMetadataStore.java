package dev.opskit.core.internal.metadata;

import dev.opskit.Page;
import dev.opskit.core.internal.metadata.RecordQuerySql.OrderPart;
import dev.opskit.store.Attributes;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collection;
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
  private static final int ATTRIBUTE_BATCH = 500;

  private final Connections connections;
  private final Dialect dialect;
  /** The SQL of record queries' reads, in this store's dialect. */
  private final RecordQuerySql queries;
  private final String description;
  private final AutoCloseable onClose;
  private final boolean setIsolation;
  /** The lock that lets one transaction write at a time, or null where the database needs none. */
  private final @Nullable WriterLock writers;
  /** The most keys a selective filter may allow for a query to read them rather than walk its order. */
  static final int FEW_KEYS = 1_000;
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
      boolean setIsolation, @Nullable PostgresStatistics statistics) {
    this.statistics = statistics;
    this.connections = connections;
    this.dialect = dialect;
    this.queries = new RecordQuerySql(dialect);
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
      description = "PostgreSQL metadata store " + c.getMetaData().getURL();
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
        statistics);
  }

  static JdbcMetadataStore h2(H2Connections connections, String description, Clock clock) throws SQLException {
    boolean setIsolation;
    Connection c = connections.acquire();
    boolean broken = true;
    try {
      Migrator.migrate(c, Dialect.H2, description, clock);
      setIsolation = needsIsolation(c);
      broken = false;
    } finally {
      connections.release(c, broken);
    }
    connections.awaitDurable();
    return new JdbcMetadataStore(connections, Dialect.H2, description, connections, setIsolation, null);
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

    JdbcTx(Connection c) {
      this.c = c;
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
      try (PreparedStatement p = c.prepareStatement("SELECT 1, name, kind, str_value, num_value, long_value, "
          + "CAST(NULL AS BIGINT), CAST(NULL AS " + dialect.bodyType() + ") FROM ops_attr "
          + "WHERE collection = ? AND rkey = ? UNION ALL "
          + "SELECT 0, CAST(NULL AS VARCHAR(255)), CAST(NULL AS CHAR(1)), CAST(NULL AS VARCHAR(1024)), "
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
              attrs.put(rs.getString(2), value(rs));
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
      try (PreparedStatement p = c.prepareStatement("SELECT r.version, a.name, a.kind, a.str_value, a.num_value, "
          + "a.long_value, r.body FROM ops_record r LEFT JOIN ops_attr a ON a.collection = r.collection "
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
              attrs.put(rs.getString(2), value(rs));
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
        writeAttributes(collection, key, attrs);
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
        deleteAttributes(previous.collection(), previous.key(), stale);
        writeAttributes(previous.collection(), previous.key(), fresh);
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
        deleteAttributes(previous.collection(), previous.key());
        try (PreparedStatement p = c.prepareStatement(
            "DELETE FROM ops_record WHERE collection = ? AND rkey = ? AND version = ?")) {
          p.setString(1, previous.collection());
          p.setString(2, previous.key());
          p.setLong(3, previous.version());
          if (p.executeUpdate() != 1) {
            throw doom(StoreConflictException.stale(previous));
          }
        }
      } catch (SQLException e) {
        if (concurrentWrite(e)) {
          throw doom(StoreConflictException.stale(previous));
        }
        throw translate(e, "delete of " + previous.collection() + "/" + previous.key());
      }
    }

    private void deleteAttributes(String collection, String key, List<String> names) throws SQLException {
      if (names.isEmpty()) {
        return;
      }
      try (PreparedStatement p = c.prepareStatement(
          "DELETE FROM ops_attr WHERE collection = ? AND rkey = ? AND name = ?")) {
        for (String name : names) {
          p.setString(1, collection);
          p.setString(2, key);
          p.setString(3, name);
          p.addBatch();
        }
        p.executeBatch();
      }
    }

    private void deleteAttributes(String collection, String key) throws SQLException {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM ops_attr WHERE collection = ? AND rkey = ?")) {
        p.setString(1, collection);
        p.setString(2, key);
        p.executeUpdate();
      }
    }

    private void writeAttributes(String collection, String key, Map<String, Object> attrs) throws SQLException {
      if (attrs.isEmpty()) {
        return;
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO ops_attr "
          + "(collection, rkey, name, kind, str_value, num_value, long_value) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
          Object v = e.getValue();
          char kind = AttributeValues.kind(v);
          p.setString(1, collection);
          p.setString(2, key);
          p.setString(3, e.getKey());
          p.setString(4, String.valueOf(kind));
          p.setString(5, v instanceof String ? (String) v : null);
          Double number = AttributeValues.number(v);
          if (number == null) {
            p.setNull(6, java.sql.Types.DOUBLE);
          } else {
            p.setDouble(6, number);
          }
          if (v instanceof Long) {
            p.setLong(7, (Long) v);
          } else if (v instanceof Instant) {
            p.setLong(7, AttributeValues.micros((Instant) v));
          } else {
            p.setNull(7, java.sql.Types.BIGINT);
          }
          p.addBatch();
        }
        p.executeBatch();
      }
    }

    /** Reads the attributes of some records of one collection, by key. */
    private Map<String, Map<String, Object>> attributes(String collection, List<String> keys) throws SQLException {
      Map<String, Map<String, Object>> out = new HashMap<>();
      if (dialect == Dialect.H2) {
        // H2 reads the whole collection's attributes for "rkey IN (...)" instead of looking each key up in the primary
        // key (measured: 400 ms for a page of 20 over 100,000 records); embedded, a lookup per key costs microseconds.
        try (PreparedStatement p = c.prepareStatement("SELECT rkey, name, kind, str_value, num_value, long_value "
            + "FROM ops_attr WHERE collection = ? AND rkey = ?")) {
          p.setString(1, collection);
          for (String key : keys) {
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                out.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(rs.getString(2), value(rs));
              }
            }
          }
        }
        return out;
      }
      for (int from = 0; from < keys.size(); from += ATTRIBUTE_BATCH) {
        List<String> batch = keys.subList(from, Math.min(keys.size(), from + ATTRIBUTE_BATCH));
        StringBuilder sql = new StringBuilder("SELECT rkey, name, kind, str_value, num_value, long_value FROM ops_attr "
            + "WHERE collection = ? AND rkey IN (");
        for (int i = 0; i < batch.size(); i++) {
          sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
          p.setString(1, collection);
          for (int i = 0; i < batch.size(); i++) {
            p.setString(i + 2, batch.get(i));
          }
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), value(rs));
            }
          }
        }
      }
      return out;
    }

    private Object value(ResultSet rs) throws SQLException {
      char kind = rs.getString(3).charAt(0);
      switch (kind) {
        case AttributeValues.STRING:
          return rs.getString(4);
        case AttributeValues.BOOLEAN:
          return rs.getDouble(5) != 0.0;
        case AttributeValues.LONG:
          return rs.getLong(6);
        case AttributeValues.DOUBLE:
          return rs.getDouble(5);
        case AttributeValues.INSTANT:
          return AttributeValues.fromMicros(rs.getLong(6));
        default:
          throw new StoreException("unknown attribute kind '" + kind + "' in the " + description, null);
      }
    }

    @Override
    public Page<StoredRecord> query(RecordQuery query) {
      check();
      Objects.requireNonNull(query, "query");
      try {
        return inOrder(query, () -> page(query));
      } catch (SQLException e) {
        throw translate(e, "query of " + query.collection());
      }
    }

    private Page<StoredRecord> page(RecordQuery query) throws SQLException {
      String order = query.orderBy();
      List<String> keys = new ArrayList<>();
      List<Long> versions = new ArrayList<>();
      List<String> bodies = new ArrayList<>();
      List<String> few = fewKeys(query);
      if (few != null) {
        return few(query, few);
      }
      if (order == null) {
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder(
            "SELECT r.rkey, r.version, r.body FROM ops_record r WHERE r.collection = ?");
        binds.add(query.collection());
        queries.keyRange(sql, binds, query, "r");
        queries.filters(sql, binds, query, true);
        String dir = query.ascending() ? " ASC" : " DESC";
        sql.append(" ORDER BY r.collection").append(dir).append(", r.rkey").append(dir).append(" LIMIT ? OFFSET ?");
        binds.add(query.limit() + 1);
        binds.add(query.offset());
        select(sql.toString(), binds, keys, versions, bodies);
      } else if (!query.thenBy().isEmpty() && dialect == Dialect.H2) {
        // H2 would sort every match: read the page from index walks instead, where the runs at its edges allow
        Optional<Page<StoredRecord>> byRuns = FurtherKeys.page(query, this::query);
        if (byRuns.isPresent()) {
          return byRuns.get();
        }
        ordered(query, order, keys, versions, bodies);
      } else {
        ordered(query, order, keys, versions, bodies);
      }
      boolean hasMore = keys.size() > query.limit();
      int size = Math.min(keys.size(), query.limit());
      Map<String, Map<String, Object>> attrs = attributes(query.collection(), keys.subList(0, size));
      List<StoredRecord> records = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        records.add(new StoredRecord(query.collection(), keys.get(i), versions.get(i), bodies.get(i),
            attrs.getOrDefault(keys.get(i), Map.of())));
      }
      return new Page<>(records, query.offset(), hasMore);
    }

    /**
     * The keys the query's first selective equality or {@code IN} filter (or {@code EXISTS}, on another attribute than
     * the order) allows, read from that attribute's index: those of the first such filter that allows at most
     * {@value #FEW_KEYS}, each tried in turn; null if none does. With them the
     * query reads those records and orders them ({@link #few}), instead of walking the order (or the keys) and
     * testing every record it meets against the filter: a search for the one version with some parameter, newest
     * first, tested 100,000 on H2 (about 3 s). An unselective filter costs this one capped index read more.
     */
    private @Nullable List<String> fewKeys(RecordQuery query) throws SQLException {
      for (RecordQuery.Filter f : query.filters()) {
        RecordQuery.Op op = f.op();
        // on the order's own attribute, an EXISTS allows every record the walk meets; an equality or IN still picks a
        // few (a page of models read by their names: the walk tested all 10,000 names, since H2 seeks no IN there)
        if (op == RecordQuery.Op.EQ || op == RecordQuery.Op.IN
            || op == RecordQuery.Op.EXISTS && !f.attribute().equals(query.orderBy())) {
          List<String> found = new ArrayList<>();
          if (op == RecordQuery.Op.IN && dialect == Dialect.H2) {
            // H2 seeks an IN list only on an index's first column: one equality seek per value instead
            for (Object v : (Collection<?>) f.value()) {
              probe(query, new RecordQuery.Filter(f.attribute(), RecordQuery.Op.EQ, v), FEW_KEYS + 1 - found.size(),
                  found);
              if (found.size() > FEW_KEYS) {
                break; // cut short: the keys found are not all, even when some are found twice
              }
            }
            if (found.size() <= FEW_KEYS) {
              // values equal as attributes (1 and 1.0, or one given twice) found the same keys
              return new ArrayList<>(new java.util.LinkedHashSet<>(found));
            }
          } else {
            probe(query, f, FEW_KEYS + 1, found);
            if (found.size() <= FEW_KEYS) {
              return found;
            }
          }
          // this filter allows many: another may allow few (two tags, one common, one rare)
        }
      }
      return null;
    }

    /** Adds to {@code found} at most {@code limit} keys in the query's key range that the filter allows. */
    private void probe(RecordQuery query, RecordQuery.Filter f, int limit, List<String> found) throws SQLException {
      List<Object> binds = new ArrayList<>();
      StringBuilder sql = new StringBuilder("SELECT o.rkey FROM ops_attr o WHERE o.collection = ? AND o.name = ?");
      binds.add(query.collection());
      binds.add(f.attribute());
      queries.condition(sql, binds, f, "o");
      queries.keyRange(sql, binds, query, "o");
      sql.append(" LIMIT ?");
      binds.add(limit);
      try (PreparedStatement p = c.prepareStatement(sql.toString())) {
        plannedPerCall(p);
        bind(p, binds);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
      }
    }

    /**
     * A query answered from the few keys its selective filter allows: each record read by key, checked against every
     * filter and the key prefix, then ordered as the query asks (the order the in-memory store and the contract give),
     * and the page cut. A lookup per key, because H2 reads a whole collection for {@code rkey IN (...)}.
     */
    private Page<StoredRecord> few(RecordQuery query, List<String> keys) throws SQLException {
      List<StoredRecord> read = new ArrayList<>();
      List<String> inRange = keys.stream().filter(query::matchesKey).toList();
      if (dialect == Dialect.H2) {
        for (String key : inRange) {
          get(query.collection(), key).ifPresent(read::add);
        }
      } else if (!inRange.isEmpty()) {
        // a round trip per key would cost more than one query on a server
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT r.rkey, r.version, r.body FROM ops_record r WHERE r.collection = ?"
            + " AND r.rkey IN (");
        binds.add(query.collection());
        for (int i = 0; i < inRange.size(); i++) {
          sql.append(i == 0 ? "?" : ", ?");
          binds.add(inRange.get(i));
        }
        sql.append(')');
        List<String> found = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        select(sql.toString(), binds, found, versions, bodies);
        Map<String, Map<String, Object>> attrs = attributes(query.collection(), found);
        for (int i = 0; i < found.size(); i++) {
          read.add(new StoredRecord(query.collection(), found.get(i), versions.get(i), bodies.get(i),
              attrs.getOrDefault(found.get(i), Map.of())));
        }
      }
      List<StoredRecord> all = new ArrayList<>();
      for (StoredRecord r : read) {
        if (query.filters().stream().allMatch(f -> AttributeValues.matches(r.attributes(), f))) {
          all.add(r);
        }
      }
      if (query.orderBy() != null) {
        all.sort(AttributeValues.ordering(query.orderBy(), query.ascending(), query.thenBy(), StoredRecord::attributes,
            StoredRecord::key));
      } else {
        all.sort(query.ascending() ? Comparator.comparing(StoredRecord::key)
            : Comparator.comparing(StoredRecord::key).reversed());
      }
      int from = (int) Math.min(all.size(), query.offset());
      int to = Math.min(all.size(), from + query.limit());
      return new Page<>(all.subList(from, to), query.offset(), to < all.size());
    }

    private void select(String sql, List<Object> binds, List<String> keys, List<Long> versions, List<String> bodies)
        throws SQLException {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        plannedPerCall(p);
        bind(p, binds);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            keys.add(rs.getString(1));
            versions.add(rs.getLong(2));
            bodies.add(rs.getString(3));
          }
        }
      }
    }

    /**
     * An ordered query, in up to three parts that each follow an index in order and stop at the page: the records whose
     * attribute is a number, then those whose attribute is a string, then those without it (by key). A database that
     * sorted all matches at once would read every record of the collection to return the first twenty; this way a
     * top-k search reads about as many index entries as it returns, plus those its other filters reject. A filter on
     * the ordering attribute rules out the records without it, and the family it compares in rules out the other part.
     */
    private void ordered(RecordQuery query, String order, List<String> keys, List<Long> versions,
        List<String> bodies) throws SQLException {
      boolean numbers = true;
      boolean strings = true;
      boolean absent = true;
      for (RecordQuery.Filter f : query.filters()) {
        if (f.attribute().equals(order) && f.op() != RecordQuery.Op.DISTINCT_FROM) {
          absent = false;
          Character family = queries.family(f);
          if (family != null) {
            numbers &= family != AttributeValues.STRING;
            strings &= family == AttributeValues.STRING;
          }
        }
      }
      orderedParts(query, order, numbers, strings, absent, keys, versions, bodies);
    }

    /** A read that may fail with an {@link SQLException}. */
    private interface Read<T> {
      T run() throws SQLException;
    }

    /**
     * Reads a page, on PostgreSQL with filters under {@link #walkInOrder}'s settings, for every statement of the read:
     * the capped probes of {@link #fewKeys} (a bitmap cannot stop at its cap: one for {@code stage in ('NONE',
     * 'STAGING')} read all 100,000 entries, 24 ms, where the index scan stopped at 1,001 in 0.8 ms), and the walk of
     * the order, whether an attribute's or the keys' (a page of models with two unselective tags, planned from
     * statistics taken before those tags were written, 1 row guessed and 5,000 found, was read by one tag's index and
     * sorted, 37 ms; walking the keys took 1 ms).
     */
    private <T> T inOrder(RecordQuery query, Read<T> read) throws SQLException {
      String[] before = dialect == Dialect.POSTGRESQL && !query.filters().isEmpty() ? walkInOrder() : null;
      T result;
      try {
        result = read.run();
      } catch (SQLException | RuntimeException e) {
        if (before != null) {
          try {
            planFreely(before);
          } catch (SQLException again) { // in a transaction the failure aborted, which undoes the settings anyway
            e.addSuppressed(again);
          }
        }
        throw e;
      }
      if (before != null) {
        planFreely(before);
      }
      return result;
    }

    /**
     * Makes PostgreSQL walk the order's index for the next statements of this transaction, and returns the settings it
     * changed, for {@link #planFreely}. With filters, its estimate of how many index entries match a range of one
     * attribute is poor (every attribute shares the value columns and their statistics): it guessed 250 of 34,000
     * for {@code metrics.auc > 0.83}, read them all by a bitmap and sorted them (370 ms) instead of reading the index
     * backwards and stopping at the page's 21st match (1.2 ms). The walk reads at most the entries in the order's
     * range, as the sort does, so it cannot go worse than that plan by more than its per-entry lookups; a filter
     * selective enough to make that matter is answered from its few keys before ({@link #fewKeys}). The settings are
     * the session's (a read outside a transaction would lose transaction-local ones at once), read first and given
     * back right after, so a host's own settings of its connections stay as they were.
     */
    private String[] walkInOrder() throws SQLException {
      String[] before = new String[2];
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT current_setting('enable_sort'), current_setting('enable_bitmapscan')")) {
        rs.next();
        before[0] = rs.getString(1);
        before[1] = rs.getString(2);
      }
      settings("off", "off");
      return before;
    }

    /** Gives back the settings {@link #walkInOrder} changed. */
    private void planFreely(String[] before) throws SQLException {
      settings(before[0], before[1]);
    }

    private void settings(String sort, String bitmapScan) throws SQLException {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT set_config('enable_sort', ?, false), set_config('enable_bitmapscan', ?, false)")) {
        p.setString(1, sort);
        p.setString(2, bitmapScan);
        p.executeQuery().close();
      }
    }

    private void orderedParts(RecordQuery query, String order, boolean numbers, boolean strings, boolean absent,
        List<String> keys, List<Long> versions, List<String> bodies) throws SQLException {
      long skip = query.offset();
      int need = query.limit() + 1;
      String dir = query.ascending() ? " ASC" : " DESC";
      for (OrderPart part : OrderPart.values()) {
        if (part == OrderPart.NUMBERS && !numbers || part == OrderPart.STRINGS && !strings
            || part == OrderPart.ABSENT && !absent) {
          continue;
        }
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT r.rkey, r.version, r.body")
            .append(queries.orderPart(part, query, order, binds, true)).append(" ORDER BY ");
        if (part == OrderPart.ABSENT) {
          sql.append("r.collection").append(dir);
        } else {
          // Every column of the index, in its order, so that the database reads the index in order and stops early.
          // In each part one of the two values is the same (null) for every match, so it does not change the order.
          sql.append("o.collection").append(dir).append(", o.name").append(dir).append(", o.str_value").append(dir)
              .append(", o.num_value").append(dir);
        }
        queries.furtherKeys(sql, query);
        sql.append(part == OrderPart.ABSENT ? ", r.rkey" : ", o.rkey").append(dir);
        sql.append(" LIMIT ? OFFSET ?");
        binds.add(need);
        binds.add(skip);
        int before = keys.size();
        select(sql.toString(), binds, keys, versions, bodies);
        int got = keys.size() - before;
        need -= got;
        if (need == 0) {
          return;
        }
        if (got > 0) {
          skip = 0;
        } else if (skip > 0) {
          // This part ended before the offset: the offset goes on into the next part, less this part's records.
          List<Object> countBinds = new ArrayList<>();
          skip -= count("SELECT COUNT(*)" + queries.orderPart(part, query, order, countBinds, false), countBinds);
        }
      }
    }

    private long count(String sql, List<Object> binds) throws SQLException {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        plannedPerCall(p);
        bind(p, binds);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    @Override
    public long count(RecordQuery query) {
      check();
      Objects.requireNonNull(query, "query");
      List<Object> binds = new ArrayList<>();
      StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ops_record r WHERE r.collection = ?");
      binds.add(query.collection());
      queries.keyRange(sql, binds, query, "r");
      queries.filters(sql, binds, query, false);
      try {
        return count(sql.toString(), binds);
      } catch (SQLException e) {
        throw translate(e, "count of " + query.collection());
      }
    }

    /**
     * On PostgreSQL, has a query planned for its parameters at every call ({@link CustomPlans}); a query's best plan
     * depends on them (how many records a filter keeps), and a plan cached for unknown values can be 100x slower.
     */
    private void plannedPerCall(PreparedStatement p) throws SQLException {
      if (dialect == Dialect.POSTGRESQL) {
        CustomPlans.apply(p);
      }
    }

    private void bind(PreparedStatement p, List<Object> binds) throws SQLException {
      for (int i = 0; i < binds.size(); i++) {
        Object v = binds.get(i);
        if (v instanceof String) {
          p.setString(i + 1, (String) v);
        } else if (v instanceof Integer) {
          p.setInt(i + 1, (Integer) v);
        } else if (v instanceof Long) {
          p.setLong(i + 1, (Long) v);
        } else if (v instanceof Double) {
          p.setDouble(i + 1, (Double) v);
        } else {
          throw new IllegalStateException("cannot bind " + v.getClass());
        }
      }
    }

    @Override
    public long increment(String counter) {
      check();
      Attributes.checkName(counter);
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
