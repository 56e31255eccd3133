package dev.opskit.core.internal.metadata;

import dev.opskit.store.Attributes;
import dev.opskit.store.RecordQuery;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes the SQL of a record query's reads, for one dialect: the FROM and WHERE of each part of an ordered read, the
 * key range, the filters as conditions on the attribute table, and the ordering by further keys. It only appends text
 * and binds values; {@link JdbcMetadataStore} decides which reads a query makes, runs them and pages their results.
 * Stateless apart from its dialect and index name, so thread-safe.
 */
final class RecordQuerySql {
  private final Dialect dialect;
  /** H2's {@code USE INDEX} clause naming the primary key of {@code ops_attr}, or empty. */
  private final String attributeKeyHint;

  RecordQuerySql(Dialect dialect) {
    this(dialect, null);
  }

  /**
   * The SQL of a store's record queries.
   *
   * @param dialect the database's dialect
   * @param attributeKeyIndex on H2, the name of the primary-key index of {@code ops_attr}, which a filter's lookup of a
   *     record's attribute is told to seek (see {@link #filter}); null to leave the choice to the database
   */
  RecordQuerySql(Dialect dialect, @Nullable String attributeKeyIndex) {
    this.dialect = dialect;
    if (attributeKeyIndex != null && !attributeKeyIndex.matches("[A-Za-z0-9_]{1,128}")) {
      throw new IllegalArgumentException("not an index name: " + attributeKeyIndex);
    }
    this.attributeKeyHint = attributeKeyIndex == null || dialect != Dialect.H2 ? ""
        : "USE INDEX (\"" + attributeKeyIndex + "\") ";
  }

  /**
   * The ordering by the further keys, after the first key's index columns: each key's family (numbers, strings,
   * missing), then its value, as {@link AttributeValues} orders them. A database reads the first key's index in order
   * and sorts only each run of equal first values (PostgreSQL's incremental sort); the record key ends the order.
   */
  void furtherKeys(StringBuilder sql, RecordQuery query) {
    for (int i = 0; i < query.thenBy().size(); i++) {
      String t = "t" + i;
      String dir = query.thenBy().get(i).ascending() ? " ASC" : " DESC";
      sql.append(", CASE WHEN ").append(t).append(".rkey IS NULL THEN 2 WHEN ").append(t)
          .append(".str_value IS NULL THEN 0 ELSE 1 END, ").append(t).append(".num_value").append(dir).append(", ")
          .append(t).append(".str_value").append(dir);
    }
  }

  /** One outer join per further key, on the attribute table's primary key: one row per record at most. */
  private void furtherJoins(StringBuilder sql, List<Object> binds, RecordQuery query) {
    for (int i = 0; i < query.thenBy().size(); i++) {
      String t = "t" + i;
      sql.append(" LEFT JOIN ops_attr ").append(t).append(" ON ").append(t).append(".collection = r.collection AND ")
          .append(t).append(".rkey = r.rkey AND ").append(t).append(".name = ?");
      binds.add(query.thenBy().get(i).attribute());
    }
  }

