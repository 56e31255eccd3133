package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC store answers a query for bodies only without the records' attribute rows (the saving is the point: the
 * contract only allows it), while the query itself still filters and orders on them. A query it answers from a few
 * keys' attributes (an equality, {@code IN} or {@code EXISTS} that selects few) has read them already and keeps them.
 */
class BodiesOnlyQueryTest {
  @TempDir
  Path root;

  @Test
  void aBodiesOnlyPageFiltersAndOrdersOnAttributesButCarriesNone() {
    try (JdbcMetadataStore store = H2Store.open(root.resolve("metadata"), Clock.systemUTC())) {
      store.transact(tx -> {
        for (int i = 0; i < 30; i++) {
          tx.insert("v", String.format("m/%03d", i), "body " + i,
              Map.of("score", (double) (i % 7), "even", i % 2 == 0, "name", "n" + i));
        }
        return null;
      });
      // a range filter and an order: an index walk, whose page's attributes a full query reads afterwards
      RecordQuery q = RecordQuery.in("v").where("score", RecordQuery.Op.GE, 4.0).orderBy("score", false).limit(5);
      List<StoredRecord> full = store.transact(tx -> tx.query(q)).items();
      List<StoredRecord> bodies = store.transact(tx -> tx.queryBodies(q)).items();

      assertThat(full).extracting(r -> r.attributes().get("score")).containsExactly(6.0, 6.0, 6.0, 6.0, 5.0);
      assertThat(bodies).extracting(StoredRecord::key)
          .containsExactlyElementsOf(full.stream().map(StoredRecord::key).toList());
      assertThat(bodies).extracting(StoredRecord::body)
          .containsExactlyElementsOf(full.stream().map(StoredRecord::body).toList());
      assertThat(bodies).allSatisfy(r -> assertThat(r.attributes()).isEmpty());
      // ordered by key, the plain range read
      RecordQuery byKey = RecordQuery.in("v").keyPrefix("m/01").orderByKey(false).limit(3);
      assertThat(store.transact(tx -> tx.queryBodies(byKey)).items())
          .extracting(r -> r.key() + " " + r.attributes().size()).containsExactly("m/019 0", "m/018 0", "m/017 0");
    }
  }
}
