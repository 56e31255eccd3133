package dev.opskit.benchmarks.registry;

import dev.opskit.benchmarks.RawDatabase;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.benchmarks.States;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline of {@link RegistryBenchmark}: the writes a hand-written registry on raw JDBC would make, on the same
 * kind of database (a separate H2 file opened with opskit's settings, or a PostgreSQL schema through the same kind of
 * HikariCP pool), each operation one transaction.
 *
 * <ul>
 *   <li>{@link #register()}: {@code UPDATE} of the model's version counter, a {@code SELECT} of its new value, and one
 *       {@code INSERT} of the version row (with an 800-character body, the size of opskit's version document).
 *   <li>{@link #promote()}: {@code UPDATE} of the incumbent's row to {@code ARCHIVED}, {@code UPDATE} of the
 *       candidate's row to {@code PRODUCTION}, and one {@code INSERT} of an audit row; alternating between versions 1
 *       and 2.
 * </ul>
 *
 * <p>No artifact is stored and no audit hash chained: the baseline is what the database alone costs for such writes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class JdbcRegistryBaseline {
  static final String BODY = body();

  /** {@code h2} or {@code pg} (needs {@value PostgresSchema#URL_VARIABLE}). */
  @Param({"h2", "pg"})
  public String db = "h2";

  private @Nullable RawDatabase database;
  private @Nullable DataSource dataSource;
  private long audits;
  private int promoted;

  /**
   * Creates the tables, the counter and versions 1 and 2.
   *
   * @throws SQLException if the database fails
   */
  @Setup(Level.Trial)
  public void open() throws SQLException {
    database = RawDatabase.open(db, "jdbc-registry");
    dataSource = database.dataSource();
    String text = database.textType();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_version (model VARCHAR(255) NOT NULL, number INT NOT NULL, "
          + "stage VARCHAR(16) NOT NULL, auc DOUBLE PRECISION, body " + text + " NOT NULL, "
          + "PRIMARY KEY (model, number))");
      s.execute("CREATE TABLE bench_counter (name VARCHAR(255) NOT NULL PRIMARY KEY, current_value BIGINT NOT NULL)");
      s.execute("CREATE TABLE bench_audit (id BIGINT NOT NULL PRIMARY KEY, model VARCHAR(255) NOT NULL, "
          + "number INT NOT NULL, body " + text + " NOT NULL)");
      s.execute("INSERT INTO bench_counter (name, current_value) VALUES ('churn', 0)");
    }
    register();
    register();
  }

  /** Closes the pool and deletes the database. */
  @TearDown(Level.Trial)
  public void close() {
    if (database != null) {
      database.close();
      database = null;
    }
    dataSource = null;
  }

  /**
   * Takes the next version number and inserts the version, in one transaction.
   *
   * @return the version number
   * @throws SQLException if the database fails
   */
  @Benchmark
  public long register() throws SQLException {
    try (Connection c = States.require(dataSource).getConnection()) {
      c.setAutoCommit(false);
      long number;
      try (PreparedStatement up = c.prepareStatement(
          "UPDATE bench_counter SET current_value = current_value + 1 WHERE name = ?")) {
        up.setString(1, ChurnModel.MODEL);
        up.executeUpdate();
      }
      try (PreparedStatement read = c.prepareStatement("SELECT current_value FROM bench_counter WHERE name = ?")) {
        read.setString(1, ChurnModel.MODEL);
        try (ResultSet rs = read.executeQuery()) {
          rs.next();
          number = rs.getLong(1);
        }
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO bench_version (model, number, stage, auc, body) VALUES (?, ?, 'NONE', ?, ?)")) {
        insert.setString(1, ChurnModel.MODEL);
        insert.setLong(2, number);
        insert.setDouble(3, ChurnModel.auc(number));
        insert.setString(4, BODY);
        insert.executeUpdate();
      }
      c.commit();
      c.setAutoCommit(true);
      return number;
    }
  }

  /**
   * Archives the production version, promotes the other one and appends an audit row, in one transaction.
   *
   * @return the promoted version's number
   * @throws SQLException if the database fails
   */
  @Benchmark
  public int promote() throws SQLException {
    int number = promoted++ % 2 + 1;
    try (Connection c = States.require(dataSource).getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement archive = c.prepareStatement(
          "UPDATE bench_version SET stage = 'ARCHIVED' WHERE model = ? AND stage = 'PRODUCTION'")) {
        archive.setString(1, ChurnModel.MODEL);
        archive.executeUpdate();
      }
      try (PreparedStatement move = c.prepareStatement(
          "UPDATE bench_version SET stage = 'PRODUCTION' WHERE model = ? AND number = ?")) {
        move.setString(1, ChurnModel.MODEL);
        move.setInt(2, number);
        move.executeUpdate();
      }
      try (PreparedStatement audit = c.prepareStatement(
          "INSERT INTO bench_audit (id, model, number, body) VALUES (?, ?, ?, ?)")) {
        audit.setLong(1, ++audits);
        audit.setString(2, ChurnModel.MODEL);
        audit.setInt(3, number);
        audit.setString(4, BODY);
        audit.executeUpdate();
      }
      c.commit();
      c.setAutoCommit(true);
      return number;
    }
  }

  private static String body() {
    StringBuilder b = new StringBuilder("{\"model\":\"churn\",\"format\":\"json\",\"provenance\":\"");
    while (b.length() < 798) {
      b.append((char) ('a' + b.length() % 26));
    }
    return b.append("\"}").toString();
  }
}
