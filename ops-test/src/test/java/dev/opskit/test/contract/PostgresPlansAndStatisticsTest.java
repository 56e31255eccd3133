package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.test.PostgresTestDatabase;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What keeps a PostgreSQL workspace's queries fast as it grows, whatever the server's settings: queries planned for
 * their parameters at every call, never a generic plan the driver's prepared statements would get after five uses, and
 * statistics kept current by opskit even where autovacuum is off.
 */
class PostgresPlansAndStatisticsTest {
  private PostgresTestDatabase database;

  @AfterEach
  void drop() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void queriesAreNeverServerPreparedSoEveryCallGetsAPlanForItsValues() throws Exception {
    database = PostgresTestDatabase.create();
    try (Connection one = database.dataSource().getConnection()) {
      // the store gets this one connection every time, as a pool of one would give it, so the driver counts uses
      try (MetadataStore store = MetadataStore.postgres(new OneConnection(one))) {
        store.transact(tx -> {
          for (int i = 0; i < 50; i++) {
            tx.insert("v", "m/" + i, "", Map.of("model", "m", "n", i));
          }
          return null;
        });
        for (int i = 0; i < 20; i++) {
          int from = i;
          store.transact(tx -> tx.query(RecordQuery.in("v").where("model", Op.EQ, "m").where("n", Op.GE, from)
              .orderBy("n", false).limit(5)));
          store.transact(tx -> tx.count(RecordQuery.in("v").where("n", Op.GE, from)));
          store.transact(tx -> tx.get("v", "m/1"));
        }
      }
      try (PreparedStatement p = one.prepareStatement("SELECT statement FROM pg_prepared_statements");
          ResultSet rs = p.executeQuery()) {
        boolean lookups = false;
        while (rs.next()) {
          String sql = rs.getString(1);
          assertThat(sql).as("a query the driver prepared on the server").doesNotContain("ORDER BY")
              .doesNotContain("COUNT(*)");
          lookups |= sql.contains("ops_attr");
        }
        // a control: the same connection does prepare the store's plain lookups by key, which one plan fits
        assertThat(lookups).as("the key lookups were server-prepared after five uses").isTrue();
      }
    }
  }

  @Test
  void theStoreAnalyzesItsTablesWhenTheyHaveGrownMarkedly() throws Exception {
    database = PostgresTestDatabase.create();
    try (MetadataStore store = MetadataStore.postgres(database.dataSource())) {
      // opening migrated the schema, and analyzed it
      Timestamp opened = lastAnalyze("ops_record");
      assertThat(opened).isNotNull();
      long deadline = System.nanoTime() + 60_000_000_000L;
      int written = 0;
      while (!lastAnalyze("ops_record").after(opened) && System.nanoTime() < deadline) {
        int base = written;
        store.transact(tx -> {
          for (int i = 0; i < 100; i++) {
            tx.insert("v", "k" + (base + i), "", Map.of("n", base + i, "s", "x"));
          }
          return null;
        });
        written += 100;
        if (written % 2_000 == 0) {
          Thread.sleep(200);
        }
      }
      assertThat(lastAnalyze("ops_record")).as("analyzed again after %d records", written).isAfter(opened);
      assertThat(lastAnalyze("ops_attr")).isAfter(opened);
      // The rule: 1,000 changes plus 10% of the rows. Each record here is one ops_record row and two ops_attr rows, so
      // ops_attr crosses it first, at 2r >= 1,000 + 10% of 2r, that is r >= 556: no analysis can come before that.
      // The store looks every 500 records, on a thread of its own, at PostgreSQL's counts as they are when it runs,
      // so on a busy machine the look at 500 may see 600 or 700 records' changes and rightly analyze then.
      assertThat(written).isGreaterThanOrEqualTo(600);
    }
  }

  private Timestamp lastAnalyze(String table) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement p = c.prepareStatement("SELECT last_analyze FROM pg_stat_user_tables "
            + "WHERE schemaname = ? AND relname = ?")) {
      p.setString(1, database.schema());
      p.setString(2, table);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getTimestamp(1) : null;
      }
    }
  }

  /** A data source that hands out one connection again and again; closing it gives it back. */
  private static final class OneConnection implements DataSource {
    private final Connection connection;

    OneConnection(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Connection getConnection() {
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getName().equals("close")) {
              return null;
            }
            try {
              return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @Override
    public Connection getConnection(String user, String password) {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
