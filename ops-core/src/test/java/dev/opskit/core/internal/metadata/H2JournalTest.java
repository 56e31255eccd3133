package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's commit journal ({@link H2Journal}). What a killed process leaves is simulated by copying the
 * journal's files and the database file: the journal first, then the file, which only moves forward, so the copy is
 * one a kill could leave; or the file as it was before the writes and the journal after them, a kill before H2 stored
 * anything of them. Every acknowledged commit must be in the store opened on the copy.
 */
class H2JournalTest {
  private static final Clock CLOCK = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  @TempDir
  Path directory;

  @Test
  void aCommitIsInWhatAKilledProcessLeavesWhenItsTransactionReturns() throws Exception {
    Path file = directory.resolve("ws");
    JdbcMetadataStore store = H2Store.open(file, CLOCK);
    try {
      for (int i = 0; i < 20; i++) {
        String key = "k" + i;
        store.transact(tx -> tx.insert("c", key, "body " + key, Map.of()));
        Path copy = directory.resolve("copy-" + i);
        copyJournal(file, copy);
        Files.copy(Path.of(file + ".mv.db"), Path.of(copy + ".mv.db"));
        JdbcMetadataStore opened = H2Store.open(copy, CLOCK);
        try {
          Optional<StoredRecord> got = opened.transact(tx -> tx.get("c", key));
          assertThat(got).as("commit %d in the copy taken as it returned", i).isPresent();
        } finally {
          opened.close();
        }
      }
    } finally {
      store.close();
    }
  }

  @Test
  void commitsTheFileHadNotStoredAreAppliedAgainAtOpenAsTheyLeftEachRecord() throws Exception {
    Path file = directory.resolve("ws");
    H2Connections connections = connections(file, H2Journal.ROTATE_BYTES);
    JdbcMetadataStore store = JdbcMetadataStore.h2(connections, "test store", CLOCK);
    Path copy = directory.resolve("killed");
    Instant at = Instant.parse("2026-12-07T10:15:30.123456Z");
    try {
      store.transact(tx -> {
        tx.insert("c", "kept", "v1", Map.of("n", 1L));
        tx.insert("c", "gone", "x", Map.of("n", 9L));
        return tx.increment("seq");
      });
      Objects.requireNonNull(connections.housekeeping()).close(); // no more checkpoints: only the journal has what follows
      Objects.requireNonNull(connections.journal()).checkpoint();
      Files.copy(Path.of(file + ".mv.db"), Path.of(copy + ".mv.db")); // the file as the kill will find it

      store.transact(tx -> {
        StoredRecord kept = tx.get("c", "kept").orElseThrow();
        tx.update(kept, "v2", Map.of("n", 2L, "name", "second", "score", 0.75, "ok", true, "at", at));
        tx.delete(tx.get("c", "gone").orElseThrow());
        tx.insert("c", "new", "fresh \u00e9\u4e2d", Map.of("name", "x".repeat(3_000)));
        return tx.increment("seq");
      });
      store.transact(tx -> tx.increment("seq"));
      assertThat(Objects.requireNonNull(connections.journal()).pending()).isEqualTo(2);
      copyJournal(file, copy);
    } finally {
      store.close();
    }

    JdbcMetadataStore opened = H2Store.open(copy, CLOCK);
    try {
      opened.transact(tx -> {
        StoredRecord kept = tx.get("c", "kept").orElseThrow();
        assertThat(kept.version()).isEqualTo(2);
        assertThat(kept.body()).isEqualTo("v2");
        assertThat(kept.attributes()).containsOnly(Map.entry("n", 2L), Map.entry("name", "second"),
            Map.entry("score", 0.75), Map.entry("ok", true), Map.entry("at", at));
        assertThat(tx.get("c", "gone")).isEmpty();
        assertThat(tx.get("c", "new").orElseThrow().body()).isEqualTo("fresh \u00e9\u4e2d");
        // the attributes are indexed again, not only kept
        assertThat(tx.query(RecordQuery.in("c").where("n", RecordQuery.Op.GE, 2L)).items())
            .extracting(StoredRecord::key).containsExactly("kept");
        assertThat(tx.query(RecordQuery.in("c").where("name", RecordQuery.Op.EQ, "x".repeat(3_000))).items())
            .extracting(StoredRecord::key).containsExactly("new");
        assertThat(tx.increment("seq")).as("the counter goes on from its last acknowledged value").isEqualTo(4);
        return null;
      });
    } finally {
      opened.close();
    }
    assertThat(JournalFormat.files(copy)).as("journal files once the replayed state is stored").hasSize(1);
  }

