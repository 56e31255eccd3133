package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.MetadataStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2MetadataStoreTest extends MetadataStoreContract {
  @TempDir
  Path directory;

  @Override
  protected MetadataStore createStore() {
    return MetadataStore.h2(directory.resolve("metadata"));
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
