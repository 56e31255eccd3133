package dev.opskit.test.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepStatus;
import dev.opskit.store.IncompatibleStoreException;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkspaceTest {
  private static final Duration CHILD_BOUND = Duration.ofMinutes(2);

  @TempDir
  Path dir;

  @Test
  void theDirectoryIsCreatedWithADatabaseAndABlobFolder() {
    Path ws = dir.resolve("nested/workspace");
    try (Workspace workspace = Workspace.local(ws)) {
      assertThat(workspace.metadata().describe()).contains(ws.resolve("metadata.mv.db").toString());
      assertThat(workspace.blobs().describe()).contains(ws.resolve("blobs").toString());
    }
    assertThat(ws.resolve("metadata.mv.db")).isRegularFile();
    assertThat(ws.resolve("blobs")).isDirectory();
  }

  @Test
  void runRecordsSurviveARestartAndCanBeListedByPipelineStatusAndTime() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T00:00:00Z"));
    List<String> ids = new ArrayList<>();
    String failedId;
    try (Workspace ws = Workspace.builder().clock(clock).openLocal(dir)) {
      for (int i = 0; i < 5; i++) {
        ids.add(ws.runner().plan(FailingPipelineMain.pipeline(false)).input(FailingPipelineMain.RAW, "r" + i).run()
            .id());
        clock.advance(Duration.ofHours(1));
      }
      try {
        ws.runner().plan(FailingPipelineMain.pipeline(true)).input(FailingPipelineMain.RAW, "r").run();
        throw new AssertionError("expected a failure");
      } catch (RunFailedException e) {
        failedId = e.run().id();
      }
    }
    try (Workspace ws = Workspace.local(dir)) {
      Run failed = ws.run(failedId).orElseThrow();
      assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
      assertThat(failed.step("one").status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(failed.step("two").status()).isEqualTo(StepStatus.FAILED);
      assertThat(failed.step("two").error().message()).isEqualTo("two is broken in this process");
      assertThat(failed.step("two").error().stackTrace()).contains("FailingPipelineMain");
      assertThat(failed.startedAt()).isEqualTo(Instant.parse("2026-06-01T05:00:00Z"));

      Page<Run> all = ws.runs().pipeline("shared").list();
      assertThat(all.items()).extracting(Run::id).containsExactly(failedId, ids.get(4), ids.get(3), ids.get(2),
          ids.get(1), ids.get(0));
      assertThat(ws.runs().status(RunStatus.FAILED).list().items()).extracting(Run::id).containsExactly(failedId);
      assertThat(ws.runs().status(RunStatus.SUCCEEDED).count()).isEqualTo(5);
      assertThat(ws.runs().startedAfter(Instant.parse("2026-06-01T02:00:00Z"))
          .startedBefore(Instant.parse("2026-06-01T04:00:00Z")).list().items())
          .extracting(Run::id).containsExactly(ids.get(3), ids.get(2));
      Page<Run> first = ws.runs().limit(4).list();
      Page<Run> second = ws.runs().limit(4).offset(first.nextOffset()).list();
      assertThat(first.hasMore()).isTrue();
      assertThat(second.hasMore()).isFalse();
      assertThat(second.items()).extracting(Run::id).containsExactly(ids.get(1), ids.get(0));
      assertThat(ws.runs().pipeline("other").count()).isZero();
      assertThat(ws.run("no-such-run")).isEmpty();
    }
  }

  @Test
  void aFailedRunCanBeResumedFromAnotherProcess() throws Exception {
    ChildJvm.Result child = ChildJvm.run(ChildJvm.builder(FailingPipelineMain.class, dir.toString()), CHILD_BOUND);
    assertThat(child.exitCode()).as(child.output()).isZero();
    String failedId = child.lines().stream().filter(l -> l.startsWith("FAILED ")).findFirst().orElseThrow()
        .substring("FAILED ".length());

    try (Workspace ws = Workspace.local(dir)) {
      assertThat(ws.run(failedId).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
      // This process never held the failed run's outputs, so step one runs again; its input is passed anew.
      Run resumed = ws.runner().plan(FailingPipelineMain.pipeline(false)).resuming(failedId)
          .input(FailingPipelineMain.RAW, "raw").run();
      assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(resumed.resumedFrom()).contains(failedId);
      assertThat(resumed.output(FailingPipelineMain.TWO)).isEqualTo("raw>one>two");
      assertThat(ws.runs().pipeline("shared").count()).isEqualTo(2);
    }
  }

  @Test
  void aSecondProcessOpeningTheWorkspaceGetsAClearError() throws Exception {
    try (Workspace ws = Workspace.local(dir)) {
      assertThat(ws.runs().count()).isZero();
      ChildJvm.Result child = ChildJvm.run(ChildJvm.builder(OpenWorkspaceMain.class, dir.toString()), CHILD_BOUND);
      assertThat(child.exitCode()).as(child.output()).isEqualTo(3);
      assertThat(child.output())
          .contains("REFUSED the workspace database " + dir.toAbsolutePath().resolve("metadata.mv.db"))
          .contains("in use by another process")
          .contains("Workspace.postgres(...)")
          .contains("AUTO_SERVER=TRUE");
    }
    ChildJvm.Result after = ChildJvm.run(ChildJvm.builder(OpenWorkspaceMain.class, dir.toString()), CHILD_BOUND);
    assertThat(after.exitCode()).as(after.output()).isZero();
  }

  @Test
  void aDamagedDatabaseFileIsReportedAndLeftUntouched() throws IOException {
    try (Workspace ws = Workspace.local(dir)) {
      ws.runner().plan(FailingPipelineMain.pipeline(false)).input(FailingPipelineMain.RAW, "r").run();
    }
    Path file = dir.resolve("metadata.mv.db");
    byte[] bytes = Files.readAllBytes(file);
    for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    Files.write(file, bytes);
    assertThatThrownBy(() -> Workspace.local(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("damaged")
        .hasMessageContaining("did not modify it");
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path inside = file.resolve("workspace");
    assertThatThrownBy(() -> Workspace.local(inside))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("the workspace directory " + inside.toAbsolutePath())
        .hasMessageContaining("cannot be created");
  }

  @Test
  void aDirectoryWithoutWritePermissionIsNamed() throws Exception {
    Path locked = Files.createDirectory(dir.resolve("locked"));
    // Tests often run as root, which ignores permission bits; the immutable attribute stops root too.
    boolean immutable = new ProcessBuilder("chattr", "+i", locked.toString()).start().waitFor() == 0;
    if (!immutable) {
      locked.toFile().setWritable(false, false);
    }
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(locked) && !immutable,
          "cannot make a directory unwritable here (running as root without chattr)");
      assertThatThrownBy(() -> Workspace.local(locked))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("the workspace directory " + locked.toAbsolutePath() + " is not writable");
    } finally {
      if (immutable) {
        new ProcessBuilder("chattr", "-i", locked.toString()).start().waitFor();
      } else {
        locked.toFile().setWritable(true, false);
      }
    }
  }

  @Test
  void twoProcessesShareAnH2StoreInServerModeThroughItsUrl() throws Exception {
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("shared") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    try (MetadataStore store = MetadataStore.h2(url)) {
      store.transact(tx -> tx.insert("shared", "parent", "{}", Map.of("by", "parent")));
      // While this process holds the database open, another one writes to it through the server this one started.
      ChildJvm.Result child = ChildJvm.run(ChildJvm.builder(H2ServerModeMain.class, url, "child"), CHILD_BOUND);
      assertThat(child.exitCode()).as(child.output()).isZero();
      assertThat(child.lines()).contains("COUNT 2");
      assertThat(store.transact(tx -> tx.require("shared", "child")).attributes()).containsEntry("by", "child");
    }
    assertThatThrownBy(() -> MetadataStore.h2("jdbc:postgresql://localhost/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'jdbc:postgresql://localhost/db'")
        .hasMessageContaining("jdbc:h2:");
  }

  @Test
  void aStoreWithANewerSchemaIsRefusedNamingBothVersions() throws Exception {
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      store.transact(tx -> tx.increment("touch"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("metadata").toAbsolutePath());
        PreparedStatement p = c.prepareStatement("INSERT INTO ops_schema_history (version, description, checksum, "
            + "applied_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)")) {
      p.setInt(1, 99);
      p.setString(2, "from the future");
      p.setString(3, "0".repeat(64));
      p.executeUpdate();
    }
    assertThatThrownBy(() -> MetadataStore.h2(dir.resolve("metadata")))
        .isInstanceOfSatisfying(IncompatibleStoreException.class, e -> {
          assertThat(e.storeVersion()).isEqualTo(99);
          assertThat(e.libraryVersion()).isEqualTo(5);
        })
        .hasMessageContaining("has schema version 99 but this opskit knows versions up to 5");
  }

  @Test
  void aStoreAtSchemaVersionOneIsMigratedOnOpenKeepingItsRecords() throws Exception {
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      store.transact(tx -> tx.insert("c", "a", "kept", Map.of("n", 2L)));
      store.transact(tx -> tx.insert("c", "b", "kept too", Map.of("n", 1L)));
    }
    String url = "jdbc:h2:file:" + dir.resolve("metadata").toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // back to the schema as V1 left it
      s.execute("DROP INDEX ops_attr_by_value");
      s.execute("CREATE INDEX ops_attr_by_string ON ops_attr (collection, name, str_value)");
      s.execute("CREATE INDEX ops_attr_by_number ON ops_attr (collection, name, num_value)");
      s.execute("DELETE FROM ops_schema_history WHERE version >= 2");
    }
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      assertThat(store.transact(tx -> tx.query(RecordQuery.in("c").orderBy("n", true))).items())
          .extracting(StoredRecord::key).containsExactly("b", "a");
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM ops_schema_history ORDER BY version")) {
      List<Integer> applied = new ArrayList<>();
      while (rs.next()) {
        applied.add(rs.getInt(1));
      }
      assertThat(applied).containsExactly(1, 2, 3, 4, 5);
    }
    assertThat(attributeIndexes(url)).containsExactly("ops_attr_by_value");
  }

  /** The names of the attribute indexes of the H2 database at a URL. */
  private static List<String> attributeIndexes(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT LOWER(index_name) FROM information_schema.indexes "
            + "WHERE LOWER(table_name) = 'ops_attr' AND LOWER(index_name) LIKE 'ops_attr_by_%'")) {
      List<String> indexes = new ArrayList<>();
      while (rs.next()) {
        indexes.add(rs.getString(1));
      }
      return indexes;
    }
  }

  /** V3 replaces V2's two attribute indexes with one; every kind of query still answers as before. */
  @Test
  void aStoreAtSchemaVersionTwoIsMigratedToOneValueIndex() throws Exception {
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      store.transact(tx -> {
        tx.insert("c", "a", "", Map.of("n", 2L, "s", "x"));
        tx.insert("c", "b", "", Map.of("n", 1.5, "s", "y"));
        tx.insert("c", "c", "", Map.of("s", "z"));
        return null;
      });
    }
    String url = "jdbc:h2:file:" + dir.resolve("metadata").toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // back to the schema as V2 left it
      s.execute("DROP INDEX ops_attr_by_value");
      s.execute("CREATE INDEX ops_attr_by_string_key ON ops_attr (collection, name, str_value, rkey)");
      s.execute("CREATE INDEX ops_attr_by_number_key ON ops_attr (collection, name, num_value, rkey)");
      s.execute("DELETE FROM ops_schema_history WHERE version = 3");
    }
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      assertThat(store.transact(tx -> tx.query(RecordQuery.in("c").orderBy("n", false))).items())
          .extracting(StoredRecord::key).containsExactly("a", "b", "c");
      assertThat(store.transact(tx -> tx.query(RecordQuery.in("c").where("n", RecordQuery.Op.GT, 1L))).items())
          .extracting(StoredRecord::key).containsExactly("a", "b");
      assertThat(store.transact(tx -> tx.query(RecordQuery.in("c").where("s", RecordQuery.Op.GE, "y")
          .orderBy("s", true))).items()).extracting(StoredRecord::key).containsExactly("b", "c");
    }
    assertThat(attributeIndexes(url)).containsExactly("ops_attr_by_value");
  }

  /**
   * V4 drops the foreign key from attributes to records, and with it the index H2 made for it; records, attributes,
   * updates and deletes behave as before.
   */
  @Test
  void aStoreAtSchemaVersionThreeIsMigratedWithoutTheAttributeForeignKey() throws Exception {
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      store.transact(tx -> {
        tx.insert("c", "a", "", Map.of("n", 2L));
        tx.insert("c", "b", "", Map.of("n", 1L));
        return null;
      });
    }
    String url = "jdbc:h2:file:" + dir.resolve("metadata").toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // back to the schema as V3 left it
      s.execute("ALTER TABLE ops_attr ADD CONSTRAINT ops_attr_record_fk FOREIGN KEY (collection, rkey) "
          + "REFERENCES ops_record (collection, rkey) ON DELETE CASCADE");
      s.execute("DELETE FROM ops_schema_history WHERE version = 4");
    }
    assertThat(attributeConstraintsAndIndexes(url)).contains("ops_attr_record_fk");
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      StoredRecord b = store.transact(tx -> tx.get("c", "b")).orElseThrow();
      store.transact(tx -> {
        tx.delete(b);
        return null;
      });
      assertThat(store.transact(tx -> tx.query(RecordQuery.in("c").orderBy("n", false))).items())
          .extracting(StoredRecord::key).containsExactly("a");
      assertThat(store.transact(tx -> tx.query(RecordQuery.in("c").where("n", RecordQuery.Op.LT, 2L))).items())
          .as("the deleted record's attributes went with it").isEmpty();
    }
    assertThat(attributeConstraintsAndIndexes(url)).noneMatch(n -> n.contains("fk"));
  }

  /** The names of the constraints and indexes of table ops_attr of the H2 database at a URL, lower case. */
  private static List<String> attributeConstraintsAndIndexes(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT LOWER(constraint_name) FROM information_schema.table_constraints "
            + "WHERE LOWER(table_name) = 'ops_attr' UNION ALL SELECT LOWER(index_name) FROM "
            + "information_schema.indexes WHERE LOWER(table_name) = 'ops_attr'")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    }
  }

  /**
   * V5 adds the column that holds a string attribute longer than its indexed part whole; the attributes written before
   * read and compare as they did, and long strings written after compare whole.
   */
  @Test
  void aStoreAtSchemaVersionFourIsMigratedToCompareLongStringsWhole() throws Exception {
    String indexed = "a".repeat(1024);
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      store.transact(tx -> tx.insert("c", "a", "", Map.of("s", indexed, "n", 1L)));
    }
    String url = "jdbc:h2:file:" + dir.resolve("metadata").toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // back to the schema as V4 left it
      s.execute("ALTER TABLE ops_attr DROP COLUMN str_full");
      s.execute("DELETE FROM ops_schema_history WHERE version = 5");
    }
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      assertThat(store.transact(tx -> tx.require("c", "a")).attributes()).containsEntry("s", indexed);
      store.transact(tx -> tx.insert("c", "b", "", Map.of("s", indexed + "b", "n", 2L)));
      assertThat(store.transact(tx -> tx.query(RecordQuery.in("c").where("s", RecordQuery.Op.EQ, indexed))).items())
          .extracting(StoredRecord::key).containsExactly("a");
      assertThat(store.transact(tx -> tx.query(RecordQuery.in("c").where("s", RecordQuery.Op.LIKE, "%b"))).items())
          .extracting(StoredRecord::key).containsExactly("b");
      assertThat(store.transact(tx -> tx.require("c", "b")).attributes()).containsEntry("s", indexed + "b");
    }
    assertThat(attributeColumns(url)).contains("str_full");
  }

  /** The names of the columns of table ops_attr of the H2 database at a URL, lower case. */
  private static List<String> attributeColumns(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT LOWER(column_name) FROM information_schema.columns "
            + "WHERE LOWER(table_name) = 'ops_attr'")) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    }
  }

  @Test
  void aStoreMigratedByADifferentScriptIsRefused() throws Exception {
    try (MetadataStore store = MetadataStore.h2(dir.resolve("metadata"))) {
      store.transact(tx -> tx.increment("touch"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("metadata").toAbsolutePath());
        PreparedStatement p = c.prepareStatement("UPDATE ops_schema_history SET checksum = ? WHERE version = 1")) {
      p.setString(1, "f".repeat(64));
      p.executeUpdate();
    }
    assertThatThrownBy(() -> MetadataStore.h2(dir.resolve("metadata")))
        .isInstanceOf(IncompatibleStoreException.class)
        .hasMessageContaining("applied migration V1 (records) with checksum " + "f".repeat(64));
  }
}
