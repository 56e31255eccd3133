package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.test.PostgresTestDatabase;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class PostgresModelRegistryTest extends ModelRegistryContract {
  @TempDir
  Path blobs;
  private PostgresTestDatabase database;

  @Override
  protected Workspace createWorkspace(ManualClock clock) {
    database = PostgresTestDatabase.create();
    return Workspace.builder().clock(clock).openPostgres(database.dataSource(), blobs);
  }

  /** Edits the row in PostgreSQL with SQL, behind opskit's back. */
  @Override
  protected void tamper(Workspace workspace, String collection, String key,
      java.util.function.UnaryOperator<String> edit) {
    try (java.sql.Connection c = database.dataSource().getConnection()) {
      H2ModelRegistryTest.tamperWithSql(c, collection, key, edit);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void dropSchema() {
    if (database != null) {
      database.close();
    }
  }
}