  /** The FROM and WHERE of one part of an ordered query, with the joins of its further keys if asked. */
  String orderPart(OrderPart part, RecordQuery query, String order, List<Object> binds, boolean joins) {
    StringBuilder sql = new StringBuilder();
    if (part == OrderPart.ABSENT) {
      sql.append(" FROM ops_record r");
      if (joins) {
        furtherJoins(sql, binds, query);
      }
      binds.add(query.collection());
      binds.add(order);
      sql.append(" WHERE r.collection = ? AND NOT EXISTS (SELECT 1 FROM ops_attr o "
          + "WHERE o.collection = r.collection AND o.rkey = r.rkey AND o.name = ?)");
      keyRange(sql, binds, query, "r");
      filters(sql, binds, query, joins);
      return sql.toString();
    }
    sql.append(" FROM ops_attr o JOIN ops_record r ON r.collection = o.collection AND r.rkey = o.rkey");
    if (joins) {
      furtherJoins(sql, binds, query);
    }
    binds.add(query.collection());
    binds.add(order);
    sql.append(" WHERE o.collection = ? AND o.name = ? AND ")
        .append(part == OrderPart.NUMBERS ? "o.str_value IS NULL AND o.num_value IS NOT NULL"
            : "o.str_value IS NOT NULL");
    // on the ordering attribute's index entry, which holds the key: no join to rule a record out
    keyRange(sql, binds, query, "o");
    for (RecordQuery.Filter f : query.filters()) {
      if (f.attribute().equals(order) && f.op() != RecordQuery.Op.DISTINCT_FROM) {
        // on the ordering attribute's own row, so that the index range starts where the filter does
        condition(sql, binds, f, "o");
      } else {
        filter(sql, binds, f, query, joins);
      }
    }
    return sql.toString();
  }


  /**
   * The query's key prefix as a range of the key column, which the primary key (and the attribute index, which ends
   * with the key) can seek to; a prefix with no upper bound is a LIKE, which both databases also bound from below.
   */
  void keyRange(StringBuilder sql, List<Object> binds, RecordQuery query, String a) {
    String prefix = query.keyPrefix();
    if (prefix == null) {
      return;
    }
    sql.append(" AND ").append(a).append(".rkey >= ?");
    binds.add(prefix);
    String upper = KeyRange.upperBound(prefix);
    if (upper != null) {
      sql.append(" AND ").append(a).append(".rkey < ?");
      binds.add(upper);
    } else {
      sql.append(" AND ").append(a).append(".rkey LIKE ? ESCAPE '\\'");
      binds.add(escapeLike(prefix) + "%");
    }
  }

  /**
   * Appends a query's filters.
   *
   * @param walk whether the statement walks an order and stops at a page: then, on PostgreSQL, each {@code EXISTS}
   *     is looked up for each record the walk meets. Otherwise PostgreSQL may turn it into a join that starts from
   *     the filter's own index: planned from statistics taken before a tag was written, it guessed 40 of 3,333
   *     models, read them all into memory and compared every one with every record walked (216,392 comparisons, 35
   *     ms, for a page of 21), where a lookup per record took about 1 ms. {@code OFFSET 0} keeps the subquery as it
   *     is written; a count leaves PostgreSQL free to join.
   */
  void filters(StringBuilder sql, List<Object> binds, RecordQuery query, boolean walk) {
    for (RecordQuery.Filter f : query.filters()) {
      filter(sql, binds, f, query, walk);
    }
  }

  private void filter(StringBuilder sql, List<Object> binds, RecordQuery.Filter f, RecordQuery query,
      boolean walk) {
    boolean distinct = f.op() == RecordQuery.Op.DISTINCT_FROM;
    if (distinct && dialect == Dialect.H2) {
      // H2 runs a correlated NOT EXISTS as one index lookup per record read, and a query that skips (a deep page:
      // offset 99,900 of 100,000 versions) reads every record it skips: 1.6 s where this took 46 ms. Uncorrelated,
      // the few records holding the rare value (the contract of DISTINCT_FROM) are read once, by the attribute
      // index, into a set that every record read is checked against. PostgreSQL hashes the anti-join itself.
      sql.append(" AND r.rkey NOT IN (SELECT f.rkey FROM ops_attr f WHERE f.collection = ? AND f.name = ?");
      binds.add(query.collection());
      binds.add(f.attribute());
      condition(sql, binds, new RecordQuery.Filter(f.attribute(), RecordQuery.Op.EQ, f.value()), "f");
      keyRange(sql, binds, query, "f");
      sql.append(')');
      return;
    }
    // DISTINCT_FROM is an anti-join: the database looks the record's one attribute up, or hashes the few records
    // that have the value, and never starts from the many that do not. On H2 the lookup is told to seek the primary
    // key (collection, rkey, name): for a range (metrics.auc > t) H2 chose the value index, seeking by the range and
    // scanning it for the record's key, and a search over 100,000 versions in last-update order took 5 s instead of
    // 1-25 ms (2026-12-07).
    sql.append(distinct ? " AND NOT EXISTS" : " AND EXISTS").append(" (SELECT 1 FROM ops_attr f ")
        .append(attributeKeyHint).append("WHERE f.collection = r.collection AND f.rkey = r.rkey AND f.name = ?");
    binds.add(f.attribute());
    condition(sql, binds, distinct ? new RecordQuery.Filter(f.attribute(), RecordQuery.Op.EQ, f.value()) : f, "f");
    sql.append(walk && !distinct && dialect == Dialect.POSTGRESQL ? " OFFSET 0)" : ")");
  }

