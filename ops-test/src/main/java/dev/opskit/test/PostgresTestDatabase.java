package dev.opskit.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL schema of its own for one test, in the database that the environment variable {@value #URL_VARIABLE}
 * names (a JDBC URL such as {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). Tests share the server
 * without seeing each other's tables, and the schema is dropped on {@link #close()}.
 *
 * <pre>{@code
 * try (PostgresTestDatabase db = PostgresTestDatabase.create()) {   // skips the test when the variable is unset
 *   MetadataStore store = MetadataStore.postgres(db.dataSource());
 * }
 * }</pre>
 *
 * <p>When the variable is unset the test is skipped, with that reason. When it is set but the server does not
 * answer, the test is skipped with the error, unless the environment variable {@code CI} is {@code true}: in CI an
 * unreachable database is a failure. Needs the PostgreSQL JDBC driver on the test class path.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public final class PostgresTestDatabase implements AutoCloseable {
  /** The environment variable holding the JDBC URL of the test server. */
  public static final String URL_VARIABLE = "OPSKIT_TEST_PG_URL";

  private static final AtomicLong SCHEMAS = new AtomicLong();

  private final String url;
  private final String schema;
  private final PGSimpleDataSource dataSource;

  private PostgresTestDatabase(String url, String schema) {
    this.url = url;
    this.schema = schema;
    this.dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    dataSource.setCurrentSchema(schema);
  }

  /**
   * Returns the configured URL.
   *
   * @return the URL, or empty when {@value #URL_VARIABLE} is unset or blank
   */
  public static Optional<String> configuredUrl() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? Optional.empty() : Optional.of(url.strip());
  }

  /**
   * Creates a fresh schema, or skips the calling test when no server is configured.
   *
   * @return the database
   * @throws AssertionError under {@code CI=true} when the server does not answer
   */
  public static PostgresTestDatabase create() {
    Optional<String> url = configuredUrl();
    Assumptions.assumeTrue(url.isPresent(), URL_VARIABLE + " is not set, so PostgreSQL tests are skipped; set it to "
        + "a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/test?user=postgres to run them");
    String schema = "opskit_test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet() + "_"
        + Long.toHexString(System.nanoTime() & 0xffffffL);
    try (Connection c = DriverManager.getConnection(url.get()); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      String reason = "the PostgreSQL server at " + URL_VARIABLE + " does not answer: " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(reason + " (under CI=true an unreachable database is a failure)", e);
      }
      Assumptions.abort(reason);
    }
    return new PostgresTestDatabase(url.get(), schema);
  }

  /**
   * Returns a data source whose connections use this schema.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Returns a JDBC URL whose connections use this schema, for code that takes a URL.
   *
   * @return the URL
   */
  public String url() {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /**
   * Returns the schema name.
   *
   * @return the schema
   */
  public String schema() {
    return schema;
  }

  /** Drops the schema and everything in it. */
  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test schema " + schema, e);
    }
  }
}
