package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of query filters that {@link MetadataStoreContract} runs: filters compare within a kind of value, a
 * missing attribute matches nothing but {@code DISTINCT_FROM}, prefixes and {@code LIKE} patterns treat only their own
 * wildcards as wildcards, and a selective filter after unselective ones still finds every match in order.
 */
final class MetadataFilterChecks extends MetadataChecks {
  MetadataFilterChecks(MetadataStore store) {
    super(store);
  }

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
}
