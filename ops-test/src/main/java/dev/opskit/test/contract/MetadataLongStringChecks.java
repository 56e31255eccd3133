package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.Attributes;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import java.util.List;
import java.util.Map;

/**
 * The checks of string attributes longer than the part a store indexes and orders by
 * ({@value Attributes#ORDERED_LENGTH} characters) that {@link MetadataStoreContract} runs: they round-trip whole, every
 * filter compares them whole (an equality on their first characters finds none of them, a pattern sees their end),
 * and an order compares their first {@value Attributes#ORDERED_LENGTH} characters, ties broken by key and by further
 * keys, at every offset.
 */
final class MetadataLongStringChecks extends MetadataChecks {
  /** 1,100 {@code a}s: longer than the indexed part. */
  private static final String A = "a".repeat(1100);
  /** Exactly as long as the indexed part, and equal to the indexed part of {@code A + ...}. */
  private static final String INDEXED_A = "a".repeat(Attributes.ORDERED_LENGTH);
  /** One shorter than the indexed part: the indexed part of a string whose surrogate pair would be split. */
  private static final String SHORTER_A = "a".repeat(Attributes.ORDERED_LENGTH - 1);
  /** A long string with a surrogate pair across the end of the indexed part, which is then cut before it. */
  private static final String ROCKET = SHORTER_A + "\uD83D\uDE80 tail";
  /** A long string that starts with {@code b} and ends with {@code a}. */
  private static final String B = "b" + "a".repeat(2000);

  MetadataLongStringChecks(MetadataStore store) {
    super(store);
  }

  /**
   * Records e, p, q, x, y, z hold strings in "s" and a number in "t"; n holds a number in "s". By the first
   * 1,024 characters, e and q tie, p, x and y tie, and z comes last.
   */
  private void insertLong() {
    store.transact(tx -> {
      tx.insert("long", "e", "", Map.of("s", ROCKET, "t", 1));
      tx.insert("long", "n", "", Map.of("s", 5, "t", 0));
      tx.insert("long", "p", "", Map.of("s", INDEXED_A, "t", 3));
      tx.insert("long", "q", "", Map.of("s", SHORTER_A, "t", 2));
      tx.insert("long", "x", "", Map.of("s", A + "X", "t", 2));
      tx.insert("long", "y", "", Map.of("s", A + "Y", "t", 1));
      tx.insert("long", "z", "", Map.of("s", B, "t", 0));
      return null;
    });
  }

