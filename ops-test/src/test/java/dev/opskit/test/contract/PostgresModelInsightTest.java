package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.test.PostgresTestDatabase;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class PostgresModelInsightTest extends ModelInsightContract {
  @TempDir
  Path blobs;
  private PostgresTestDatabase database;

  @Override
  protected Workspace createWorkspace(ManualClock clock) {
    database = PostgresTestDatabase.create();
    return Workspace.builder().clock(clock).openPostgres(database.dataSource(), blobs);
  }

  @AfterEach
  void dropSchema() {
    if (database != null) {
      database.close();
    }
  }
}
