package dev.opskit.benchmarks.store;

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
 * The baseline of {@link MetadataBenchmark} on a database: what a hand-written JDBC data-access layer does for the
 * same records. A table of the same shape as opskit's record table (primary key {@code (collection, rkey)}, a version,
 * a text body); a write is one {@code INSERT} and a read one {@code SELECT} by primary key, each on a connection taken
 * from the pool in auto-commit mode, so each is a transaction of its own. H2 runs in a separate file opened with the
 * same settings as opskit's, with kept connections ({@link RawDatabase}); PostgreSQL in a schema of its own through the same kind of HikariCP
 * pool.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class JdbcBaselineBenchmark {
  static final String INSERT = "INSERT INTO bench_record (collection, rkey, version, body) VALUES (?, ?, 1, ?)";
  static final String SELECT = "SELECT version, body FROM bench_record WHERE collection = ? AND rkey = ?";

  /** {@code h2} or {@code pg} (needs {@value PostgresSchema#URL_VARIABLE}). */
  @Param({"h2", "pg"})
  public String db = "h2";

  /** How many records are loaded for the reads. */
  @Param({"1000"})
  public int records = 1000;

  private @Nullable RawDatabase database;
  private @Nullable DataSource dataSource;
  private long written;
  private int nextRead;

  /**
   * Creates the table and loads the records the reads read.
   *
   * @throws SQLException if the database fails
   */
  @Setup(Level.Trial)
  public void open() throws SQLException {
    database = RawDatabase.open(db, "store-jdbc");
    dataSource = database.dataSource();
    String bodyType = database.textType();
    try (Connection c = dataSource.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE bench_record (collection VARCHAR(255) NOT NULL, rkey VARCHAR(255) NOT NULL, "
            + "version BIGINT NOT NULL, body " + bodyType + " NOT NULL, PRIMARY KEY (collection, rkey))");
      }
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement(INSERT)) {
        for (int i = 0; i < records; i++) {
          p.setString(1, StoreRecords.COLLECTION);
          p.setString(2, StoreRecords.readKey(i));
          p.setString(3, StoreRecords.BODY);
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
    }
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
   * Inserts one new row.
   *
   * @return the number of rows inserted, 1
   * @throws SQLException if the database fails
   */
  @Benchmark
  public int write() throws SQLException {
    String key = StoreRecords.writeKey(written++);
    try (Connection c = States.require(dataSource).getConnection();
        PreparedStatement p = c.prepareStatement(INSERT)) {
      p.setString(1, StoreRecords.COLLECTION);
      p.setString(2, key);
      p.setString(3, StoreRecords.BODY);
      return p.executeUpdate();
    }
  }

  /**
   * Reads one loaded row by primary key.
   *
   * @return its body
   * @throws SQLException if the database fails
   */
  @Benchmark
  public String read() throws SQLException {
    String key = StoreRecords.readKey(nextRead);
    nextRead = (nextRead + 1) % records;
    try (Connection c = States.require(dataSource).getConnection();
        PreparedStatement p = c.prepareStatement(SELECT)) {
      p.setString(1, StoreRecords.COLLECTION);
      p.setString(2, key);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("row " + key + " is missing");
        }
        return rs.getLong(1) + rs.getString(2);
      }
    }
  }
}
