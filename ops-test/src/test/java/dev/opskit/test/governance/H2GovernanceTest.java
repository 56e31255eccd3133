package dev.opskit.test.governance;

import dev.opskit.Workspace;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;

class H2GovernanceTest extends GovernanceContract {
  @TempDir
  Path directory;

  @Override
  Workspace createWorkspace(ManualClock clock) {
    return Workspace.builder().clock(clock).openLocal(directory);
  }

  /** Edits the row in the H2 file with SQL, as an intruder with database access would. */
  @Override
  void tamper(String collection, String key, UnaryOperator<String> edit) {
    String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("metadata")
        + ";WRITE_DELAY=0;FILE_LOCK=FS;LOCK_TIMEOUT=10000";
    try (Connection c = DriverManager.getConnection(url, "", "")) {
      editWithSql(c, collection, key, edit);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void editWithSql(Connection c, String collection, String key, UnaryOperator<String> edit)
      throws SQLException {
    String body;
    try (PreparedStatement read = c.prepareStatement("SELECT body FROM ops_record WHERE collection = ? AND rkey = ?")) {
      read.setString(1, collection);
      read.setString(2, key);
      try (var rs = read.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row " + collection + "/" + key);
        }
        body = rs.getString(1);
      }
    }
    try (PreparedStatement write = c.prepareStatement(
        "UPDATE ops_record SET body = ? WHERE collection = ? AND rkey = ?")) {
      write.setString(1, edit.apply(body));
      write.setString(2, collection);
      write.setString(3, key);
      if (write.executeUpdate() != 1) {
        throw new IllegalStateException("the row did not change");
      }
    }
  }
}
