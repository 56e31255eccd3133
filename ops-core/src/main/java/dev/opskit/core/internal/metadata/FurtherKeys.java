package dev.opskit.core.internal.metadata;

import dev.opskit.Page;
import dev.opskit.store.Attributes;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A query with further order keys ({@link RecordQuery#thenBy()}) answered from index walks in the first key's order, for
 * a database that cannot sort only the runs of equal first values (H2 has no incremental sort, and sorts every match
 * otherwise). A run of records with the same first value takes the same places whether its ties are ordered by key or
 * by the further keys, so the page is: the page in the first key's order, plus the whole runs of its first and last
 * values (one query each, by equality on the first key, which the attribute index seeks to), ordered by every key.
 * Three queries whose cost follows the page and the length of two runs, not the number of matches. Stateless.
 */
final class FurtherKeys {
  /** The longest run read whole; a longer one is left to the database's sort. */
  static final int MAX_RUN = 1_000;

  private FurtherKeys() {}

  /**
   * Answers a query with further keys through queries without them.
   *
   * @param query the query, ordered by an attribute with further keys
   * @param plain answers a query without further keys, attributes included
   * @return the page, or empty if a run at an edge of the page is of records without the first key, or of a string as
   *     long as an order compares, or longer than {@value #MAX_RUN}, or changed between the reads: then the
   *     database sorts
   */
  static Optional<Page<StoredRecord>> page(RecordQuery query, Function<RecordQuery, Page<StoredRecord>> plain) {
    String first = query.orderBy();
    if (first == null || query.thenBy().isEmpty()) {
      throw new IllegalArgumentException("not a query with further keys: " + query);
    }
    RecordQuery byFirst = query.orderBy(first, query.ascending()).limit(Math.min(RecordQuery.MAX_LIMIT,
        query.limit() + 1));
    List<StoredRecord> window = plain.apply(byFirst).items();
    if (window.isEmpty()) {
      return Optional.of(new Page<>(List.of(), query.offset(), false));
    }
    Object head = window.get(0).attributes().get(first);
    Object tail = window.get(window.size() - 1).attributes().get(first);
    if (head == null || tail == null || cut(head) || cut(tail)) {
      return Optional.empty();
    }
    List<StoredRecord> headRun = run(byFirst, first, head, plain);
    if (headRun == null) {
      return Optional.empty();
    }
    int before = indexOf(headRun, window.get(0).key());
    if (before < 0) {
      return Optional.empty();
    }
    Map<String, StoredRecord> all = new LinkedHashMap<>();
    headRun.forEach(r -> all.put(r.key(), r));
    window.forEach(r -> all.put(r.key(), r));
    if (!AttributeValues.sameFamily(head, tail) || AttributeValues.compareForTie(head, tail) != 0) {
      List<StoredRecord> tailRun = run(byFirst, first, tail, plain);
      if (tailRun == null) {
        return Optional.empty();
      }
      tailRun.forEach(r -> all.put(r.key(), r));
    }
    List<StoredRecord> sorted = new ArrayList<>(all.values());
    sorted.sort(AttributeValues.ordering(first, query.ascending(), query.thenBy(), StoredRecord::attributes,
        StoredRecord::key));
    // sorted starts at the head run's first place, offset - before
    int from = Math.min(before, sorted.size());
    int to = Math.min(sorted.size(), before + query.limit() + 1);
    List<StoredRecord> page = sorted.subList(from, to);
    boolean more = page.size() > query.limit();
    return Optional.of(new Page<>(List.copyOf(more ? page.subList(0, query.limit()) : page), query.offset(), more));
  }

  /**
   * Whether a value is a string whose run, the strings that tie with it in an order, may not be what an equality on it
   * finds: an order compares strings by their first {@link Attributes#ORDERED_LENGTH} characters, so a string as long
   * as that part of a longer one ({@link AttributeValues#exactOnIndex}) may tie with strings it does not equal.
   */
  private static boolean cut(Object value) {
    return value instanceof String && !AttributeValues.exactOnIndex((String) value);
  }

  /** The whole run of records whose first key equals a value, in the first key's order; null if it is too long. */
  private static @Nullable List<StoredRecord> run(RecordQuery byFirst, String first, Object value,
      Function<RecordQuery, Page<StoredRecord>> plain) {
    Page<StoredRecord> run = plain.apply(byFirst.where(first, RecordQuery.Op.EQ, value).offset(0).limit(MAX_RUN));
    return run.hasMore() ? null : run.items();
  }

  private static int indexOf(List<StoredRecord> records, String key) {
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).key().equals(key)) {
        return i;
      }
    }
    return -1;
  }
}