  /** The family a filter's values compare in, or null if it matches either (an EXISTS, or an IN of mixed values). */
  @Nullable Character family(RecordQuery.Filter f) {
    switch (f.op()) {
      case EXISTS:
        return null;
      case PREFIX:
      case LIKE:
      case ILIKE:
        return AttributeValues.STRING;
      case IN:
        Character family = null;
        for (Object v : (Collection<?>) f.value()) {
          char each = AttributeValues.family(AttributeValues.kind(Attributes.check(f.attribute(), v)));
          if (family != null && family != each) {
            return null;
          }
          family = each;
        }
        return family;
      default:
        return AttributeValues.family(AttributeValues.kind(Attributes.check(f.attribute(), f.value())));
    }
  }

  /**
   * The SQL form of one filter; values compare only within their family, as in {@link AttributeValues}. A string is
   * compared whole: its row holds the indexed part in {@code str_value} and, for a string longer than that part, the
   * whole string in {@code str_full}. Where comparing the indexed part decides ({@link AttributeValues#exactOnIndex},
   * {@link AttributeValues#likeExactOnIndex}) the condition reads {@code str_value} alone, as it always did; otherwise
   * it reads the whole string too, on the row it already reads for the kind.
   */
  void condition(StringBuilder sql, List<Object> binds, RecordQuery.Filter f, String a) {
    switch (f.op()) {
      case EXISTS:
        return;
      case PREFIX: {
        String prefix = (String) f.value();
        prefixRange(sql, binds, onIndex(prefix), a);
        sql.append(" AND ").append(a).append(".kind = 's' AND ")
            .append(AttributeValues.exactOnIndex(prefix) ? a + ".str_value" : whole(a)).append(" LIKE ? ESCAPE '\\'");
        binds.add(escapeLike(prefix) + "%");
        return;
      }
      case LIKE: {
        String pattern = (String) f.value();
        prefixRange(sql, binds, onIndex(literalPrefix(pattern)), a);
        // a backslash of the pattern stands for itself: it is escaped; % and _ stay wildcards
        String bound = pattern.replace("\\", "\\\\");
        sql.append(" AND ").append(a).append(".kind = 's' AND ");
        if (AttributeValues.likeExactOnIndex(pattern)) {
          sql.append(a).append(".str_value LIKE ? ESCAPE '\\'");
          binds.add(bound);
        } else {
          sql.append("(").append(a).append(".str_full IS NULL AND ").append(a)
              .append(".str_value LIKE ? ESCAPE '\\' OR ").append(a).append(".str_full LIKE ? ESCAPE '\\')");
          binds.add(bound);
          binds.add(bound);
        }
        return;
      }
      case ILIKE: {
        // ASCII letters only are folded, on both sides, so every database and the in-memory store agree
        String pattern = (String) f.value();
        String bound = AttributeValues.asciiLower(pattern).replace("\\", "\\\\");
        sql.append(" AND ").append(a).append(".kind = 's' AND ");
        if (AttributeValues.likeExactOnIndex(pattern)) {
          sql.append(folded(a + ".str_value")).append(" LIKE ? ESCAPE '\\'");
          binds.add(bound);
        } else {
          sql.append("(").append(a).append(".str_full IS NULL AND ").append(folded(a + ".str_value"))
              .append(" LIKE ? ESCAPE '\\' OR ").append(folded(a + ".str_full")).append(" LIKE ? ESCAPE '\\')");
          binds.add(bound);
          binds.add(bound);
        }
        return;
      }
      case IN:
        if (sameFamilyIn(sql, binds, f, a)) {
          return;
        }
        sql.append(" AND (");
        boolean first = true;
        for (Object v : (Collection<?>) f.value()) {
          sql.append(first ? "" : " OR ").append('(');
          comparison(sql, binds, "=", Attributes.check(f.attribute(), v), a);
          sql.append(')');
          first = false;
        }
        sql.append(')');
        return;
      default:
        sql.append(" AND ");
        comparison(sql, binds, operator(f.op()), Attributes.check(f.attribute(), f.value()), a);
    }
  }

