package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Page;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordNotFoundException;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoreException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MetadataStore} must meet, as an abstract JUnit 5 suite. opskit runs it against its
 * in-memory, H2 and PostgreSQL stores; a third party writing its own store subclasses it:
 *
 * <pre>{@code
 * class MyStoreContractTest extends MetadataStoreContract {
 *   @Override
 *   protected MetadataStore createStore() {
 *     return new MyStore(...);
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh store from {@link #createStore()} and closes it afterwards.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public abstract class MetadataStoreContract {
  /** The store under test, fresh for each test. */
  protected MetadataStore store;

  /** Creates the contract; subclasses supply the store. */
  protected MetadataStoreContract() {}

  /**
   * Creates an empty store for one test.
   *
   * @return the store
   */
  protected abstract MetadataStore createStore();

  /** Opens the store under test. */
  @BeforeEach
  void openStore() {
    store = createStore();
  }

  /** Closes the store under test. */
  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private StoredRecord insert(String collection, String key, String body, Map<String, ?> attributes) {
    return store.transact(tx -> tx.insert(collection, key, body, attributes));
  }

  private java.util.Optional<StoredRecord> find(String collection, String key) {
    return store.transact(tx -> tx.get(collection, key));
  }

  private long count(RecordQuery query) {
    return store.transact(tx -> tx.count(query));
  }

  private long increment(String counter) {
    return store.transact(tx -> tx.increment(counter));
  }

  private StoredRecord get(String collection, String key) {
    return store.transact(tx -> tx.require(collection, key));
  }

  @Test
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

  @Test
  void aMissingRecordIsEmptyAndRequireNamesIt() {
    assertThat(find("thing", "nope")).isEmpty();
    assertThatThrownBy(() -> get("thing", "nope")).isInstanceOf(RecordNotFoundException.class)
        .hasMessage("no record thing/nope");
  }

  @Test
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

  @Test
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

  @Test
  void anUpdateNamesTheVersionItReadAndBumpsIt() {
    StoredRecord v1 = insert("thing", "k", "one", Map.of("n", 1));
    StoredRecord v2 = store.transact(tx -> tx.update(v1, "two", Map.of("n", 2, "extra", "x")));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(get("thing", "k")).isEqualTo(v2);
    assertThat(get("thing", "k").attributes()).containsOnly(Map.entry("n", 2L), Map.entry("extra", "x"));
  }

  @Test
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

  @Test
  void aStaleUpdateIsAConflictAndWritesNothing() {
    StoredRecord v1 = insert("thing", "k", "one", Map.of());
    store.transact(tx -> tx.update(v1, "two", Map.of()));
    assertThatThrownBy(() -> store.transact(tx -> tx.update(v1, "lost update", Map.of())))
        .isInstanceOf(StoreConflictException.class)
        .hasMessageContaining("thing/k")
        .hasMessageContaining("version 1");
    assertThat(get("thing", "k").body()).isEqualTo("two");
  }

  @Test
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

  @Test
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

  @Test
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

  @Test
  void aTransactionSeesItsOwnWrites() {
    store.transact(tx -> {
      tx.insert("thing", "k", "mine", Map.of("tag", "t"));
      assertThat(tx.get("thing", "k")).isPresent();
      assertThat(tx.query(RecordQuery.in("thing").where("tag", Op.EQ, "t")).items()).hasSize(1);
      assertThat(tx.count(RecordQuery.in("thing"))).isEqualTo(1);
      return null;
    });
  }

  @Test
  void aTransactionCannotBeUsedAfterItEnded() {
    Transaction[] leaked = new Transaction[1];
    store.transact(tx -> {
      leaked[0] = tx;
      return null;
    });
    assertThatThrownBy(() -> leaked[0].get("thing", "k")).isInstanceOf(IllegalStateException.class);
  }

  private void insertNumbered() {
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

  private List<String> keys(RecordQuery q) {
    return store.transact(tx -> tx.query(q)).items().stream().map(StoredRecord::key).toList();
  }

  @Test
  void filtersCompareWithinAKindOfValue() {
    insertNumbered();
    RecordQuery n = RecordQuery.in("n").limit(100);
    assertThat(keys(n.where("i", Op.EQ, 7))).containsExactly("k07");
    assertThat(keys(n.where("i", Op.EQ, 7.0))).containsExactly("k07");
    assertThat(keys(n.where("i", Op.LT, 2))).containsExactly("k00", "k01");
    assertThat(keys(n.where("i", Op.LE, 2))).containsExactly("k00", "k01", "k02");
    assertThat(keys(n.where("i", Op.GT, 22))).containsExactly("k23", "k24");
    assertThat(keys(n.where("i", Op.GE, 23))).containsExactly("k23", "k24");
    assertThat(keys(n.where("i", Op.NE, 0).where("i", Op.LT, 3))).containsExactly("k01", "k02");
    assertThat(keys(n.where("i", Op.IN, List.of(3, 5, 99)))).containsExactly("k03", "k05");
    assertThat(keys(n.where("i", Op.IN, List.of(5, 3, 5.0, 3)))).as("values equal as attributes match once")
        .containsExactly("k03", "k05");
    assertThat(keys(n.where("name", Op.IN, List.of("item-c2", "item-a0", "item-c2"))))
        .containsExactly("k00", "k02");
    assertThat(keys(n.where("score", Op.GT, 4.5))).containsExactly("k20", "k21", "k22", "k23", "k24");
    assertThat(keys(n.where("even", Op.EQ, true).where("i", Op.LT, 5))).containsExactly("k00", "k02", "k04");
    assertThat(keys(n.where("name", Op.EQ, "item-c2"))).containsExactly("k02");
    assertThat(keys(n.where("name", Op.PREFIX, "item-a"))).containsExactly("k00", "k05", "k10", "k15", "k20");
    assertThat(keys(n.where("name", Op.GT, "item-e"))).hasSize(5).allMatch(k -> Integer.parseInt(k.substring(1)) % 5 == 4);
    assertThat(keys(n.where("third", Op.EXISTS, true))).hasSize(9);
    assertThat(keys(n.where("at", Op.GE, Instant.parse("2026-01-01T00:23:00Z")))).containsExactly("k23", "k24");
    // A number never equals a string, an instant or a boolean, and a missing attribute matches nothing.
    assertThat(keys(n.where("name", Op.EQ, 2))).isEmpty();
    assertThat(keys(n.where("i", Op.EQ, "7"))).isEmpty();
    assertThat(keys(n.where("at", Op.GT, 0))).isEmpty();
    assertThat(keys(n.where("even", Op.EQ, 1))).isEmpty();
    assertThat(keys(n.where("missing", Op.NE, "x"))).isEmpty();
    assertThat(keys(RecordQuery.in("nobody"))).isEmpty();
  }

  @Test
  void distinctFromKeepsRecordsWithoutTheAttributeOrWithAnotherValueInAnyOrder() {
    insertNumbered();
    RecordQuery n = RecordQuery.in("n").limit(100);
    // "third" is "yes" on every third record and absent on the others
    assertThat(keys(n.where("third", Op.DISTINCT_FROM, "yes"))).hasSize(16).doesNotContain("k00", "k03");
    assertThat(keys(n.where("even", Op.DISTINCT_FROM, true))).hasSize(12).allMatch(k -> Integer.parseInt(
        k.substring(1)) % 2 == 1);
    // a value of another kind is distinct from every value: a string is never equal to a number
    assertThat(count(n.where("i", Op.DISTINCT_FROM, "7"))).isEqualTo(25);
    assertThat(keys(n.where("i", Op.DISTINCT_FROM, 7).where("i", Op.LT, 9))).hasSize(8).doesNotContain("k07");
    // on the ordering attribute it keeps the records without it, which come last
    List<String> byThird = keys(n.where("third", Op.DISTINCT_FROM, "no").orderBy("third", false));
    assertThat(byThird).hasSize(25).startsWith("k24", "k21");
    assertThat(keys(n.where("score", Op.DISTINCT_FROM, 0.0).orderBy("score", true).limit(3)))
        .containsExactly("k04", "k05", "k06");
    assertThat(keys(n.keyPrefix("k1").where("third", Op.DISTINCT_FROM, "yes").orderByKey(false)))
        .containsExactly("k19", "k17", "k16", "k14", "k13", "k11", "k10");
  }

  @Test
  void prefixFiltersTreatLikeWildcardsLiterally() {
    store.transact(tx -> {
      tx.insert("p", "1", "", Map.of("s", "50%_off\\now"));
      tx.insert("p", "2", "", Map.of("s", "50 and more"));
      tx.insert("p", "3", "", Map.of("s", "5x%_off"));
      return null;
    });
    assertThat(keys(RecordQuery.in("p").where("s", Op.PREFIX, "50%"))).containsExactly("1");
    assertThat(keys(RecordQuery.in("p").where("s", Op.PREFIX, "50%_off\\"))).containsExactly("1");
    assertThat(keys(RecordQuery.in("p").where("s", Op.PREFIX, "5_"))).isEmpty();
  }

  @Test
  void likeAndIlikeMatchTheWholeValueWithPercentAndUnderscoreOnly() {
    store.transact(tx -> {
      tx.insert("l", "1", "", Map.of("s", "Churn-Risk"));
      tx.insert("l", "2", "", Map.of("s", "churn_2026"));
      tx.insert("l", "3", "", Map.of("s", "a\\b%c"));
      tx.insert("l", "4", "", Map.of("s", "\u00c9t\u00e9"));
      tx.insert("l", "5", "", Map.of("s", 42L));
      tx.insert("l", "6", "", Map.of("s", ""));
      return null;
    });
    RecordQuery l = RecordQuery.in("l");
    assertThat(keys(l.where("s", Op.LIKE, "churn%"))).containsExactly("2");
    assertThat(keys(l.where("s", Op.LIKE, "%urn%"))).containsExactly("1", "2");
    assertThat(keys(l.where("s", Op.LIKE, "churn_____"))).containsExactly("2");
    assertThat(keys(l.where("s", Op.LIKE, "churn____"))).isEmpty();
    assertThat(keys(l.where("s", Op.LIKE, "Churn"))).as("the whole value").isEmpty();
    assertThat(keys(l.where("s", Op.LIKE, "a\\b%"))).as("a backslash stands for itself").containsExactly("3");
    assertThat(keys(l.where("s", Op.LIKE, "%"))).as("only strings").containsExactly("1", "2", "3", "4", "6");
    assertThat(keys(l.where("s", Op.LIKE, ""))).containsExactly("6");
    assertThat(keys(l.where("s", Op.ILIKE, "CHURN%"))).containsExactly("1", "2");
    assertThat(keys(l.where("s", Op.ILIKE, "churn-risk"))).containsExactly("1");
    // only ASCII letters fold, on every store
    assertThat(keys(l.where("s", Op.ILIKE, "\u00e9t\u00e9"))).isEmpty();
    assertThat(keys(l.where("s", Op.ILIKE, "\u00c9T\u00e9"))).containsExactly("4");
    long count = store.transact(tx -> tx.count(l.where("s", Op.ILIKE, "%R%")));
    assertThat(count).isEqualTo(2);
  }

  @Test
  void resultsAreOrderedWithMissingValuesLastAndTiesByKey() {
    insertNumbered();
    RecordQuery n = RecordQuery.in("n").limit(100);
    assertThat(keys(n)).startsWith("k00", "k01", "k02").hasSize(25);
    List<String> byScoreDesc = keys(n.orderBy("score", false));
    // ties are broken by key in the order's direction
    assertThat(byScoreDesc).startsWith("k24", "k23", "k22", "k21", "k20", "k19");
    List<String> byThird = keys(n.orderBy("third", true));
    assertThat(byThird.subList(0, 9)).containsExactly("k00", "k03", "k06", "k09", "k12", "k15", "k18", "k21", "k24");
    assertThat(byThird.subList(9, 25)).isSorted();
    assertThat(keys(n.orderBy("at", false))).startsWith("k24", "k23");
    // strings order by character: "item-a10" comes before "item-a5"
    assertThat(keys(n.orderBy("name", true))).startsWith("k00", "k10", "k15", "k20", "k05", "k01");
  }

  @Test
  void furtherKeysOrderTheTiesOfTheKeysBeforeThemEachInItsDirectionAtEveryOffset() {
    // "a" ties often and is missing on some; "b" is a number, a string or missing; "c" is a number with ties
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    store.transact(tx -> {
      for (int i = 0; i < 36; i++) {
        String key = String.format("t%02d", i);
        Map<String, Object> a = new LinkedHashMap<>();
        if (i % 7 != 3) {
          a.put("a", (long) (i % 3));
        }
        if (i % 4 == 0) {
          a.put("b", "s" + (i % 5));
        } else if (i % 4 != 1) {
          a.put("b", (double) (i * 5 % 3));
        }
        a.put("c", (long) (i % 2));
        rows.put(key, a);
        tx.insert("t", key, "body " + i, a);
      }
      return null;
    });
    for (boolean aUp : new boolean[] {true, false}) {
      for (boolean bUp : new boolean[] {true, false}) {
        for (boolean cUp : new boolean[] {true, false}) {
          RecordQuery q = RecordQuery.in("t").orderBy("a", aUp).thenBy("b", bUp).thenBy("c", cUp);
          List<String> expected = new ArrayList<>(rows.keySet());
          expected.sort((x, y) -> {
            int c = orderOf(rows.get(x).get("a"), rows.get(y).get("a"), aUp);
            c = c != 0 ? c : orderOf(rows.get(x).get("b"), rows.get(y).get("b"), bUp);
            c = c != 0 ? c : orderOf(rows.get(x).get("c"), rows.get(y).get("c"), cUp);
            return c != 0 ? c : aUp ? x.compareTo(y) : y.compareTo(x);
          });
          for (int size : new int[] {1, 5, 100}) {
            List<String> seen = new ArrayList<>();
            for (long offset = 0; ; ) {
              Page<StoredRecord> page = query(q.limit(size).offset(offset));
              page.items().forEach(r -> seen.add(r.key()));
              if (!page.hasMore()) {
                break;
              }
              offset = page.nextOffset();
            }
            assertThat(seen).as("%s, pages of %d", q, size).containsExactlyElementsOf(expected);
          }
          RecordQuery filtered = q.where("c", Op.EQ, 1L).limit(100);
          assertThat(keys(filtered)).as("%s", filtered)
              .containsExactlyElementsOf(expected.stream().filter(k -> rows.get(k).get("c").equals(1L)).toList());
        }
      }
    }
    assertThatThrownBy(() -> RecordQuery.in("t").thenBy("a", true)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order by key");
    assertThatThrownBy(() -> RecordQuery.in("t").orderBy("a", true).thenBy("a", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' is already a key");
  }

  /** The documented order of one key: numbers, then strings, then missing; values in the key's direction. */
  private static int orderOf(@Nullable Object x, @Nullable Object y, boolean ascending) {
    int rx = x instanceof Number ? 0 : x instanceof String ? 1 : 2;
    int ry = y instanceof Number ? 0 : y instanceof String ? 1 : 2;
    if (rx != ry) {
      return Integer.compare(rx, ry);
    }
    int c = rx == 0 ? Double.compare(((Number) x).doubleValue(), ((Number) y).doubleValue())
        : rx == 1 ? ((String) x).compareTo((String) y) : 0;
    return ascending ? c : -c;
  }

  @Test
  void orderedPagesFollowNumbersThenStringsThenMissingAtEveryOffset() {
    // "mixed" is a number on some records (with ties), a string on others (with ties), and missing on the rest
    Map<String, Object> values = new LinkedHashMap<>();
    store.transact(tx -> {
      for (int i = 0; i < 30; i++) {
        String key = String.format("m%02d", i);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("g", (long) (i % 2));
        if (i % 3 == 0) {
          a.put("mixed", (double) (i * 7 % 5));
        } else if (i % 3 == 1) {
          a.put("mixed", "v" + (i * 11 % 4));
        }
        if (a.containsKey("mixed")) {
          values.put(key, a.get("mixed"));
        }
        tx.insert("m", key, "body " + i, a);
      }
      return null;
    });
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(String.format("m%02d", i));
    }
    List<List<Object>> filters = List.of(List.of(), List.of("g", Op.EQ, 0L), List.of("mixed", Op.GE, 1.0),
        List.of("mixed", Op.PREFIX, "v"), List.of("mixed", Op.EXISTS, true), List.of("mixed", Op.IN, List.of(2.0, "v1")));
    for (boolean ascending : new boolean[] {true, false}) {
      for (List<Object> filter : filters) {
        RecordQuery q = RecordQuery.in("m").orderBy("mixed", ascending);
        if (!filter.isEmpty()) {
          q = q.where((String) filter.get(0), (Op) filter.get(1), filter.get(2));
        }
        List<String> expected = new ArrayList<>(all.stream().filter(k -> matches(k, values, filter)).toList());
        java.util.Comparator<String> byKey = ascending ? java.util.Comparator.naturalOrder()
            : java.util.Comparator.reverseOrder();
        expected.sort((a, b) -> {
          int ra = rank(values.get(a));
          int rb = rank(values.get(b));
          if (ra != rb) {
            return Integer.compare(ra, rb);
          }
          int byValue = ra == 0 ? Double.compare((Double) values.get(a), (Double) values.get(b))
              : ra == 1 ? ((String) values.get(a)).compareTo((String) values.get(b)) : 0;
          return byValue != 0 ? (ascending ? byValue : -byValue) : byKey.compare(a, b);
        });
        for (int size : new int[] {1, 2, 4, 100}) {
          List<String> seen = new ArrayList<>();
          for (long offset = 0; ; ) {
            Page<StoredRecord> page = query(q.limit(size).offset(offset));
            page.items().forEach(r -> seen.add(r.key()));
            if (!page.hasMore()) {
              break;
            }
            offset = page.nextOffset();
          }
          assertThat(seen).as("order by mixed %s, filter %s, pages of %d", ascending ? "ascending" : "descending",
              filter, size).containsExactlyElementsOf(expected);
        }
        assertThat(query(q.offset(expected.size())).items()).isEmpty();
        assertThat(count(q)).isEqualTo(expected.size());
      }
    }
  }

  private Page<StoredRecord> query(RecordQuery q) {
    return store.transact(tx -> tx.query(q));
  }

  private static int rank(Object value) {
    return value instanceof Double ? 0 : value instanceof String ? 1 : 2;
  }

  private static boolean matches(String key, Map<String, Object> values, List<Object> filter) {
    if (filter.isEmpty()) {
      return true;
    }
    Object v = values.get(key);
    int i = Integer.parseInt(key.substring(1));
    switch ((Op) filter.get(1)) {
      case EQ:
        return i % 2 == 0;
      case GE:
        return v instanceof Double && (Double) v >= 1.0;
      case PREFIX:
        return v instanceof String && ((String) v).startsWith("v");
      case EXISTS:
        return v != null;
      case IN:
        return Double.valueOf(2.0).equals(v) || "v1".equals(v);
      default:
        throw new IllegalStateException();
    }
  }

  @Test
  void pagesCoverEveryMatchExactlyOnce() {
    insertNumbered();
    RecordQuery q = RecordQuery.in("n").where("i", Op.GE, 3).orderBy("score", false).limit(4);
    List<String> seen = new ArrayList<>();
    long offset = 0;
    int pages = 0;
    while (true) {
      long from = offset;
      Page<StoredRecord> page = store.transact(tx -> tx.query(q.offset(from)));
      assertThat(page.offset()).isEqualTo(from);
      page.items().forEach(r -> seen.add(r.key()));
      pages++;
      if (!page.hasMore()) {
        break;
      }
      offset = page.nextOffset();
    }
    assertThat(pages).isEqualTo(6);
    assertThat(seen).hasSize(22).doesNotHaveDuplicates();
    assertThat(count(q)).isEqualTo(22);
    assertThat(store.transact(tx -> tx.query(q.offset(100))).items()).isEmpty();
  }

  @Test
  void aKeyPrefixIsARangeOfKeysInEitherDirectionWithFiltersOrdersAndPages() {
    store.transact(tx -> {
      for (String model : List.of("a", "a-b", "ab", "b")) {
        for (int i = 1; i <= 12; i++) {
          Map<String, Object> attrs = new LinkedHashMap<>();
          attrs.put("n", i);
          attrs.put("odd", i % 2 == 1);
          if (i % 4 != 0) {
            attrs.put("score", (double) (i % 5));
          }
          tx.insert("v", model + "/" + String.format("%03d", i), model, attrs);
        }
      }
      tx.insert("v", "a", "the bare prefix without its slash", Map.of("n", 0));
      tx.insert("w", "a/001", "another collection", Map.of("n", 1));
      return null;
    });
    RecordQuery a = RecordQuery.in("v").keyPrefix("a/").limit(100);
    assertThat(keys(a)).hasSize(12).allMatch(k -> k.startsWith("a/")).isSorted();
    assertThat(count(a)).isEqualTo(12);
    assertThat(keys(a.orderByKey(false).limit(3))).containsExactly("a/012", "a/011", "a/010");
    assertThat(keys(a.orderByKey(false).limit(3).offset(10))).containsExactly("a/002", "a/001");
    assertThat(keys(a.orderByKey(false).where("odd", Op.EQ, true).limit(2))).containsExactly("a/011", "a/009");
    assertThat(count(a.where("odd", Op.EQ, true))).isEqualTo(6);
    // ordered by an attribute within the range: numbers first, then the records without it, ties by key
    assertThat(keys(a.orderBy("score", false).limit(4))).containsExactly("a/009", "a/003", "a/007", "a/002");
    assertThat(keys(a.orderBy("score", true).offset(9))).containsExactly("a/004", "a/008", "a/012");
    assertThat(keys(a.orderBy("score", true).where("score", Op.GE, 3.0))).containsExactly("a/003", "a/009");
    // "a/" matches nothing of "a-b" or "ab"; "a" matches them and the key "a" itself
    assertThat(keys(RecordQuery.in("v").keyPrefix("a").limit(100))).hasSize(3 * 12 + 1);
    assertThat(keys(RecordQuery.in("v").keyPrefix("a/0").orderByKey(false).limit(1))).containsExactly("a/012");
    assertThat(keys(RecordQuery.in("v").keyPrefix("c/"))).isEmpty();
    assertThat(keys(RecordQuery.in("v").orderByKey(false).limit(2))).containsExactly("b/012", "b/011");
    // prefixes that have no next string (a last character of U+FFFF) and wildcards are literal
    store.transact(tx -> {
      tx.insert("x", "p\uffff1", "", Map.of());
      tx.insert("x", "p\uffff2", "", Map.of());
      tx.insert("x", "p\ufffe", "", Map.of());
      tx.insert("x", "q%_1", "", Map.of());
      tx.insert("x", "qa_1", "", Map.of());
      return null;
    });
    assertThat(keys(RecordQuery.in("x").keyPrefix("p\uffff").orderByKey(false))).containsExactly("p\uffff2",
        "p\uffff1");
    assertThat(keys(RecordQuery.in("x").keyPrefix("q%"))).containsExactly("q%_1");
    assertThatThrownBy(() -> RecordQuery.in("x").keyPrefix("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
  }

  @Test
  void aSelectiveFilterAfterUnselectiveOnesFindsEveryMatchInOrder() {
    // more records than a store may read by one filter's index before it walks the order instead (1,000 in the JDBC
    // stores): the first filter allows them all, the second only three
    int n = 1_200;
    Set<Integer> rare = Set.of(7, 500, 1_100);
    store.transact(tx -> {
      for (int i = 0; i < n; i++) {
        tx.insert("many", String.format("%04d", i), "", Map.of("common", "yes", "kind", rare.contains(i) ? "rare"
            : "plain", "i", i));
      }
      return null;
    });
    RecordQuery both = RecordQuery.in("many").where("common", Op.EQ, "yes").where("kind", Op.EQ, "rare");
    assertThat(keys(both)).containsExactly("0007", "0500", "1100");
    assertThat(keys(both.orderByKey(false).limit(2))).containsExactly("1100", "0500");
    assertThat(keys(both.offset(1).limit(1))).containsExactly("0500");
    assertThat(keys(both.orderBy("i", false))).containsExactly("1100", "0500", "0007");
    assertThat(count(both)).isEqualTo(3);
    // an IN given the same value twice still finds each match once, after an unselective IN
    RecordQuery in = RecordQuery.in("many").where("common", Op.IN, List.of("yes", "no"))
        .where("kind", Op.IN, List.of("rare", "rare"));
    assertThat(keys(in)).containsExactly("0007", "0500", "1100");
    // two unselective filters: the walk in order finds the page
    RecordQuery plain = RecordQuery.in("many").where("kind", Op.EQ, "plain").where("common", Op.EQ, "yes");
    assertThat(keys(plain.limit(3).offset(6))).containsExactly("0006", "0008", "0009");
    assertThat(keys(plain.orderByKey(false).limit(2))).containsExactly("1199", "1198");
    assertThat(count(plain)).isEqualTo(n - 3);
  }

  @Test
  void countersCountFromOneAndARollbackGivesTheValueBack() {
    assertThat(increment("a")).isEqualTo(1);
    assertThat(increment("a")).isEqualTo(2);
    assertThat(increment("b")).isEqualTo(1);
    assertThatThrownBy(() -> store.transact(tx -> {
      tx.increment("a");
      throw new IllegalStateException("rollback");
    })).isInstanceOf(IllegalStateException.class);
    long sum = store.transact(tx -> tx.increment("a") + tx.increment("a"));
    assertThat(sum).isEqualTo(3 + 4);
  }

  @Test
  void concurrentIncrementsNeverRepeatOrSkip() throws Exception {
    int threads = 16;
    int each = 25;
    Set<Long> values = ConcurrentHashMap.newKeySet();
    runConcurrently(threads, () -> {
      for (int i = 0; i < each; i++) {
        values.add(retrying(() -> store.transact(tx -> tx.increment("seq"))));
      }
    });
    Set<Long> expected = new HashSet<>();
    for (long v = 1; v <= threads * each; v++) {
      expected.add(v);
    }
    assertThat(values).isEqualTo(expected);
  }

  @Test
  void concurrentConflictingUpdatesLoseNothingAndReportEveryConflict() throws Exception {
    int threads = 16;
    int each = 20;
    insert("counter", "c", "0", Map.of());
    AtomicInteger conflicts = new AtomicInteger();
    AtomicInteger attempts = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    runConcurrently(threads, () -> {
      go.countDown();
      for (int i = 0; i < each; i++) {
        while (true) {
          attempts.incrementAndGet();
          StoredRecord read = get("counter", "c");
          try {
            store.transact(tx -> tx.update(read, Integer.toString(Integer.parseInt(read.body()) + 1), Map.of()));
            break;
          } catch (StoreConflictException e) {
            assertThat(e.collection()).isEqualTo("counter");
            conflicts.incrementAndGet();
          }
        }
      }
    });
    StoredRecord last = get("counter", "c");
    assertThat(last.body()).isEqualTo(Integer.toString(threads * each));
    assertThat(last.version()).isEqualTo(1 + threads * each);
    assertThat(attempts.get()).isEqualTo(threads * each + conflicts.get());
  }

  @Test
  void concurrentInsertsOfOneKeyLetExactlyOneWin() throws Exception {
    int threads = 16;
    AtomicInteger won = new AtomicInteger();
    AtomicInteger lost = new AtomicInteger();
    CountDownLatch ready = new CountDownLatch(threads);
    runConcurrently(threads, () -> {
      ready.countDown();
      try {
        ready.await(10, TimeUnit.SECONDS);
        store.transact(tx -> tx.insert("race", "only", Thread.currentThread().getName(), Map.of()));
        won.incrementAndGet();
      } catch (StoreConflictException e) {
        lost.incrementAndGet();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(won).hasValue(1);
    assertThat(lost).hasValue(threads - 1);
  }

  /** Values that break naive SQL or text handling; each must round-trip exactly. */
  private static final List<String> HOSTILE = List.of(
      "it's \"quoted\"",
      "'; DROP TABLE ops_record; --",
      "\\ backslash \\\\ and %_ wildcards",
      "tab\there, newline\nthere, bell\u0007, escape\u001b, delete\u007f",
      "emoji \uD83D\uDE80\uD83E\uDDEA and accents é ü ß 漢字",
      "x".repeat(10_000));

  @Test
  void hostileBodiesAndKeysRoundTripExactly() {
    for (int i = 0; i < HOSTILE.size(); i++) {
      String value = HOSTILE.get(i);
      String key = i == 3 || i == 5 ? "hostile-" + i : value;
      insert("hostile", key, value, Map.of("s", value.length() > 1024 ? value.substring(0, 1024) : value));
      StoredRecord read = get("hostile", key);
      assertThat(read.body()).isEqualTo(value);
      assertThat(read.attributes().get("s")).isEqualTo(value.length() > 1024 ? value.substring(0, 1024) : value);
      assertThat(keys(RecordQuery.in("hostile").where("s", Op.EQ, read.attributes().get("s")))).containsExactly(key);
    }
    String big = "0123456789".repeat(100_000);
    insert("hostile", "big", big, Map.of());
    assertThat(get("hostile", "big").body()).isEqualTo(big);
  }

  @Test
  void valuesOutsideTheDocumentedRulesAreRejectedNamingTheRule() {
    assertThatThrownBy(() -> insert("thing", "k".repeat(256), "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 255 characters");
    assertThatThrownBy(() -> insert("thing", "new\nline", "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("s", "nul\u0000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("s", "x".repeat(1025))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 1024");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("n", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("d", new Object())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strings, booleans, numbers or instants");
    assertThat(find("thing", "k")).isEmpty();
  }

  /** What one database would store altered or refuse with its own error, every store refuses with the same message. */
  @Test
  void nulInABodyAndUnpairedSurrogatesAreRefusedTheSameWayByEveryStore() {
    assertThatThrownBy(() -> insert("thing", "k", "a\u0000b", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body must not contain NUL");
    assertThatThrownBy(() -> insert("thing", "k", "a\ud800b", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogates");
    assertThatThrownBy(() -> insert("thing", "a\udc00", "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogates");
    assertThatThrownBy(() -> insert("thing", "k", "", Map.of("s", "\ud800")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> store.transact(tx -> tx.query(RecordQuery.in("thing").where("s", Op.EQ, "x\udbff"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    insert("thing", "k", "ok", Map.of());
    StoredRecord k = get("thing", "k");
    assertThatThrownBy(() -> store.transact(tx -> tx.update(k, "nul\u0000", Map.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    assertThat(get("thing", "k").body()).isEqualTo("ok");
  }

  @Test
  void aClosedStoreRefusesWork() {
    store.close();
    assertThatThrownBy(() -> store.transact(tx -> tx.get("thing", "k"))).isInstanceOf(StoreException.class);
    store.close();
  }

  @Test
  void describeSaysWhatTheStoreIs() {
    assertThat(store.describe()).isNotBlank();
  }

  /** Runs a task on several threads at once and rethrows the first failure. */
  private static void runConcurrently(int threads, Runnable task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(task));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T retrying(java.util.function.Supplier<T> work) {
    while (true) {
      try {
        return work.get();
      } catch (StoreConflictException e) {
        // a conflict is retryable by contract
      }
    }
  }
}
