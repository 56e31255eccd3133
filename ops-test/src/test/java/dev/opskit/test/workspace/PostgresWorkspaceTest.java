package dev.opskit.test.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoreException;
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

  /**
   * A {@code currentSchema} that does not exist is named at open, with the fix, instead of PostgreSQL's "no schema has
   * been selected to create in"; and the store's description leaves out the URL's query string (driver settings, and
   * possibly a password).
   */
  @Test
  void aMissingSchemaIsNamedAtOpenAndTheUrlsQueryStringStaysOutOfMessages(@TempDir Path other) {
    String missing = database.schema() + "_missing";
    String url = database.url().replace("currentSchema=" + database.schema(), "currentSchema=" + missing)
        + "&ApplicationName=opskit-test-secret";
    assertThatThrownBy(() -> Workspace.postgres(url, other))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("search_path = " + missing)
        .hasMessageContaining("CREATE SCHEMA " + missing)
        .hasMessageNotContaining("opskit-test-secret");
    try (Workspace ws = Workspace.postgres(database.url() + "&ApplicationName=opskit-test-secret", other)) {
      assertThat(ws.metadata().describe()).startsWith("PostgreSQL metadata store jdbc:postgresql:")
          .doesNotContain("?").doesNotContain("opskit-test-secret");
    }
  }

  /** Schema V4 drops the attributes' foreign key on an existing V3 schema; records and their deletes are unchanged. */
  @Test
  void aSchemaAtVersionThreeIsMigratedWithoutTheAttributeForeignKey() throws Exception {
    try (MetadataStore store = MetadataStore.postgres(database.dataSource())) {
      store.transact(tx -> {
        tx.insert("c", "a", "", Map.of("n", 2L));
        tx.insert("c", "b", "", Map.of("n", 1L));
        return null;
      });
    }
    try (java.sql.Connection c = database.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
      // back to the schema as V3 left it
      s.execute("ALTER TABLE ops_attr ADD CONSTRAINT ops_attr_record_fk FOREIGN KEY (collection, rkey) "
          + "REFERENCES ops_record (collection, rkey) ON DELETE CASCADE");
      s.execute("DELETE FROM ops_schema_history WHERE version = 4");
    }
    assertThat(attributeConstraints()).contains("ops_attr_record_fk");
    try (MetadataStore store = MetadataStore.postgres(database.dataSource())) {
      StoredRecord b = store.transact(tx -> tx.get("c", "b")).orElseThrow();
      store.transact(tx -> {
        tx.delete(b);
        return null;
      });
      assertThat(store.transact(tx -> tx.query(dev.opskit.store.RecordQuery.in("c")
          .where("n", dev.opskit.store.RecordQuery.Op.LT, 2L))).items())
          .as("the deleted record's attributes went with it").isEmpty();
      java.util.Optional<StoredRecord> a = store.transact(tx -> tx.get("c", "a"));
      assertThat(a).isPresent();
    }
    assertThat(attributeConstraints()).doesNotContain("ops_attr_record_fk");
  }

  /**
   * Schema V5 adds the column that holds a string attribute longer than its indexed part whole, on an existing V4
   * schema; what was written before reads and compares as it did.
   */
  @Test
  void aSchemaAtVersionFourIsMigratedToCompareLongStringsWhole() throws Exception {
    String indexed = "a".repeat(1024);
    try (MetadataStore store = MetadataStore.postgres(database.dataSource())) {
      store.transact(tx -> tx.insert("c", "a", "", Map.of("s", indexed)));
    }
    try (java.sql.Connection c = database.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
      // back to the schema as V4 left it
      s.execute("ALTER TABLE ops_attr DROP COLUMN str_full");
      s.execute("DELETE FROM ops_schema_history WHERE version = 5");
    }
    try (MetadataStore store = MetadataStore.postgres(database.dataSource())) {
      assertThat(store.transact(tx -> tx.require("c", "a")).attributes()).containsEntry("s", indexed);
      store.transact(tx -> tx.insert("c", "b", "", Map.of("s", indexed + "b")));
      assertThat(store.transact(tx -> tx.query(dev.opskit.store.RecordQuery.in("c")
          .where("s", dev.opskit.store.RecordQuery.Op.EQ, indexed))).items()).extracting(StoredRecord::key)
          .containsExactly("a");
      assertThat(store.transact(tx -> tx.query(dev.opskit.store.RecordQuery.in("c")
          .where("s", dev.opskit.store.RecordQuery.Op.LIKE, "%b"))).items()).extracting(StoredRecord::key)
          .containsExactly("b");
    }
  }

  /** The names of the constraints of table ops_attr in the test's schema. */
  private List<String> attributeConstraints() throws Exception {
    try (java.sql.Connection c = database.dataSource().getConnection();
        java.sql.PreparedStatement p = c.prepareStatement("SELECT constraint_name FROM "
            + "information_schema.table_constraints WHERE table_schema = ? AND table_name = 'ops_attr'")) {
      p.setString(1, database.schema());
      List<String> names = new ArrayList<>();
      try (java.sql.ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      return names;
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