  /**
   * Writes an {@code IN} whose values are all strings, or all numbers of one family, as one {@code IN} list on the
   * value column, which both databases seek in the value index value by value; an {@code OR} of comparisons made H2
   * read every entry of the attribute (a search of two version numbers among 100,000: about 2 s).
   *
   * @return false if the values mix families, which the caller writes as an {@code OR}
   */
  private boolean sameFamilyIn(StringBuilder sql, List<Object> binds, RecordQuery.Filter f, String a) {
    Collection<?> values = (Collection<?>) f.value();
    char family = 0;
    for (Object v : values) {
      char each = AttributeValues.family(AttributeValues.kind(Attributes.check(f.attribute(), v)));
      if (family != 0 && each != family) {
        return false;
      }
      family = each;
    }
    if (family == 0) {
      return false;
    }
    if (family == AttributeValues.STRING) {
      if (!values.stream().allMatch(v -> AttributeValues.exactOnIndex((String) v))) {
        // the indexed parts narrow the rows, as the index seeks them; the whole strings decide
        sql.append(" AND ").append(a).append(".kind = 's' AND ").append(a).append(".str_value IN (");
        list(sql, binds, values.stream().map(v -> (Object) Attributes.orderedPrefix((String) v)).toList());
        sql.append(") AND ").append(whole(a)).append(" IN (");
        list(sql, binds, List.copyOf(values));
        sql.append(')');
        return true;
      }
      sql.append(" AND ").append(a).append(".kind = 's' AND ").append(a).append(".str_value IN (");
    } else {
      sql.append(" AND ");
      if (family == AttributeValues.LONG) {
        sql.append(a).append(".kind IN ('l', 'd')");
      } else {
        sql.append(a).append(".kind = ?");
        binds.add(String.valueOf(family));
      }
      sql.append(" AND ").append(a).append(".str_value IS NULL AND ").append(a).append(".num_value IN (");
    }
    boolean first = true;
    for (Object v : values) {
      sql.append(first ? "?" : ", ?");
      binds.add(family == AttributeValues.STRING ? v : AttributeValues.number(v));
      first = false;
    }
    sql.append(')');
    return true;
  }

  /**
   * On H2, bounds a string that must start with a prefix by the range it lies in, {@code [prefix, successor)}, which
   * H2 seeks in the value index: it does not seek a {@code LIKE} whose pattern is a parameter, and walked every name
   * of 10,000 models for {@code name like 'm-03%'}. H2 compares strings by UTF-16 code unit, so the successor (the
   * prefix with its last unit raised by one, after dropping trailing U+FFFF) bounds exactly the strings that start
   * with it. The {@code LIKE} stays, and decides. PostgreSQL orders strings by its collation, where such a range is
   * not the prefix's, so it gets none.
   */
  private void prefixRange(StringBuilder sql, List<Object> binds, String prefix, String a) {
    if (dialect != Dialect.H2 || prefix.isEmpty()) {
      return;
    }
    sql.append(" AND ").append(a).append(".str_value >= ?");
    binds.add(prefix);
    int end = prefix.length();
    while (end > 0 && prefix.charAt(end - 1) == Character.MAX_VALUE) {
      end--;
    }
    if (end > 0) {
      sql.append(" AND ").append(a).append(".str_value < ?");
      binds.add(prefix.substring(0, end - 1) + (char) (prefix.charAt(end - 1) + 1));
    }
  }