  @Test
  void aFrameCutShortByTheKillIsLeftOutAndEverythingBeforeItApplied() throws Exception {
    Path file = directory.resolve("ws");
    H2Connections connections = connections(file, H2Journal.ROTATE_BYTES);
    JdbcMetadataStore store = JdbcMetadataStore.h2(connections, "test store", CLOCK);
    Path copy = directory.resolve("killed");
    try {
      Objects.requireNonNull(connections.housekeeping()).close();
      Files.copy(Path.of(file + ".mv.db"), Path.of(copy + ".mv.db"));
      for (int i = 0; i < 5; i++) {
        String key = "k" + i;
        store.transact(tx -> tx.insert("c", key, "body", Map.of()));
      }
      copyJournal(file, copy);
    } finally {
      store.close();
    }
    Path journal = JournalFormat.files(copy).get(0);
    try (FileChannel f = FileChannel.open(journal, StandardOpenOption.WRITE)) {
      f.truncate(f.size() - 3); // the last commit's frame, cut short while it was appended
    }
    JdbcMetadataStore opened = H2Store.open(copy, CLOCK);
    try {
      List<String> present = opened.transact(tx -> Stream.of("k0", "k1", "k2", "k3", "k4")
          .filter(k -> tx.get("c", k).isPresent()).toList());
      assertThat(present).containsExactly("k0", "k1", "k2", "k3");
      opened.transact(tx -> tx.insert("c", "k4", "written again", Map.of()));
    } finally {
      opened.close();
    }
  }

  @Test
  void aJournalWrittenForAnotherDatabaseIsMovedAsideAndNotApplied() throws Exception {
    Path a = directory.resolve("a");
    JdbcMetadataStore first = H2Store.open(a, CLOCK);
    Path b = directory.resolve("b");
    JdbcMetadataStore second = H2Store.open(b, CLOCK);
    first.transact(tx -> tx.insert("c", "only-in-a", "body", Map.of()));
    second.close();
    Path foreign = JournalFormat.files(a).get(0);
    Path planted = JournalFormat.fileOf(b, 99);
    Files.copy(foreign, planted);
    first.close();

    JdbcMetadataStore opened = H2Store.open(b, CLOCK);
    try {
      Optional<StoredRecord> got = opened.transact(tx -> tx.get("c", "only-in-a"));
      assertThat(got).isEmpty();
    } finally {
      opened.close();
    }
    assertThat(Path.of(planted + ".stale")).exists();
  }

  @Test
  void theJournalMovesToANewFileWhenLargeAndDeletesTheOnesACheckpointCovers() throws Exception {
    Path file = directory.resolve("ws");
    H2Connections connections = connections(file, 4096);
    JdbcMetadataStore store = JdbcMetadataStore.h2(connections, "test store", CLOCK);
    H2Housekeeping housekeeping = Objects.requireNonNull(connections.housekeeping());
    Path copy = directory.resolve("killed");
    long seen = 0;
    try {
      for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 20; i++) {
          String key = "r" + round + "-" + i;
          store.transact(tx -> tx.insert("c", key, "b".repeat(100), Map.of("round", 1L)));
        }
        housekeeping.round();
        List<Path> files = JournalFormat.files(file);
        assertThat(files).as("journal files after round %d", round).hasSizeBetween(1, 2);
        seen = Math.max(seen, Long.parseLong(files.get(files.size() - 1).toString().replaceAll(".*\\.", "")));
      }
      copyJournal(file, copy);
      Files.copy(Path.of(file + ".mv.db"), Path.of(copy + ".mv.db"));
    } finally {
      store.close();
    }
    assertThat(seen).as("the journal's generation after 200 commits of 4 KiB files").isGreaterThan(5);
    JdbcMetadataStore opened = H2Store.open(copy, CLOCK);
    try {
      long count = opened.transact(tx -> tx.count(RecordQuery.in("c")));
      assertThat(count).isEqualTo(200);
    } finally {
      opened.close();
    }
  }

  @Test
  void aStoreOpenedOnAHostsUrlKeepsNoJournalAndStoresAtEveryCommit() throws Exception {
    Path file = directory.resolve("ws");
    JdbcMetadataStore store = H2Store.open("jdbc:h2:file:" + file.toAbsolutePath(), CLOCK);
    try {
      store.transact(tx -> tx.insert("c", "k", "body", Map.of()));
    } finally {
      store.close();
    }
    assertThat(JournalFormat.files(file)).isEmpty();
  }

  private H2Connections connections(Path file, long rotateBytes) {
    return new H2Connections("jdbc:h2:file:" + file.toAbsolutePath(), H2Store.settings(), "test store",
        file.toAbsolutePath(), rotateBytes);
  }

  /** Copies a database's journal files to be another's, as a killed process leaves them. */
  private static void copyJournal(Path from, Path to) throws IOException {
    for (Path f : JournalFormat.files(from)) {
      String generation = f.getFileName().toString().substring(from.getFileName().toString().length());
      Files.copy(f, to.resolveSibling(to.getFileName() + generation));
    }
  }
}
