package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordNotFoundException;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks of records and transactions that {@link MetadataStoreContract} runs: a record round-trips with every kind
 * of attribute; inserts, updates and deletes name the version they read, and a stale one is a conflict that writes
 * nothing and dooms its transaction; a transaction sees its own writes, changes several records together, leaves no
 * trace when it throws, and cannot be used after it ended.
 */
final class MetadataRecordChecks extends MetadataChecks {
  MetadataRecordChecks(MetadataStore store) {
    super(store);
  }

  void aRecordRoundTripsWithItsBodyAndEveryKindOfAttribute() {
    Instant when = Instant.parse("2026-05-01T12:34:56.123456789Z");
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("name", "churn");
    attributes.put("ready", true);
    attributes.put("count", 42);
    attributes.put("big", 9_007_199_254_740_993L);
    attributes.put("auc", 0.875);
    attributes.put("at", when);
    StoredRecord inserted = insert("thing", "k1", "{\"a\":1}", attributes);

    StoredRecord read = get("thing", "k1");
    assertThat(read).isEqualTo(inserted);
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.body()).isEqualTo("{\"a\":1}");
    assertThat(read.attributes()).containsEntry("name", "churn").containsEntry("ready", true)
        .containsEntry("count", 42L).containsEntry("big", 9_007_199_254_740_993L).containsEntry("auc", 0.875)
        .containsEntry("at", Instant.parse("2026-05-01T12:34:56.123456Z"));
  }

  void aMissingRecordIsEmptyAndRequireNamesIt() {
    assertThat(find("thing", "nope")).isEmpty();
    assertThatThrownBy(() -> get("thing", "nope")).isInstanceOf(RecordNotFoundException.class)
        .hasMessage("no record thing/nope");
  }

  void insertingAnExistingKeyIsAConflictNamingTheRecord() {
    insert("thing", "k", "one", Map.of());
    assertThatThrownBy(() -> insert("thing", "k", "two", Map.of()))
        .isInstanceOfSatisfying(StoreConflictException.class, e -> {
          assertThat(e.collection()).isEqualTo("thing");
          assertThat(e.key()).isEqualTo("k");
          assertThat(e.isRetryable()).isTrue();
        })
        .hasMessageContaining("thing/k");
    assertThat(get("thing", "k").body()).isEqualTo("one");
  }

  void aConflictDoomsItsTransactionEvenIfTheWorkCatchesIt() {
    insert("thing", "k", "one", Map.of());
    assertThatThrownBy(() -> store.transact(tx -> {
      tx.insert("thing", "other", "written before the conflict", Map.of());
      try {
        tx.insert("thing", "k", "two", Map.of());
      } catch (StoreConflictException ignored) {
        // swallowing it must not let the transaction commit
      }
      return null;
    })).isInstanceOf(StoreConflictException.class);
    assertThat(find("thing", "other")).isEmpty();
  }

  void anUpdateNamesTheVersionItReadAndBumpsIt() {
    StoredRecord v1 = insert("thing", "k", "one", Map.of("n", 1));
    StoredRecord v2 = store.transact(tx -> tx.update(v1, "two", Map.of("n", 2, "extra", "x")));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(get("thing", "k")).isEqualTo(v2);
    assertThat(get("thing", "k").attributes()).containsOnly(Map.entry("n", 2L), Map.entry("extra", "x"));
  }

  void anUpdateKeepsChangesAndDropsExactlyTheAttributesItNamesAndOmits() {
    Instant at = Instant.parse("2026-01-01T00:00:00.123456Z");
    StoredRecord v1 = insert("thing", "k", "one",
        Map.of("same", "x", "changed", 1, "kind", 1, "gone", true, "at", at));
    StoredRecord v2 = store.transact(tx -> tx.update(v1, "two",
        Map.of("same", "x", "changed", 2, "kind", "1", "new", 2.5, "at", at)));
    StoredRecord v3 = store.transact(tx -> tx.update(v2, "three", Map.of("same", "x", "changed", 3, "kind", "1",
        "new", 2.5, "at", at.plusSeconds(1))));
    assertThat(get("thing", "k").attributes()).containsOnly(Map.entry("same", "x"), Map.entry("changed", 3L),
        Map.entry("kind", "1"), Map.entry("new", 2.5), Map.entry("at", at.plusSeconds(1)));
    assertThat(v3.version()).isEqualTo(3);
    RecordQuery q = RecordQuery.in("thing");
    assertThat(keys(q.where("gone", Op.EXISTS, true))).isEmpty();
    assertThat(keys(q.where("changed", Op.EQ, 3))).containsExactly("k");
    assertThat(keys(q.where("changed", Op.IN, List.of(1, 2)))).isEmpty();
    assertThat(keys(q.where("kind", Op.EQ, 1))).isEmpty();
    assertThat(keys(q.where("kind", Op.EQ, "1"))).containsExactly("k");
    assertThat(keys(q.where("new", Op.GT, 2.0))).containsExactly("k");
    assertThat(keys(q.where("same", Op.EQ, "x"))).containsExactly("k");
    assertThat(keys(q.where("at", Op.EQ, at))).isEmpty();
    assertThat(keys(q.where("at", Op.EQ, at.plusSeconds(1)))).containsExactly("k");
    // and back to no attributes at all
    store.transact(tx -> tx.update(v3, "four", Map.of()));
    assertThat(get("thing", "k").attributes()).isEmpty();
    assertThat(keys(q.where("same", Op.EXISTS, true))).isEmpty();
  }

  void aStaleUpdateIsAConflictAndWritesNothing() {
    StoredRecord v1 = insert("thing", "k", "one", Map.of());
    store.transact(tx -> tx.update(v1, "two", Map.of()));
    assertThatThrownBy(() -> store.transact(tx -> tx.update(v1, "lost update", Map.of())))
        .isInstanceOf(StoreConflictException.class)
        .hasMessageContaining("thing/k")
        .hasMessageContaining("version 1");
    assertThat(get("thing", "k").body()).isEqualTo("two");
  }

  void deletesAreVersionedToo() {
    StoredRecord v1 = insert("thing", "k", "one", Map.of("a", "b"));
    StoredRecord v2 = store.transact(tx -> tx.update(v1, "two", Map.of("a", "c")));
    assertThatThrownBy(() -> store.transact(tx -> {
      tx.delete(v1);
      return null;
    })).isInstanceOf(StoreConflictException.class);
    store.transact(tx -> {
      tx.delete(v2);
      return null;
    });
    assertThat(find("thing", "k")).isEmpty();
    assertThat(count(RecordQuery.in("thing").where("a", Op.EXISTS, true))).isZero();
    // The key may be used again.
    assertThat(insert("thing", "k", "again", Map.of()).version()).isEqualTo(1);
  }

  void aTransactionThatThrowsLeavesNoTrace() {
    StoredRecord existing = insert("thing", "kept", "before", Map.of());
    assertThatThrownBy(() -> store.transact(tx -> {
      tx.insert("thing", "a", "1", Map.of());
      tx.update(existing, "changed", Map.of());
      tx.increment("seq");
      throw new IllegalStateException("changed my mind");
    })).isInstanceOf(IllegalStateException.class).hasMessage("changed my mind");
    assertThat(find("thing", "a")).isEmpty();
    assertThat(get("thing", "kept").body()).isEqualTo("before");
    assertThat(increment("seq")).isEqualTo(1);
  }

  void severalRecordsChangeTogetherInOneTransaction() {
    StoredRecord model = insert("model", "churn", "v1 in production", Map.of("stage", "PRODUCTION"));
    store.transact(tx -> {
      tx.update(tx.require("model", "churn"), "v2 in production", Map.of("stage", "PRODUCTION"));
      tx.insert("audit", "1", "promoted v2", Map.of("model", "churn"));
      return null;
    });
    assertThat(get("model", "churn").version()).isEqualTo(model.version() + 1);
    assertThat(get("audit", "1").body()).isEqualTo("promoted v2");
  }

  void aTransactionSeesItsOwnWrites() {
    store.transact(tx -> {
      tx.insert("thing", "k", "mine", Map.of("tag", "t"));
      assertThat(tx.get("thing", "k")).isPresent();
      assertThat(tx.query(RecordQuery.in("thing").where("tag", Op.EQ, "t")).items()).hasSize(1);
      assertThat(tx.count(RecordQuery.in("thing"))).isEqualTo(1);
      return null;
    });
  }

  void aTransactionCannotBeUsedAfterItEnded() {
    Transaction[] leaked = new Transaction[1];
    store.transact(tx -> {
      leaked[0] = tx;
      return null;
    });
    assertThatThrownBy(() -> leaked[0].get("thing", "k")).isInstanceOf(IllegalStateException.class);
  }
}
