package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Page;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The checks of ordered and paged queries that {@link MetadataStoreContract} runs: results are ordered numbers, then
 * strings, then missing values, with ties by key and further keys in their own directions; pages cover every match
 * exactly once at every offset; and a key prefix is a range of keys in either direction, with filters, orders and
 * pages; and a query for bodies only finds the same records in the same order and pages.
 */
final class MetadataOrderChecks extends MetadataChecks {
  MetadataOrderChecks(MetadataStore store) {
    super(store);
  }

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

  void bodiesOnlyQueriesFindTheSameRecordsInTheSameOrderAndPages() {
    insertNumbered();
    RecordQuery n = RecordQuery.in("n").limit(7);
    List<RecordQuery> forms = List.of(n, n.orderByKey(false).offset(3), n.orderBy("score", false),
        n.orderBy("score", false).offset(7), n.where("even", Op.EQ, true).orderBy("name", true),
        n.where("third", Op.EXISTS, true).orderBy("at", false), n.where("i", Op.EQ, 4L),
        n.keyPrefix("k1").where("score", Op.GE, 3.0).orderBy("score", true).thenBy("i", false),
        n.where("score", Op.IN, List.of(1.0, 5.0)).limit(20));
    for (RecordQuery q : forms) {
      Page<StoredRecord> full = query(q);
      Page<StoredRecord> bodies = store.transact(tx -> tx.queryBodies(q));
      assertThat(full.items()).as("records of %s", q).isNotEmpty();
      assertThat(bodies.items()).as("keys of %s", q).extracting(StoredRecord::key)
          .containsExactlyElementsOf(full.items().stream().map(StoredRecord::key).toList());
      assertThat(bodies.items()).as("versions and bodies of %s", q)
          .extracting(r -> r.version() + " " + r.body())
          .containsExactlyElementsOf(full.items().stream().map(r -> r.version() + " " + r.body()).toList());
      assertThat(bodies.hasMore()).as("more after %s", q).isEqualTo(full.hasMore());
      assertThat(bodies.offset()).isEqualTo(full.offset());
      for (int i = 0; i < full.items().size(); i++) {
        // a store may leave the attributes out; those it gives must be the record's
        Map<String, Object> given = bodies.items().get(i).attributes();
        assertThat(given.isEmpty() || given.equals(full.items().get(i).attributes()))
            .as("attributes of %s in %s: %s", full.items().get(i).key(), q, given).isTrue();
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
}