  /** A string attribute's whole value, from the row of the attribute table aliased {@code a}. */
  private static String whole(String a) {
    return "COALESCE(" + a + ".str_full, " + a + ".str_value)";
  }

  /** A string column with its ASCII letters, and only those, lower-cased. */
  private static String folded(String column) {
    return "TRANSLATE(" + column + ", '" + UPPER + "', '" + LOWER + "')";
  }

  /**
   * The start of a prefix that every string starting with it has in its indexed part: the prefix itself if it is
   * short enough, else its first {@link AttributeValues#EXACT_ON_INDEX} characters, for a range on the indexed part.
   */
  private static String onIndex(String prefix) {
    if (AttributeValues.exactOnIndex(prefix)) {
      return prefix;
    }
    int end = AttributeValues.EXACT_ON_INDEX;
    return prefix.substring(0, Character.isHighSurrogate(prefix.charAt(end - 1)) ? end - 1 : end);
  }

  /** Appends {@code ?, ?, ...} for the values and binds them. */
  private static void list(StringBuilder sql, List<Object> binds, List<Object> values) {
    for (int i = 0; i < values.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      binds.add(values.get(i));
    }
  }

  /** The literal text a LIKE pattern starts with, up to its first wildcard ({@code %} or {@code _}). */
  private static String literalPrefix(String pattern) {
    int i = 0;
    while (i < pattern.length() && pattern.charAt(i) != '%' && pattern.charAt(i) != '_') {
      i++;
    }
    return pattern.substring(0, i);
  }

  private void comparison(StringBuilder sql, List<Object> binds, String operator, Object value, String a) {
    char family = AttributeValues.family(AttributeValues.kind(value));
    if (family == AttributeValues.STRING) {
      String text = (String) value;
      sql.append(a).append(".kind = 's' AND ");
      if (AttributeValues.exactOnIndex(text)) {
        sql.append(a).append(".str_value ").append(operator).append(" ?");
        binds.add(text);
      } else if (operator.equals("=")) {
        // the indexed part, which the index seeks, then the whole string
        sql.append(a).append(".str_value = ? AND ").append(whole(a)).append(" = ?");
        binds.add(Attributes.orderedPrefix(text));
        binds.add(text);
      } else {
        sql.append(whole(a)).append(' ').append(operator).append(" ?");
        binds.add(text);
      }
    } else {
      if (family == AttributeValues.LONG) {
        sql.append(a).append(".kind IN ('l', 'd')");
      } else {
        sql.append(a).append(".kind = ?");
        binds.add(String.valueOf(family));
      }
      // A number's string is null: saying so lets the database seek the index to the number range.
      sql.append(" AND ").append(a).append(".str_value IS NULL AND ").append(a).append(".num_value ")
          .append(operator).append(" ?");
      binds.add(AttributeValues.number(value));
    }
  }

  private String operator(RecordQuery.Op op) {
    switch (op) {
      case EQ:
        return "=";
      case NE:
        return "<>";
      case LT:
        return "<";
      case LE:
        return "<=";
      case GT:
        return ">";
      case GE:
        return ">=";
      default:
        throw new IllegalArgumentException("no SQL operator for " + op);
    }
  }

  /** The parts of an ordered query, in the order their records come. */
  enum OrderPart {
    NUMBERS,
    STRINGS,
    ABSENT
  }

  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
