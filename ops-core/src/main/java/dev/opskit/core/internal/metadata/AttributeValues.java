package dev.opskit.core.internal.metadata;

import dev.opskit.store.Attributes;
import dev.opskit.store.RecordQuery;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The comparison rules every store follows, written once for the in-memory store and mirrored in SQL by the JDBC
 * store. Values compare only within their kind: strings with strings, numbers (longs and doubles) with numbers,
 * instants with instants, booleans with booleans.
 */
final class AttributeValues {
  /** Kinds, as stored in the {@code kind} column. */
  static final char STRING = 's';
  static final char BOOLEAN = 'b';
  static final char LONG = 'l';
  static final char DOUBLE = 'd';
  static final char INSTANT = 't';

  private AttributeValues() {}

  static char kind(Object value) {
    if (value instanceof String) {
      return STRING;
    } else if (value instanceof Boolean) {
      return BOOLEAN;
    } else if (value instanceof Long) {
      return LONG;
    } else if (value instanceof Double) {
      return DOUBLE;
    } else if (value instanceof Instant) {
      return INSTANT;
    }
    throw new IllegalArgumentException("not a normalized attribute value: " + value.getClass().getName());
  }

  /** The family a kind compares within: numbers share one. */
  static char family(char kind) {
    return kind == DOUBLE ? LONG : kind;
  }

  /** The numeric form used for ordering and comparison: epoch microseconds for instants, 0/1 for booleans. */
  static @Nullable Double number(Object value) {
    if (value instanceof Long) {
      return ((Long) value).doubleValue();
    } else if (value instanceof Double) {
      return (Double) value;
    } else if (value instanceof Instant) {
      return (double) micros((Instant) value);
    } else if (value instanceof Boolean) {
      return (Boolean) value ? 1.0 : 0.0;
    }
    return null;
  }

