package dev.opskit.core.internal.metadata;

import dev.opskit.Page;
import dev.opskit.core.internal.metadata.RecordQuerySql.OrderPart;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link JdbcMetadataStore} answers a record query on one connection: which reads it makes and in what order.
 * A selective equality or {@code IN} filter is answered from the few keys it allows ({@link #fewKeys}); an ordered
 * query walks the index of its attribute in parts that stop at the page ({@link #ordered}); on PostgreSQL a filtered
 * read runs with the settings that keep the planner on that walk ({@link #inOrder}). The SQL itself is built by
 * {@link RecordQuerySql}. Not thread-safe: one per transaction, as its connection.
 */
final class RecordReads {
  /** The most keys a selective filter may allow for a query to read them rather than walk its order. */
  static final int FEW_KEYS = 1_000;

  private final Connection c;
  private final Dialect dialect;
  private final RecordQuerySql queries;
  private final AttributeRows attributes;
  /** The transaction this read runs in, for the records it looks up by key and the pages it reads in runs. */
  private final Transaction tx;

  RecordReads(Connection c, Dialect dialect, RecordQuerySql queries, AttributeRows attributes, Transaction tx) {
    this.c = c;
    this.dialect = dialect;
    this.queries = queries;
    this.attributes = attributes;
    this.tx = tx;
  }

  /**
   * Reads a page of records.
   *
   * @param query the query
   * @param withAttributes whether the records carry their attributes; without, a page reads no attribute rows but
   *     those its filters and orders need (records read through {@link #few} keep the ones it read)
   * @return the page
   * @throws SQLException if a read failed
   */
  Page<StoredRecord> query(RecordQuery query, boolean withAttributes) throws SQLException {
    return inOrder(query, () -> page(query, withAttributes));
  }

  private Page<StoredRecord> page(RecordQuery query, boolean withAttributes) throws SQLException {
    String order = query.orderBy();
    List<String> keys = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    List<String> few = fewKeys(query);
    if (few != null) {
      return few(query, few);
    }
    if (order == null) {
      List<Object> binds = new ArrayList<>();
      StringBuilder sql = new StringBuilder(
          "SELECT r.rkey, r.version, r.body FROM ops_record r WHERE r.collection = ?");
      binds.add(query.collection());
      queries.keyRange(sql, binds, query, "r");
      queries.filters(sql, binds, query, true);
      String dir = query.ascending() ? " ASC" : " DESC";
      sql.append(" ORDER BY r.collection").append(dir).append(", r.rkey").append(dir).append(" LIMIT ? OFFSET ?");
      binds.add(query.limit() + 1);
      binds.add(query.offset());
      select(sql.toString(), binds, keys, versions, bodies);
    } else if (!query.thenBy().isEmpty() && dialect == Dialect.H2) {
      // H2 would sort every match: read the page from index walks instead, where the runs at its edges allow
      Optional<Page<StoredRecord>> byRuns = FurtherKeys.page(query, tx::query);
      if (byRuns.isPresent()) {
        return byRuns.get();
      }
      ordered(query, order, keys, versions, bodies);
    } else {
      ordered(query, order, keys, versions, bodies);
    }
    boolean hasMore = keys.size() > query.limit();
    int size = Math.min(keys.size(), query.limit());
    Map<String, Map<String, Object>> attrs = withAttributes
        ? attributes.read(query.collection(), keys.subList(0, size)) : Map.of();
    List<StoredRecord> records = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      records.add(new StoredRecord(query.collection(), keys.get(i), versions.get(i), bodies.get(i),
          attrs.getOrDefault(keys.get(i), Map.of())));
    }
    return new Page<>(records, query.offset(), hasMore);
  }

  /**
   * The keys the query's first selective equality or {@code IN} filter (or {@code EXISTS}, on another attribute than
   * the order) allows, read from that attribute's index: those of the first such filter that allows at most
   * {@value #FEW_KEYS}, each tried in turn; null if none does. With them the
   * query reads those records and orders them ({@link #few}), instead of walking the order (or the keys) and
   * testing every record it meets against the filter: a search for the one version with some parameter, newest
   * first, tested 100,000 on H2 (about 3 s). An unselective filter costs this one capped index read more.
   */
  private @Nullable List<String> fewKeys(RecordQuery query) throws SQLException {
    for (RecordQuery.Filter f : query.filters()) {
      RecordQuery.Op op = f.op();
      // on the order's own attribute, an EXISTS allows every record the walk meets; an equality or IN still picks a
      // few (a page of models read by their names: the walk tested all 10,000 names, since H2 seeks no IN there)
      if (op == RecordQuery.Op.EQ || op == RecordQuery.Op.IN
          || op == RecordQuery.Op.EXISTS && !f.attribute().equals(query.orderBy())) {
        List<String> found = new ArrayList<>();
        if (op == RecordQuery.Op.IN && dialect == Dialect.H2) {
          // H2 seeks an IN list only on an index's first column: one equality seek per value instead
          for (Object v : (Collection<?>) f.value()) {
            probe(query, new RecordQuery.Filter(f.attribute(), RecordQuery.Op.EQ, v), FEW_KEYS + 1 - found.size(),
                found);
            if (found.size() > FEW_KEYS) {
              break; // cut short: the keys found are not all, even when some are found twice
            }
          }
          if (found.size() <= FEW_KEYS) {
            // values equal as attributes (1 and 1.0, or one given twice) found the same keys
            return new ArrayList<>(new java.util.LinkedHashSet<>(found));
          }
        } else {
          probe(query, f, FEW_KEYS + 1, found);
          if (found.size() <= FEW_KEYS) {
            return found;
          }
        }
        // this filter allows many: another may allow few (two tags, one common, one rare)
      }
    }
    return null;
  }

  /** Adds to {@code found} at most {@code limit} keys in the query's key range that the filter allows. */
  private void probe(RecordQuery query, RecordQuery.Filter f, int limit, List<String> found) throws SQLException {
    List<Object> binds = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT o.rkey FROM ops_attr o WHERE o.collection = ? AND o.name = ?");
    binds.add(query.collection());
    binds.add(f.attribute());
    queries.condition(sql, binds, f, "o");
    queries.keyRange(sql, binds, query, "o");
    sql.append(" LIMIT ?");
    binds.add(limit);
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      plannedPerCall(p);
      bind(p, binds);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
  }

  /**
   * A query answered from the few keys its selective filter allows: each record read by key, checked against every
   * filter and the key prefix, then ordered as the query asks (the order the in-memory store and the contract give),
   * and the page cut. A lookup per key, because H2 reads a whole collection for {@code rkey IN (...)}.
   */
  private Page<StoredRecord> few(RecordQuery query, List<String> keys) throws SQLException {
    List<StoredRecord> read = new ArrayList<>();
    List<String> inRange = keys.stream().filter(query::matchesKey).toList();
    if (dialect == Dialect.H2) {
      for (String key : inRange) {
        tx.get(query.collection(), key).ifPresent(read::add);
      }
    } else if (!inRange.isEmpty()) {
      // a round trip per key would cost more than one query on a server
      List<Object> binds = new ArrayList<>();
      StringBuilder sql = new StringBuilder("SELECT r.rkey, r.version, r.body FROM ops_record r WHERE r.collection = ?"
          + " AND r.rkey IN (");
      binds.add(query.collection());
      for (int i = 0; i < inRange.size(); i++) {
        sql.append(i == 0 ? "?" : ", ?");
        binds.add(inRange.get(i));
      }
      sql.append(')');
      List<String> found = new ArrayList<>();
      List<Long> versions = new ArrayList<>();
      List<String> bodies = new ArrayList<>();
      select(sql.toString(), binds, found, versions, bodies);
      Map<String, Map<String, Object>> attrs = attributes.read(query.collection(), found);
      for (int i = 0; i < found.size(); i++) {
        read.add(new StoredRecord(query.collection(), found.get(i), versions.get(i), bodies.get(i),
            attrs.getOrDefault(found.get(i), Map.of())));
      }
    }
    List<StoredRecord> all = new ArrayList<>();
    for (StoredRecord r : read) {
      if (query.filters().stream().allMatch(f -> AttributeValues.matches(r.attributes(), f))) {
        all.add(r);
      }
    }
    if (query.orderBy() != null) {
      all.sort(AttributeValues.ordering(query.orderBy(), query.ascending(), query.thenBy(), StoredRecord::attributes,
          StoredRecord::key));
    } else {
      all.sort(query.ascending() ? Comparator.comparing(StoredRecord::key)
          : Comparator.comparing(StoredRecord::key).reversed());
    }
    int from = (int) Math.min(all.size(), query.offset());
    int to = Math.min(all.size(), from + query.limit());
    return new Page<>(all.subList(from, to), query.offset(), to < all.size());
  }

  private void select(String sql, List<Object> binds, List<String> keys, List<Long> versions, List<String> bodies)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      plannedPerCall(p);
      bind(p, binds);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
          versions.add(rs.getLong(2));
          bodies.add(rs.getString(3));
        }
      }
    }
  }

  /**
   * An ordered query, in up to three parts that each follow an index in order and stop at the page: the records whose
   * attribute is a number, then those whose attribute is a string, then those without it (by key). A database that
   * sorted all matches at once would read every record of the collection to return the first twenty; this way a
   * top-k search reads about as many index entries as it returns, plus those its other filters reject. A filter on
   * the ordering attribute rules out the records without it, and the family it compares in rules out the other part.
   */
  private void ordered(RecordQuery query, String order, List<String> keys, List<Long> versions,
      List<String> bodies) throws SQLException {
    boolean numbers = true;
    boolean strings = true;
    boolean absent = true;
    for (RecordQuery.Filter f : query.filters()) {
      if (f.attribute().equals(order) && f.op() != RecordQuery.Op.DISTINCT_FROM) {
        absent = false;
        Character family = queries.family(f);
        if (family != null) {
          numbers &= family != AttributeValues.STRING;
          strings &= family == AttributeValues.STRING;
        }
      }
    }
    orderedParts(query, order, numbers, strings, absent, keys, versions, bodies);
  }

  /** A read that may fail with an {@link SQLException}. */
  private interface Read<T> {
    T run() throws SQLException;
  }

  /**
   * Reads a page, on PostgreSQL with filters under {@link #walkInOrder}'s settings, for every statement of the read:
   * the capped probes of {@link #fewKeys} (a bitmap cannot stop at its cap: one for {@code stage in ('NONE',
   * 'STAGING')} read all 100,000 entries, 24 ms, where the index scan stopped at 1,001 in 0.8 ms), and the walk of
   * the order, whether an attribute's or the keys' (a page of models with two unselective tags, planned from
   * statistics taken before those tags were written, 1 row guessed and 5,000 found, was read by one tag's index and
   * sorted, 37 ms; walking the keys took 1 ms).
   */
  private <T> T inOrder(RecordQuery query, Read<T> read) throws SQLException {
    String[] before = dialect == Dialect.POSTGRESQL && !query.filters().isEmpty() ? walkInOrder() : null;
    T result;
    try {
      result = read.run();
    } catch (SQLException | RuntimeException e) {
      if (before != null) {
        try {
          planFreely(before);
        } catch (SQLException again) { // in a transaction the failure aborted, which undoes the settings anyway
          e.addSuppressed(again);
        }
      }
      throw e;
    }
    if (before != null) {
      planFreely(before);
    }
    return result;
  }

  /**
   * Makes PostgreSQL walk the order's index for the next statements of this transaction, and returns the settings it
   * changed, for {@link #planFreely}. With filters, its estimate of how many index entries match a range of one
   * attribute is poor (every attribute shares the value columns and their statistics): it guessed 250 of 34,000
   * for {@code metrics.auc > 0.83}, read them all by a bitmap and sorted them (370 ms) instead of reading the index
   * backwards and stopping at the page's 21st match (1.2 ms). The walk reads at most the entries in the order's
   * range, as the sort does, so it cannot go worse than that plan by more than its per-entry lookups; a filter
   * selective enough to make that matter is answered from its few keys before ({@link #fewKeys}). The settings are
   * the session's (a read outside a transaction would lose transaction-local ones at once), read first and given
   * back right after, so a host's own settings of its connections stay as they were.
   */
  private String[] walkInOrder() throws SQLException {
    String[] before = new String[2];
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT current_setting('enable_sort'), current_setting('enable_bitmapscan')")) {
      rs.next();
      before[0] = rs.getString(1);
      before[1] = rs.getString(2);
    }
    settings("off", "off");
    return before;
  }

  /** Gives back the settings {@link #walkInOrder} changed. */
  private void planFreely(String[] before) throws SQLException {
    settings(before[0], before[1]);
  }

  private void settings(String sort, String bitmapScan) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT set_config('enable_sort', ?, false), set_config('enable_bitmapscan', ?, false)")) {
      p.setString(1, sort);
      p.setString(2, bitmapScan);
      p.executeQuery().close();
    }
  }

  private void orderedParts(RecordQuery query, String order, boolean numbers, boolean strings, boolean absent,
      List<String> keys, List<Long> versions, List<String> bodies) throws SQLException {
    long skip = query.offset();
    int need = query.limit() + 1;
    String dir = query.ascending() ? " ASC" : " DESC";
    for (OrderPart part : OrderPart.values()) {
      if (part == OrderPart.NUMBERS && !numbers || part == OrderPart.STRINGS && !strings
          || part == OrderPart.ABSENT && !absent) {
        continue;
      }
      List<Object> binds = new ArrayList<>();
      StringBuilder sql = new StringBuilder("SELECT r.rkey, r.version, r.body")
          .append(queries.orderPart(part, query, order, binds, true)).append(" ORDER BY ");
      if (part == OrderPart.ABSENT) {
        sql.append("r.collection").append(dir);
      } else {
        // Every column of the index, in its order, so that the database reads the index in order and stops early.
        // In each part one of the two values is the same (null) for every match, so it does not change the order.
        sql.append("o.collection").append(dir).append(", o.name").append(dir).append(", o.str_value").append(dir)
            .append(", o.num_value").append(dir);
      }
      queries.furtherKeys(sql, query);
      sql.append(part == OrderPart.ABSENT ? ", r.rkey" : ", o.rkey").append(dir);
      sql.append(" LIMIT ? OFFSET ?");
      binds.add(need);
      binds.add(skip);
      int before = keys.size();
      select(sql.toString(), binds, keys, versions, bodies);
      int got = keys.size() - before;
      need -= got;
      if (need == 0) {
        return;
      }
      if (got > 0) {
        skip = 0;
      } else if (skip > 0) {
        // This part ended before the offset: the offset goes on into the next part, less this part's records.
        List<Object> countBinds = new ArrayList<>();
        skip -= count("SELECT COUNT(*)" + queries.orderPart(part, query, order, countBinds, false), countBinds);
      }
    }
  }

  private long count(String sql, List<Object> binds) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      plannedPerCall(p);
      bind(p, binds);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Counts the records a query matches, whatever its page.
   *
   * @param query the query
   * @return the count
   * @throws SQLException if the read failed
   */
  long count(RecordQuery query) throws SQLException {
    List<Object> binds = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ops_record r WHERE r.collection = ?");
    binds.add(query.collection());
    queries.keyRange(sql, binds, query, "r");
    queries.filters(sql, binds, query, false);
    return count(sql.toString(), binds);
  }

  /**
   * On PostgreSQL, has a query planned for its parameters at every call ({@link CustomPlans}); a query's best plan
   * depends on them (how many records a filter keeps), and a plan cached for unknown values can be 100x slower.
   */
  private void plannedPerCall(PreparedStatement p) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      CustomPlans.apply(p);
    }
  }

  private void bind(PreparedStatement p, List<Object> binds) throws SQLException {
    for (int i = 0; i < binds.size(); i++) {
      Object v = binds.get(i);
      if (v instanceof String) {
        p.setString(i + 1, (String) v);
      } else if (v instanceof Integer) {
        p.setInt(i + 1, (Integer) v);
      } else if (v instanceof Long) {
        p.setLong(i + 1, (Long) v);
      } else if (v instanceof Double) {
        p.setDouble(i + 1, (Double) v);
      } else {
        throw new IllegalStateException("cannot bind " + v.getClass());
      }
    }
  }
}
