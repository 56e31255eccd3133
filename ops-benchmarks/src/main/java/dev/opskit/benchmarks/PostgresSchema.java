package dev.opskit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A PostgreSQL schema of its own for one benchmark trial, in the database that {@value #URL_VARIABLE} names, with a
 * HikariCP pool whose connections use it: the kind of data source a host hands {@code Workspace.postgres(...)}. Both
 * sides of a PostgreSQL comparison use such a pool. {@link #close()} closes the pool and drops the schema.
 */
public final class PostgresSchema implements AutoCloseable {
  /**
   * The environment variable holding the JDBC URL, for example
   * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}.
   */
  public static final String URL_VARIABLE = "OPSKIT_TEST_PG_URL";

  private static final AtomicLong SCHEMAS = new AtomicLong();

  private final String url;
  private final String schema;
  private final HikariDataSource pool;
  private final boolean kept;

  private PostgresSchema(String url, String schema, HikariDataSource pool, boolean kept) {
    this.url = url;
    this.schema = schema;
    this.pool = pool;
    this.kept = kept;
  }

  /**
   * Returns the configured URL.
   *
   * @return the URL, or empty when the variable is unset or blank
   */
  public static Optional<String> configuredUrl() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? Optional.empty() : Optional.of(url.strip());
  }

  /**
   * Tells why PostgreSQL figures cannot be measured, if they cannot: the variable is unset, or the server does not
   * answer.
   *
   * @return the reason, or empty if the server answers
   */
  public static Optional<String> unavailable() {
    Optional<String> url = configuredUrl();
    if (url.isEmpty()) {
      return Optional.of(URL_VARIABLE + " is not set, so the PostgreSQL figures are skipped; set it to a JDBC URL "
          + "such as jdbc:postgresql://127.0.0.1:5432/test?user=postgres to measure them");
    }
    try (Connection c = DriverManager.getConnection(url.get())) {
      return c.isValid(5) ? Optional.empty() : Optional.of("the PostgreSQL server at " + URL_VARIABLE
          + " does not answer, so the PostgreSQL figures are skipped");
    } catch (SQLException e) {
      return Optional.of("the PostgreSQL server at " + URL_VARIABLE + " does not answer (" + e.getMessage()
          + "), so the PostgreSQL figures are skipped");
    }
  }

  /**
   * Creates a fresh schema and a pool on it.
   *
   * @param prefix starts the schema's name, for example {@code bench_store}
   * @return the schema
   * @throws IllegalStateException if {@value #URL_VARIABLE} is unset or the server does not answer
   */
  public static PostgresSchema create(String prefix) {
    String url = configuredUrl().orElseThrow(() -> new IllegalStateException(URL_VARIABLE + " is not set"));
    String schema = (prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet() + "_"
        + Long.toHexString(System.nanoTime() & 0xffffffL)).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create schema " + schema + " at " + URL_VARIABLE + ": "
          + e.getMessage(), e);
    }
    return new PostgresSchema(url, schema, pool(url, schema), false);
  }

  /**
   * Opens a pool on a named schema that outlives the benchmark, such as a cached search workspace; creates the schema
   * if it does not exist. {@link #close()} closes the pool and keeps the schema.
   *
   * @param schema the schema's name: lower-case letters, digits and underscores
   * @return the schema
   * @throws IllegalArgumentException if the name breaks that rule
   * @throws IllegalStateException if {@value #URL_VARIABLE} is unset or the server does not answer
   */
  public static PostgresSchema kept(String schema) {
    if (!schema.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("schema '" + schema + "' must match [a-z][a-z0-9_]{0,62}");
    }
    String url = configuredUrl().orElseThrow(() -> new IllegalStateException(URL_VARIABLE + " is not set"));
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create schema " + schema + " at " + URL_VARIABLE + ": "
          + e.getMessage(), e);
    }
    return new PostgresSchema(url, schema, pool(url, schema), true);
  }

  /**
   * Drops a named schema and everything in it, if it exists.
   *
   * @param schema the schema's name
   * @throws IllegalStateException if {@value #URL_VARIABLE} is unset or the drop fails
   */
  public static void drop(String schema) {
    if (!schema.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("schema '" + schema + "' must match [a-z][a-z0-9_]{0,62}");
    }
    String url = configuredUrl().orElseThrow(() -> new IllegalStateException(URL_VARIABLE + " is not set"));
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop schema " + schema, e);
    }
  }

  private static HikariDataSource pool(String url, String schema) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setSchema(schema);
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    config.setPoolName("bench-" + schema);
    return new HikariDataSource(config);
  }

  /**
   * Returns the pool.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * Returns the schema's name.
   *
   * @return the name
   */
  public String schema() {
    return schema;
  }

  /** Closes the pool and drops the schema with everything in it, unless it is {@link #kept}. */
  @Override
  public void close() {
    pool.close();
    if (kept) {
      return;
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop schema " + schema, e);
    }
  }
}