  static long micros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }

  static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** Compares two values of the same family; strings by UTF-16 code units, like Java and H2. */
  static int compare(Object a, Object b) {
    if (a instanceof String && b instanceof String) {
      return ((String) a).compareTo((String) b);
    }
    if (a instanceof Long && b instanceof Long) {
      return Long.compare((Long) a, (Long) b);
    }
    if (a instanceof Instant && b instanceof Instant) {
      return ((Instant) a).compareTo((Instant) b);
    }
    return Double.compare(number(a), number(b));
  }

  /** Tells whether a record's attributes satisfy a filter. */
  static boolean matches(Map<String, Object> attributes, RecordQuery.Filter filter) {
    if (filter.op() == RecordQuery.Op.DISTINCT_FROM) {
      return !matches(attributes, new RecordQuery.Filter(filter.attribute(), RecordQuery.Op.EQ, filter.value()));
    }
    Object actual = attributes.get(filter.attribute());
    if (actual == null) {
      return false;
    }
    RecordQuery.Op op = filter.op();
    if (op == RecordQuery.Op.EXISTS) {
      return true;
    }
    if (op == RecordQuery.Op.IN) {
      for (Object candidate : (Collection<?>) filter.value()) {
        if (sameFamily(actual, candidate) && compare(actual, candidate) == 0) {
          return true;
        }
      }
      return false;
    }
    if (op == RecordQuery.Op.PREFIX) {
      return actual instanceof String && ((String) actual).startsWith((String) filter.value());
    }
    if (op == RecordQuery.Op.LIKE || op == RecordQuery.Op.ILIKE) {
      return actual instanceof String && like((String) actual, (String) filter.value(), op == RecordQuery.Op.ILIKE);
    }
    Object operand = filter.value();
    if (!sameFamily(actual, operand)) {
      return false;
    }
    int c = compare(actual, operand);
    switch (op) {
      case EQ:
        return c == 0;
      case NE:
        return c != 0;
      case LT:
        return c < 0;
      case LE:
        return c <= 0;
      case GT:
        return c > 0;
      case GE:
        return c >= 0;
      default:
        throw new IllegalStateException("unknown op " + op);
    }
  }

  /**
   * Whether a value matches a {@link RecordQuery.Op#LIKE} pattern: {@code %} any run, {@code _} one character (a
   * UTF-16 char, as SQL databases count a BMP character), everything else itself; with {@code asciiCase}, ASCII letters
   * compare case-insensitively.
   */
  static boolean like(String value, String pattern, boolean asciiCase) {
    String v = asciiCase ? asciiLower(value) : value;
    String p = asciiCase ? asciiLower(pattern) : pattern;
    // the classic two-pointer match with backtracking to the last %: linear in practice, no regex to build
    int vi = 0;
    int pi = 0;
    int star = -1;
    int mark = 0;
    while (vi < v.length()) {
      if (pi < p.length() && (p.charAt(pi) == '_' || p.charAt(pi) != '%' && p.charAt(pi) == v.charAt(vi))) {
        vi++;
        pi++;
      } else if (pi < p.length() && p.charAt(pi) == '%') {
        star = pi++;
        mark = vi;
      } else if (star >= 0) {
        pi = star + 1;
        vi = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '%') {
      pi++;
    }
    return pi == p.length();
  }

  /** Lower-cases the ASCII letters only. */
  static String asciiLower(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (out == null) {
          out = new StringBuilder(s);
        }
        out.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return out == null ? s : out.toString();
  }

  static boolean sameFamily(Object a, Object b) {
    return family(kind(a)) == family(kind(b));
  }

  /**
   * Orders records by an attribute: present values first, numbers (and instants and booleans) before strings, then
   * by value in the given direction; records without the attribute last; ties by key, ascending.
   */
  static <R> Comparator<R> ordering(String attribute, boolean ascending,
      java.util.function.Function<R, Map<String, Object>> attributesOf, java.util.function.Function<R, String> keyOf) {
    return (x, y) -> {
      Object a = attributesOf.apply(x).get(attribute);
      Object b = attributesOf.apply(y).get(attribute);
      int c = compareForOrder(a, b, ascending);
      if (c != 0) {
        return c;
      }
      int k = keyOf.apply(x).compareTo(keyOf.apply(y));
      return ascending ? k : -k;
    };
  }

  /**
   * Orders records as a query asks: by its attribute as {@link #ordering(String, boolean, java.util.function.Function,
   * java.util.function.Function)} does, the ties by each further key in its own direction (missing values last), and
   * the last ties by key in the first key's direction.
   */
  static <R> Comparator<R> ordering(String attribute, boolean ascending, List<RecordQuery.Order> thenBy,
      java.util.function.Function<R, Map<String, Object>> attributesOf, java.util.function.Function<R, String> keyOf) {
    return (x, y) -> {
      Map<String, Object> ax = attributesOf.apply(x);
      Map<String, Object> ay = attributesOf.apply(y);
      int c = compareForOrder(ax.get(attribute), ay.get(attribute), ascending);
      for (int i = 0; c == 0 && i < thenBy.size(); i++) {
        RecordQuery.Order o = thenBy.get(i);
        c = compareForOrder(ax.get(o.attribute()), ay.get(o.attribute()), o.ascending());
      }
      if (c != 0) {
        return c;
      }
      int k = keyOf.apply(x).compareTo(keyOf.apply(y));
      return ascending ? k : -k;
    };
  }

  /** Compares two values of one family as an order does: 0 when they tie. */
  static int compareForTie(Object a, Object b) {
    return compareForOrder(a, b, true);
  }

  private static int compareForOrder(@Nullable Object a, @Nullable Object b, boolean ascending) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    Double na = number(a);
    Double nb = number(b);
    if (na != null && nb != null) {
      int c = Double.compare(na, nb);
      return ascending ? c : -c;
    }
    if (na != null || nb != null) {
      return na != null ? -1 : 1;
    }
    // the stores' indexes hold a string's ordered prefix, so an order by a string compares those
    int c = Attributes.orderedPrefix((String) a).compareTo(Attributes.orderedPrefix((String) b));
    return ascending ? c : -c;
  }

  /**
   * The longest operand whose comparison with a string's indexed part ({@link Attributes#orderedPrefix}) gives the
   * same answer as with the whole string: an indexed part that was cut holds at least {@code ORDERED_LENGTH - 1}
   * characters, so an operand at least one shorter differs from it, or is a proper prefix of it, within the part.
   */
  static final int EXACT_ON_INDEX = Attributes.ORDERED_LENGTH - 2;

  /**
   * The most characters of a {@code LIKE} pattern's fixed start whose match is decided within an indexed part: half of
   * {@link #EXACT_ON_INDEX}, as PostgreSQL matches {@code _} to a code point, which may take two chars.
   */
  static final int LIKE_EXACT_ON_INDEX = EXACT_ON_INDEX / 2;

  /** Whether comparing a string's indexed part with this operand gives the same answer as the whole string would. */
  static boolean exactOnIndex(String operand) {
    return operand.length() <= EXACT_ON_INDEX;
  }

  /**
   * Whether a {@code LIKE} pattern matches a string's indexed part exactly when it matches the whole string: a pattern
   * without {@code %} of at most {@value #LIKE_EXACT_ON_INDEX} characters (it matches no string as long as a cut one),
   * or such a start followed only by {@code %} (decided by the string's first characters).
   */
  static boolean likeExactOnIndex(String pattern) {
    int wildcard = pattern.indexOf('%');
    if (wildcard < 0) {
      return pattern.length() <= LIKE_EXACT_ON_INDEX;
    }
    for (int i = wildcard; i < pattern.length(); i++) {
      if (pattern.charAt(i) != '%') {
        return false;
      }
    }
    return wildcard <= LIKE_EXACT_ON_INDEX;
  }
}
