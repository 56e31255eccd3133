package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.MetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2MetadataStoreTest extends MetadataStoreContract {
  @TempDir
  Path directory;

  @Override
  protected MetadataStore createStore() {
    return MetadataStore.h2(directory.resolve("metadata"));
  }

  /**
   * H2 writes each commit as a new chunk, and only a rewrite of a chunk's last live pages frees it; with
   * {@code WRITE_DELAY=0} H2's own thread for that is off, so the store runs one. Here a hot set of records is updated
   * commit after commit, which leaves the file full of chunks with a few live pages each; once the writes stop, the
   * store must give that space back. {@code RETENTION_TIME=500} lets H2 rewrite a chunk half a second after writing
   * it instead of after its default 45 s. Without the store's housekeeping the file never shrinks.
   */
  @Test
  void theFileShrinksOnceSustainedWritesStop() throws Exception {
    Path file = directory.resolve("growing");
    Path data = Path.of(file + ".mv.db");
    String url = "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;RETENTION_TIME=500";
    try (MetadataStore store = MetadataStore.h2(url)) {
      String body = "b".repeat(2_000);
      for (int i = 0; i < 50; i++) {
        int n = i;
        store.transact(tx -> tx.insert("hot", "k" + n, body, Map.of("n", (long) n)));
      }
      for (int i = 0; i < 3_000; i++) {
        String key = "k" + (i % 50);
        long n = i;
        store.transact(tx -> tx.update(tx.require("hot", key), body, Map.of("n", n)));
      }
      long grown = Files.size(data);
      assertThat(grown).as("the file after 3,000 commits").isGreaterThan(20L * 1024 * 1024);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long size = grown;
      while (size > grown / 4 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        size = Files.size(data);
      }
      assertThat(size).as("the file %s s after the writes stopped, against %s bytes when they did", 60, grown)
          .isLessThanOrEqualTo(grown / 4);
      assertThat(store.transact(tx -> tx.require("hot", "k7")).body()).isEqualTo(body);
    }
  }

  /** Bodies written as LOBs under H2's default (before the setting) read and update as before. */
  @Test
  void bodiesStoredAsLobsBeforeTheSettingStillReadAndUpdate() {
    Path file = directory.resolve("older");
    String body = "z".repeat(4 * 1024);
    try (MetadataStore store = MetadataStore.h2("jdbc:h2:file:" + file.toAbsolutePath())) {
      store.transact(tx -> tx.insert("c", "k", body, Map.of("n", 1L)));
    }
    try (MetadataStore store = MetadataStore.h2(file)) {
      assertThat(store.transact(tx -> tx.require("c", "k")).body()).isEqualTo(body);
      store.transact(tx -> tx.update(tx.require("c", "k"), body + "!", Map.of("n", 2L)));
      assertThat(store.transact(tx -> tx.require("c", "k")).body()).isEqualTo(body + "!");
    }
  }

  /** A body of a few KiB stays in its row, so a commit does not rewrite H2's LOB maps as well. */
  @Test
  void bodiesOfAFewKilobytesAreStoredInTheirRow() throws SQLException {
    Path file = directory.resolve("inplace");
    try (MetadataStore store = MetadataStore.h2(file)) {
      store.transact(tx -> tx.insert("c", "small", "x".repeat(8 * 1024), Map.of()));
      store.transact(tx -> tx.insert("c", "large", "y".repeat(64 * 1024), Map.of()));
    }
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "", "");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MAX_LENGTH_INPLACE_LOB'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(16 * 1024);
      }
      try (ResultSet rs = s.executeQuery("SELECT rkey, LENGTH(body) FROM ops_record ORDER BY rkey")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("large");
        assertThat(rs.getLong(2)).isEqualTo(64 * 1024);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("small");
        assertThat(rs.getLong(2)).isEqualTo(8 * 1024);
      }
    }
  }
}
