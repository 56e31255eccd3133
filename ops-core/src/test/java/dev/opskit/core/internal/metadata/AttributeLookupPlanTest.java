package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On H2, a filter on one attribute of a query ordered by another looks each record's attribute up by the primary key
 * of {@code ops_attr} ({@code collection, rkey, name}): left to itself, H2 chose the value index for a range filter,
 * seeking by the range and scanning it for the record's key, and a search over 100,000 versions in last-update order
 * took about 5 s instead of 1-25 ms. The statement H2 ran is read from its query statistics, and H2's plan for it
 * from {@code EXPLAIN}.
 */
class AttributeLookupPlanTest {
  @TempDir
  Path root;

  @Test
  void aFilterOnAnotherAttributeThanTheOrderSeeksThePrimaryKeyOfTheAttributes() throws Exception {
    Path file = root.resolve("metadata");
    try (JdbcMetadataStore store = H2Store.open(file, Clock.systemUTC());
        Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "", "");
        Statement s = c.createStatement()) {
      Instant t0 = Instant.parse("2026-12-07T00:00:00Z");
      store.transact(tx -> {
        for (int i = 0; i < 40; i++) {
          tx.insert("v", String.format("m/%03d", i), "body", Map.of("updated_at", t0.plusSeconds(i),
              "auc", 0.5 + (i % 10) / 20.0));
        }
        return null;
      });
      s.execute("SET QUERY_STATISTICS TRUE");
      RecordQuery q = RecordQuery.in("v").where("auc", RecordQuery.Op.GT, 0.8).orderBy("updated_at", false).limit(5);
      List<StoredRecord> page = store.transact(tx -> tx.query(q)).items();
      assertThat(page).extracting(StoredRecord::key).containsExactly("m/039", "m/038", "m/037", "m/029", "m/028");

      List<String> statements = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
        while (rs.next()) {
          statements.add(rs.getString(1));
        }
      }
      String ordered = statements.stream().filter(x -> x.contains("EXISTS") && x.contains("ORDER BY")).findFirst()
          .orElseThrow(() -> new AssertionError("no ordered query with a filter among " + statements));
      assertThat(ordered).contains("USE INDEX (\"PRIMARY_KEY_");

      // and H2 follows it: the same statement with the page's values, explained
      String literal = ordered.replaceFirst("\\?", "'v'").replaceFirst("\\?", "'updated_at'")
          .replaceFirst("\\?", "'auc'").replaceFirst("\\?", "0.8").replaceFirst("\\?", "6").replaceFirst("\\?", "0");
      try (ResultSet rs = s.executeQuery("EXPLAIN " + literal)) {
        rs.next();
        String plan = rs.getString(1);
        String exists = plan.substring(plan.indexOf("EXISTS"));
        assertThat(exists).contains("PUBLIC.PRIMARY_KEY_").doesNotContain("OPS_ATTR_BY_VALUE");
      }
    }
  }
}
