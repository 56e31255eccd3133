package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's URL carries the workspace path alone; a path H2 would not take literally is refused. */
class H2StorePathTest {
  @TempDir
  Path root;

  @Test
  void aDirectoryNamedLikeH2SettingsIsRefusedBeforeAnythingIsCreatedOrRun() throws IOException {
    Path hostile = root.resolve("ws;INIT=CREATE TABLE PWNED(A INT)\\;RUNSCRIPT FROM 'x'--");

    assertThatThrownBy(() -> H2Store.open(hostile.resolve("metadata"), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workspace path")
        .hasMessageContaining("ws\\u003bINIT".replace("\\u003b", ";"))
        .hasMessageContaining("';' starts H2 settings");
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left).as("nothing is created, inside or outside the directory").isEmpty();
    }
  }

  @Test
  void oddButLiteralDirectoryNamesKeepTheDatabaseInsideTheDirectory() {
    for (String name : List.of("a'b", "a b", "a%20b", "a:b", "~home", "a$b{c}", "é名", "a=b&c", "a--b", "x.mv.db",
        "split:x", "INIT=RUNSCRIPT")) {
      Path directory = root.resolve(name);
      try (JdbcMetadataStore store = H2Store.open(directory.resolve("metadata"), Clock.systemUTC())) {
        store.transact(tx -> tx.insert("c", "k", "body", Map.of()));
        List<StoredRecord> rows = store.transact(tx -> tx.query(RecordQuery.in("c")).items());
        assertThat(rows).hasSize(1);
      }
      assertThat(directory.resolve("metadata.mv.db")).as(name).isRegularFile();
    }
  }

  @Test
  void settingsReachTheDatabaseAsConnectionPropertiesWithNoneInTheUrl() throws Exception {
    Properties settings = new Properties();
    settings.setProperty("WRITE_DELAY", "0");
    settings.setProperty("QUERY_CACHE_SIZE", "7");
    H2Connections connections = new H2Connections("jdbc:h2:file:" + root.resolve("p").toAbsolutePath(), settings,
        "test store", null);
    Connection c = connections.acquire();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
            + "WHERE SETTING_NAME IN ('WRITE_DELAY', 'QUERY_CACHE_SIZE') ORDER BY SETTING_NAME")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1) + "=" + rs.getString(2)).isEqualTo("QUERY_CACHE_SIZE=7");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1) + "=" + rs.getString(2)).isEqualTo("WRITE_DELAY=0");
    } finally {
      connections.release(c, false);
      connections.close();
    }
  }

  @Test
  void theStoreSplitsItsPagesAt4KiBDoesNotCompressThemAndReusesSpaceAfter10Seconds() throws Exception {
    // a commit writes every page it touched: small pages write fewer bytes, and uncompressed ones cost no LZF CPU
    H2Connections connections = new H2Connections("jdbc:h2:file:" + root.resolve("s").toAbsolutePath(),
        H2Store.settings(), "test store", null);
    Connection c = connections.acquire();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
            + "WHERE SETTING_NAME IN ('info.PAGE_SIZE', 'COMPRESS', 'RETENTION_TIME') ORDER BY SETTING_NAME")) {
      List<String> found = new java.util.ArrayList<>();
      while (rs.next()) {
        found.add(rs.getString(1) + "=" + rs.getString(2));
      }
      assertThat(found).contains("info.PAGE_SIZE=" + H2Store.PAGE_BYTES, "RETENTION_TIME=" + H2Store.RETENTION_MILLIS)
          .doesNotContain("COMPRESS=TRUE");
    } finally {
      connections.release(c, false);
      connections.close();
    }
    assertThat(H2Store.PAGE_BYTES).isEqualTo(4096);
  }
}
