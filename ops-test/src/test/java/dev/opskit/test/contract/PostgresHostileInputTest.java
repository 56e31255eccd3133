package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.test.PostgresTestDatabase;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class PostgresHostileInputTest extends HostileInputContract {
  @TempDir
  Path blobs;
  private PostgresTestDatabase database;

  @Override
  protected Workspace createWorkspace(ManualClock clock) {
    database = PostgresTestDatabase.create();
    try {
      return Workspace.builder().clock(clock).openPostgres(database.dataSource(),
          Files.createTempDirectory(blobs, "blobs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterEach
  void dropSchema() {
    if (database != null) {
      database.close();
    }
  }

  @AfterAll
  void printInputsTried() {
    System.out.println("hostile inputs tried on PostgreSQL: " + inputsTried());
  }
}
