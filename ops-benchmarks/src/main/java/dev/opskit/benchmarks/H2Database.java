package dev.opskit.benchmarks;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * An embedded H2 file database for raw-JDBC baselines, opened with the settings opskit's own H2 store uses
 * ({@code WRITE_DELAY=0}: every commit reaches the file before it returns; a file lock; a pool of up to 32
 * connections), so that a baseline differs from opskit only in what runs on top of the connection.
 */
public final class H2Database {
  private H2Database() {}

  /**
   * Opens or creates a database.
   *
   * @param file the database file, without {@code .mv.db}
   * @return a pool on it; dispose of it to close the database
   */
  public static JdbcConnectionPool open(Path file) {
    String url = "jdbc:h2:file:" + file.toAbsolutePath().normalize() + ";WRITE_DELAY=0;FILE_LOCK=FS;LOCK_TIMEOUT=10000";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "", "");
    pool.setMaxConnections(32);
    return pool;
  }
}
