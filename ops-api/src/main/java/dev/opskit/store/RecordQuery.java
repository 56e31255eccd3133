package dev.opskit.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A query over one collection: attribute filters (all must hold), optionally a key prefix, an order, and a page.
 *
 * <pre>{@code
 * RecordQuery q = RecordQuery.in("run")
 *     .where("pipeline", Op.EQ, "churn")
 *     .where("started_at", Op.GE, since)
 *     .orderBy("started_at", false)
 *     .limit(50);
 * }</pre>
 *
 * <p>Records without the ordering attribute come last; ties are broken by key in the same direction, so the order is
 * total, pages do not overlap, and records with time-ordered keys come newest first in a descending order even when
 * their times are equal. Strings are ordered by their first {@value Attributes#ORDERED_LENGTH} characters
 * ({@link Attributes#orderedPrefix}); filters compare them whole. Immutable.
 *
 * <p>Further keys ({@link #thenBy}) order the records that tie on the keys before them, each in its own direction and
 * with its own missing values last; the key, in the first key's direction, still breaks the last ties. A store walks
 * the first key's index in order; the further keys order only each run of equal first values, which stays cheap when
 * such runs are short (a time, a metric) and costs a sort of the run when they are long.
 *
 * <pre>{@code
 * RecordQuery q = RecordQuery.in("model-version")
 *     .orderBy("updated_at", false).thenBy("model", true).thenBy("number", false)
 *     .limit(50);
 * }</pre>
 *
 * <p>A key prefix is the query shape that stays fast whatever the collection's size: records whose keys share a prefix
 * (for example {@code "churn/"} for the versions of one model) are a range of the store's primary key, and a query
 * ordered by key within it reads that range in order and stops at its page, with no sort and no join to find them.
 * Stores must answer it with such a range read.
 *
 * <pre>{@code
 * RecordQuery newestFirst = RecordQuery.in("model-version").keyPrefix("churn/").orderByKey(false).limit(50);
 * }</pre>
 *
 * @param collection the collection
 * @param filters conditions on attributes, all of which must hold
 * @param orderBy the attribute to order by, or null to order by key
 * @param ascending the direction, by the attribute or, without one, by key
 * @param limit the page size, 1 to {@value #MAX_LIMIT}
 * @param offset how many matching records to skip
 * @param keyPrefix what every matching key starts with, or null for any key
 * @param thenBy further keys, which order the records that tie on {@code orderBy}; empty without one
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public record RecordQuery(String collection, List<Filter> filters, @Nullable String orderBy, boolean ascending,
    int limit, long offset, @Nullable String keyPrefix, List<Order> thenBy) {
  /** The largest page. */
  public static final int MAX_LIMIT = 10_000;

  /** The most further keys a query takes. */
  public static final int MAX_THEN_BY = 4;

  /**
   * Checks and copies the components.
   *
   * @param collection the collection
   * @param filters the filters
   * @param orderBy the ordering attribute, or null
   * @param ascending the direction
   * @param limit the page size
   * @param offset the records to skip
   * @param keyPrefix the key prefix, or null
   * @param thenBy the further keys
   * @throws IllegalArgumentException naming the rule, if the page, the prefix or the further keys break it
   */
  public RecordQuery {
    Objects.requireNonNull(collection, "collection");
    thenBy = List.copyOf(thenBy);
    if (!thenBy.isEmpty() && orderBy == null) {
      throw new IllegalArgumentException("further keys " + thenBy + " need an attribute to order by first; an order "
          + "by key has no ties");
    }
    if (thenBy.size() > MAX_THEN_BY) {
      throw new IllegalArgumentException("a query takes at most " + MAX_THEN_BY + " further keys, got "
          + thenBy.size() + ": " + thenBy);
    }
    if (keyPrefix != null) {
      if (keyPrefix.isEmpty()) {
        throw new IllegalArgumentException("a key prefix must not be empty; leave it out to match every key");
      }
      Attributes.checkName(keyPrefix);
    }
    filters = List.copyOf(filters);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
  }

  /**
   * A query ordered by at most one attribute.
   *
   * @param collection the collection
   * @param filters the filters
   * @param orderBy the ordering attribute, or null
   * @param ascending the direction
   * @param limit the page size
   * @param offset the records to skip
   * @param keyPrefix the key prefix, or null
   */
  public RecordQuery(String collection, List<Filter> filters, @Nullable String orderBy, boolean ascending, int limit,
      long offset, @Nullable String keyPrefix) {
    this(collection, filters, orderBy, ascending, limit, offset, keyPrefix, List.of());
  }

  /**
   * A query without a key prefix.
   *
   * @param collection the collection
   * @param filters the filters
   * @param orderBy the ordering attribute, or null
   * @param ascending the direction
   * @param limit the page size
   * @param offset the records to skip
   */
  public RecordQuery(String collection, List<Filter> filters, @Nullable String orderBy, boolean ascending, int limit,
      long offset) {
    this(collection, filters, orderBy, ascending, limit, offset, null);
  }

  /**
   * Starts a query of every record of a collection, ordered by key, 100 at a time.
   *
   * @param collection the collection
   * @return the query
   */
  public static RecordQuery in(String collection) {
    return new RecordQuery(collection, List.of(), null, true, 100, 0, null, List.of());
  }

  /**
   * Keeps only the records whose keys start with a prefix: a range of the store's primary key.
   *
   * @param prefix what every matching key starts with, not empty
   * @return the new query
   * @throws IllegalArgumentException if the prefix is empty or not a valid key, naming the rule
   * @since 0.1.0
   */
  public RecordQuery keyPrefix(String prefix) {
    return new RecordQuery(collection, filters, orderBy, ascending, limit, offset,
        Objects.requireNonNull(prefix, "prefix"), thenBy);
  }

  /**
   * Orders by key, the default, in the given direction; replaces an attribute order and its further keys.
   *
   * @param ascendingOrder true for ascending
   * @return the new query
   * @since 0.1.0
   */
  public RecordQuery orderByKey(boolean ascendingOrder) {
    return new RecordQuery(collection, filters, null, ascendingOrder, limit, offset, keyPrefix, List.of());
  }

  /**
   * Adds a filter.
   *
   * @param attribute the attribute name
   * @param op the comparison
   * @param value the operand: a string, boolean, number or instant; for {@link Op#IN}, a collection of them
   * @return the new query
   */
  public RecordQuery where(String attribute, Op op, Object value) {
    List<Filter> more = new ArrayList<>(filters);
    more.add(new Filter(attribute, op, value));
    return new RecordQuery(collection, more, orderBy, ascending, limit, offset, keyPrefix, thenBy);
  }

  /**
   * Orders by an attribute; replaces the order, further keys included.
   *
   * @param attribute the attribute
   * @param ascendingOrder true for ascending
   * @return the new query
   */
  public RecordQuery orderBy(String attribute, boolean ascendingOrder) {
    return new RecordQuery(collection, filters, Attributes.checkName(attribute), ascendingOrder, limit, offset,
        keyPrefix, List.of());
  }

  /**
   * Adds a further key: the records that tie on every key before it are ordered by this attribute, those without it
   * last.
   *
   * @param attribute the attribute
   * @param ascendingOrder true for ascending
   * @return the new query
   * @throws IllegalArgumentException if the query is ordered by key (no ties), the attribute is already a key, or
   *     there would be more than {@value #MAX_THEN_BY} further keys
   * @since 0.1.0
   */
  public RecordQuery thenBy(String attribute, boolean ascendingOrder) {
    Attributes.checkName(attribute);
    if (attribute.equals(orderBy) || thenBy.stream().anyMatch(o -> o.attribute().equals(attribute))) {
      throw new IllegalArgumentException("attribute '" + attribute + "' is already a key of this order; a key "
          + "orders only once");
    }
    List<Order> more = new ArrayList<>(thenBy);
    more.add(new Order(attribute, ascendingOrder));
    return new RecordQuery(collection, filters, orderBy, ascending, limit, offset, keyPrefix, more);
  }

  /**
   * Sets the page size.
   *
   * @param size 1 to {@value #MAX_LIMIT}
   * @return the new query
   */
  public RecordQuery limit(int size) {
    return new RecordQuery(collection, filters, orderBy, ascending, size, offset, keyPrefix, thenBy);
  }

  /**
   * Skips matching records.
   *
   * @param skip how many
   * @return the new query
   */
  public RecordQuery offset(long skip) {
    return new RecordQuery(collection, filters, orderBy, ascending, limit, skip, keyPrefix, thenBy);
  }

  /**
   * Returns the ordering attribute.
   *
   * @return the attribute, or empty when ordering by key
   */
  public Optional<String> order() {
    return Optional.ofNullable(orderBy);
  }

  /**
   * Returns the key prefix.
   *
   * @return the prefix, or empty when any key matches
   * @since 0.1.0
   */
  public Optional<String> prefix() {
    return Optional.ofNullable(keyPrefix);
  }

  /**
   * Whether a key is in this query's key range.
   *
   * @param key a record key
   * @return true if there is no prefix or the key starts with it
   * @since 0.1.0
   */
  public boolean matchesKey(String key) {
    return keyPrefix == null || key.startsWith(keyPrefix);
  }

  /**
   * A further key of an order.
   *
   * @param attribute the attribute
   * @param ascending its direction
   * @since 0.1.0
   */
  @API(status = API.Status.MAINTAINED, since = "0.1.0")
  public record Order(String attribute, boolean ascending) {
    /**
     * Checks the attribute.
     *
     * @param attribute the attribute
     * @param ascending the direction
     */
    public Order {
      Attributes.checkName(attribute);
    }

    @Override
    public String toString() {
      return attribute + (ascending ? " ASC" : " DESC");
    }
  }

  /**
   * A comparison.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.MAINTAINED, since = "0.1.0")
  public enum Op {
    /** Equal. */
    EQ,
    /** Not equal; records without the attribute do not match. */
    NE,
    /** Less than. */
    LT,
    /** Less than or equal. */
    LE,
    /** Greater than. */
    GT,
    /** Greater than or equal. */
    GE,
    /** Equal to one of a collection of values. */
    IN,
    /** A string attribute that starts with the operand. */
    PREFIX,
    /** The attribute is present, whatever its value; the operand is ignored. */
    EXISTS,
    /**
     * The attribute is absent or not equal to the operand, as SQL's {@code IS DISTINCT FROM}. This is the form for
     * leaving out a rare value (records that are not deleted: {@code where("deleted", DISTINCT_FROM, true)}): a store
     * checks it per record it reads, and never reads the many records with the common value to find them, which
     * {@code EQ false} would invite.
     *
     * @since 0.1.0
     */
    DISTINCT_FROM,
    /**
     * A string attribute that matches a pattern in which {@code %} stands for any run of characters (none included)
     * and {@code _} for exactly one; every other character, {@code \} included, stands for itself, so a pattern has
     * no escape and cannot match a literal {@code %} or {@code _} other than through a wildcard. The whole value must
     * match, as in SQL's {@code LIKE}. A character outside the Basic Multilingual Plane is one {@code _} on
     * PostgreSQL and two (its UTF-16 chars) on H2 and in memory.
     *
     * @since 0.1.0
     */
    LIKE,
    /**
     * As {@link #LIKE}, with the ASCII letters {@code A-Z} and {@code a-z} compared case-insensitively; every other
     * character compares exactly, so that every store gives the same answer whatever its collation.
     *
     * @since 0.1.0
     */
    ILIKE
  }

  /**
   * One condition.
   *
   * @param attribute the attribute name
   * @param op the comparison
   * @param value the operand
   * @since 0.1.0
   */
  @API(status = API.Status.MAINTAINED, since = "0.1.0")
  public record Filter(String attribute, Op op, Object value) {
    /**
     * Checks the components.
     *
     * @param attribute the attribute name
     * @param op the comparison
     * @param value the operand
     */
    public Filter {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
      if (op == Op.IN) {
        if (!(value instanceof Collection<?>) || ((Collection<?>) value).isEmpty()) {
          throw new IllegalArgumentException("IN needs a non-empty collection of values, got " + value);
        }
        List<Object> normalized = new ArrayList<>();
        for (Object v : (Collection<?>) value) {
          normalized.add(Attributes.check(attribute, v));
        }
        value = List.copyOf(normalized);
      } else if ((op == Op.PREFIX || op == Op.LIKE || op == Op.ILIKE) && !(value instanceof String)) {
        throw new IllegalArgumentException(op + " needs a string operand, got " + value.getClass().getName());
      } else if (op != Op.EXISTS) {
        value = Attributes.check(attribute, value);
      }
    }
  }
}
