package dev.opskit.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The database of a raw-JDBC baseline, of the same kind as opskit's store it is compared with.
 *
 * <ul>
 *   <li>{@code h2}: a separate H2 file opened with the guarantees opskit's H2 store gives ({@code WRITE_DELAY=0}: every
 *       commit reaches the file before it returns, which opskit's store reaches by storing commits in groups; a file
 *       lock). Connections are kept open and handed out again as they
 *       are, as opskit's store does: H2's own {@code JdbcConnectionPool} rolls back every connection given back, which
 *       on such a file writes to it, and a baseline paying that would flatter opskit.
 *   <li>{@code pg}: a schema of its own through the same kind of HikariCP pool ({@link PostgresSchema}).
 * </ul>
 */
public final class RawDatabase implements AutoCloseable {
  private final DataSource dataSource;
  private final String textType;
  private final AutoCloseable closer;

  private RawDatabase(DataSource dataSource, String textType, AutoCloseable closer) {
    this.dataSource = dataSource;
    this.textType = textType;
    this.closer = closer;
  }

  /**
   * Opens a fresh database.
   *
   * @param db {@code h2} or {@code pg} (needs {@value PostgresSchema#URL_VARIABLE})
   * @param name names the H2 fork directory and the PostgreSQL schema prefix
   * @return the database
   */
  public static RawDatabase open(String db, String name) {
    switch (db) {
      case "h2" -> {
        Path directory = BenchFiles.forkDirectory(name + "-h2");
        KeptConnections connections = new KeptConnections("jdbc:h2:file:" + directory.resolve("baseline")
            .toAbsolutePath().normalize() + ";WRITE_DELAY=0;FILE_LOCK=FS;LOCK_TIMEOUT=10000");
        return new RawDatabase(connections, "CLOB", () -> {
          connections.close();
          BenchFiles.deleteQuietly(directory);
        });
      }
      case "pg" -> {
        PostgresSchema postgres = PostgresSchema.create("bench_" + name.replace('-', '_'));
        return new RawDatabase(postgres.dataSource(), "TEXT", postgres::close);
      }
      default -> throw new IllegalArgumentException("unknown database '" + db + "'; use h2 or pg");
    }
  }

  /**
   * Returns where connections come from; closing one gives it back.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Returns the column type for long text: {@code CLOB} on H2, {@code TEXT} on PostgreSQL.
   *
   * @return the type
   */
  public String textType() {
    return textType;
  }

  @Override
  public void close() {
    try {
      closer.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the baseline database", e);
    }
  }

  /** Physical connections kept open; a handed-out connection's {@code close()} gives it back in auto-commit mode. */
  private static final class KeptConnections implements DataSource {
    private final String url;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final List<Connection> all = new ArrayList<>();
    private @Nullable PrintWriter log;
    private int loginTimeout;

    KeptConnections(String url) {
      this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection physical = idle.pollFirst();
      if (physical == null) {
        physical = DriverManager.getConnection(url, "", "");
        synchronized (all) {
          all.add(physical);
        }
      }
      Connection kept = physical;
      boolean[] given = new boolean[1];
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
              if (given[0]) {
                return null;
              }
              given[0] = true;
              if (!kept.getAutoCommit()) {
                kept.rollback();
                kept.setAutoCommit(true);
              }
              idle.offerFirst(kept);
              return null;
            }
            try {
              return method.invoke(kept, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    void close() throws SQLException {
      synchronized (all) {
        for (Connection c : all) {
          c.close();
        }
        all.clear();
      }
      idle.clear();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
      return log;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {
      log = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
      loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
      return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return iface.isInstance(this);
    }
  }
}
