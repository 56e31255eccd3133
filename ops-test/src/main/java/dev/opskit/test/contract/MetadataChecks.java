package dev.opskit.test.contract;

import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checks {@link MetadataStoreContract} runs share: the store under test, one-transaction shorthands to
 * insert, read, count and query records and to increment a counter, and a collection of 25 numbered records to
 * filter, order and page.
 */
abstract class MetadataChecks {
  /** The store under test, fresh for each test. */
  final MetadataStore store;

  MetadataChecks(MetadataStore store) {
    this.store = store;
  }

  StoredRecord insert(String collection, String key, String body, Map<String, ?> attributes) {
    return store.transact(tx -> tx.insert(collection, key, body, attributes));
  }

  java.util.Optional<StoredRecord> find(String collection, String key) {
    return store.transact(tx -> tx.get(collection, key));
  }

  long count(RecordQuery query) {
    return store.transact(tx -> tx.count(query));
  }

  long increment(String counter) {
    return store.transact(tx -> tx.increment(counter));
  }

  StoredRecord get(String collection, String key) {
    return store.transact(tx -> tx.require(collection, key));
  }

  void insertNumbered() {
    store.transact(tx -> {
      for (int i = 0; i < 25; i++) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("i", i);
        a.put("even", i % 2 == 0);
        a.put("score", (double) (i / 4));
        a.put("name", "item-" + (char) ('a' + i % 5) + i);
        a.put("at", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i * 60L));
        if (i % 3 == 0) {
          a.put("third", "yes");
        }
        tx.insert("n", String.format("k%02d", i), "body " + i, a);
      }
      tx.insert("other", "k00", "another collection", Map.of("i", 0));
      return null;
    });
  }

  List<String> keys(RecordQuery q) {
    return store.transact(tx -> tx.query(q)).items().stream().map(StoredRecord::key).toList();
  }
}