  void longStringsRoundTripWholeAndEveryFilterComparesThemWhole() {
    insertLong();
    assertThat(get("long", "x").attributes().get("s")).isEqualTo(A + "X");
    assertThat(get("long", "e").attributes().get("s")).isEqualTo(ROCKET);
    assertThat(store.transact(tx -> tx.query(RecordQuery.in("long").where("t", Op.EQ, 0))).items())
        .extracting(r -> r.attributes().get("s")).containsExactly(5L, B);
    RecordQuery l = RecordQuery.in("long");

    assertThat(keys(l.where("s", Op.EQ, A + "X"))).containsExactly("x");
    assertThat(keys(l.where("s", Op.EQ, A))).as("a prefix of x and y, equal to neither").isEmpty();
    assertThat(keys(l.where("s", Op.EQ, INDEXED_A))).as("the indexed part of x and y").containsExactly("p");
    assertThat(keys(l.where("s", Op.EQ, SHORTER_A))).as("the indexed part of e").containsExactly("q");
    assertThat(keys(l.where("s", Op.EQ, ROCKET))).containsExactly("e");
    assertThat(keys(l.where("s", Op.NE, INDEXED_A))).containsExactly("e", "q", "x", "y", "z");
    assertThat(keys(l.where("s", Op.NE, A + "Y"))).containsExactly("e", "p", "q", "x", "z");
    assertThat(keys(l.where("s", Op.LT, A + "Y"))).containsExactly("p", "q", "x");
    assertThat(keys(l.where("s", Op.LE, A + "Y"))).containsExactly("p", "q", "x", "y");
    assertThat(keys(l.where("s", Op.GT, INDEXED_A))).containsExactly("e", "x", "y", "z");
    assertThat(keys(l.where("s", Op.GE, A + "X"))).containsExactly("e", "x", "y", "z");
    assertThat(keys(l.where("s", Op.IN, List.of(A + "X", SHORTER_A)))).containsExactly("q", "x");
    assertThat(keys(l.where("s", Op.IN, List.of(A, INDEXED_A + "a")))).isEmpty();
    assertThat(keys(l.where("s", Op.IN, List.of(5, A + "Y")))).as("values of two kinds").containsExactly("n", "y");
    assertThat(keys(l.where("s", Op.DISTINCT_FROM, A + "X"))).containsExactly("e", "n", "p", "q", "y", "z");
    assertThat(keys(l.where("s", Op.PREFIX, A))).containsExactly("x", "y");
    assertThat(keys(l.where("s", Op.PREFIX, A + "Y"))).containsExactly("y");
    assertThat(keys(l.where("s", Op.PREFIX, INDEXED_A))).containsExactly("p", "x", "y");
    assertThat(keys(l.where("s", Op.LIKE, "%X"))).containsExactly("x");
    assertThat(keys(l.where("s", Op.LIKE, "%a"))).as("x and y end in X and Y").containsExactly("p", "q", "z");
    assertThat(keys(l.where("s", Op.LIKE, "a%Y"))).containsExactly("y");
    assertThat(keys(l.where("s", Op.LIKE, "%tail"))).containsExactly("e");
    assertThat(keys(l.where("s", Op.LIKE, "b%"))).containsExactly("z");
    assertThat(keys(l.where("s", Op.LIKE, A + "_"))).containsExactly("x", "y");
    assertThat(keys(l.where("s", Op.LIKE, INDEXED_A))).containsExactly("p");
    assertThat(keys(l.where("s", Op.ILIKE, "%x"))).containsExactly("x");
    assertThat(keys(l.where("s", Op.ILIKE, "%TAIL"))).containsExactly("e");
    assertThat(count(l.where("s", Op.LIKE, "%a"))).isEqualTo(3);
    assertThat(count(l.where("s", Op.EQ, INDEXED_A))).isEqualTo(1);
    // filtered on the attribute the query is ordered by, and on another one
    assertThat(keys(l.where("s", Op.LIKE, "%a").orderBy("s", false))).containsExactly("z", "p", "q");
    assertThat(keys(l.where("s", Op.EQ, INDEXED_A).orderBy("t", true))).containsExactly("p");

    // an update from a long value to its indexed part and back
    StoredRecord x = get("long", "x");
    store.transact(tx -> tx.update(x, "", Map.of("s", INDEXED_A, "t", 2)));
    assertThat(keys(l.where("s", Op.EQ, INDEXED_A))).containsExactly("p", "x");
    assertThat(keys(l.where("s", Op.LIKE, "%X"))).isEmpty();
    StoredRecord shorter = get("long", "x");
    assertThat(shorter.attributes().get("s")).isEqualTo(INDEXED_A);
    store.transact(tx -> tx.update(shorter, "", Map.of("s", A + "X", "t", 2)));
    assertThat(keys(l.where("s", Op.EQ, INDEXED_A))).containsExactly("p");
    assertThat(keys(l.where("s", Op.LIKE, "%X"))).containsExactly("x");
  }

  void longStringsAreOrderedByTheirIndexedPartWithTiesByKeyOrFurtherKeysAtEveryOffset() {
    insertLong();
    RecordQuery l = RecordQuery.in("long");
    // numbers first; then by the first 1,024 characters: e and q tie, then p, x and y, then z
    List<String> ascending = List.of("n", "e", "q", "p", "x", "y", "z");
    List<String> descending = List.of("n", "z", "y", "x", "p", "q", "e");
    List<String> thenByT = List.of("n", "q", "e", "p", "x", "y", "z");
    assertThat(keys(l.orderBy("s", true))).isEqualTo(ascending);
    assertThat(keys(l.orderBy("s", false))).isEqualTo(descending);
    assertThat(keys(l.orderBy("s", true).thenBy("t", false))).isEqualTo(thenByT);
    for (int offset = 0; offset < ascending.size(); offset++) {
      for (int limit = 1; limit <= 3; limit++) {
        int to = Math.min(ascending.size(), offset + limit);
        assertThat(keys(l.orderBy("s", true).offset(offset).limit(limit))).as("offset %d limit %d", offset, limit)
            .isEqualTo(ascending.subList(offset, to));
        assertThat(keys(l.orderBy("s", false).offset(offset).limit(limit))).as("offset %d limit %d", offset, limit)
            .isEqualTo(descending.subList(offset, to));
        assertThat(keys(l.orderBy("s", true).thenBy("t", false).offset(offset).limit(limit)))
            .as("further key, offset %d limit %d", offset, limit).isEqualTo(thenByT.subList(offset, to));
      }
    }
    // the order by another attribute, with ties broken by the long strings' indexed part, then by key
    assertThat(keys(l.orderBy("t", true).thenBy("s", true))).containsExactly("n", "z", "e", "y", "q", "x", "p");
  }
}
