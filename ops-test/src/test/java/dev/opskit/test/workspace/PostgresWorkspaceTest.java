package dev.opskit.test.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoredRecord;
import dev.opskit.test.PostgresTestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresWorkspaceTest {
  private PostgresTestDatabase database;

  @TempDir
  Path blobs;

  @BeforeEach
  void createSchema() {
    database = PostgresTestDatabase.create();
  }

  @AfterEach
  void dropSchema() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void twoWorkspacesOnOneDatabaseShareRunsAndBlobs() {
    try (Workspace first = Workspace.postgres(database.dataSource(), blobs);
        Workspace second = Workspace.postgres(database.url(), blobs)) {
      Run run = first.runner().plan(FailingPipelineMain.pipeline(false)).input(FailingPipelineMain.RAW, "r").run();
      String blob = first.blobs().put("shared bytes".getBytes(StandardCharsets.UTF_8)).id();

      Run seen = second.run(run.id()).orElseThrow();
      assertThat(seen.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(seen.steps()).hasSize(2);
      assertThat(second.runs().pipeline("shared").count()).isEqualTo(1);
      assertThat(new String(second.blobs().read(blob), StandardCharsets.UTF_8)).isEqualTo("shared bytes");
      assertThat(first.metadata().describe()).startsWith("PostgreSQL metadata store jdbc:postgresql:");
    }
  }

  @Test
  void twoProcessesUpdatingOneRecordLoseNothingAndNumbersNeverRepeat() throws Exception {
    int increments = 150;
    try (MetadataStore store = MetadataStore.postgres(database.dataSource())) {
      store.transact(tx -> tx.insert("counter", "shared", "0", Map.of()));
    }
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      children.add(ChildJvm.builder(PostgresIncrementMain.class, database.url(), Integer.toString(increments))
          .start());
    }
    long conflicts = 0;
    for (Process child : children) {
      String done = null;
      StringBuilder output = new StringBuilder();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("DONE ")) {
            done = line;
          }
        }
      }
      assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(child.exitValue()).as(output.toString()).isZero();
      assertThat(done).as(output.toString()).isNotNull();
      String[] parts = done.split(" ");
      conflicts += Long.parseLong(parts[1]);
      assertThat(Long.parseLong(parts[2])).isEqualTo(increments);
    }
    try (MetadataStore store = MetadataStore.postgres(database.dataSource())) {
      StoredRecord last = store.transact(tx -> tx.require("counter", "shared"));
      assertThat(last.body()).isEqualTo(Integer.toString(2 * increments));
      assertThat(last.version()).isEqualTo(1 + 2L * increments);
      long next = store.transact(tx -> tx.increment("numbers"));
      assertThat(next).as("both processes drew 1..%d without a repeat or a gap", 2 * increments)
          .isEqualTo(2L * increments + 1);
    }
    System.out.println("two PostgreSQL processes, " + 2 * increments + " increments, " + conflicts
        + " conflicts reported and retried");
  }
}
