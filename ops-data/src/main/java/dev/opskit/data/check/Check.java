package dev.opskit.data.check;

import dev.opskit.data.internal.stats.Values;
import dev.opskit.pipeline.DatasetCheck;
import dev.opskit.pipeline.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apiguardian.api.API;

/**
 * The common expectations on dataset content. Each factory returns a check of severity {@link Severity#ERROR};
 * {@link #warn()} returns a copy that only warns:
 *
 * <pre>{@code
 * Dataset<Rows<Customer>> clean = Datasets.jsonLines("customers/clean", Customer.class).withChecks(
 *     Check.notNull("id"),
 *     Check.unique("id"),
 *     Check.inRange("age", 0, 130).warn(),
 *     Check.matches("email", "[^@]+@[^@]+"),
 *     Check.rowCount(1, 10_000_000));
 * }</pre>
 *
 * <p>Checks see every row of a version once, as the catalog stores it, and cost a map lookup and a comparison per
 * row. A failed check reports how many rows failed, up to 5 of them (as {@code row 17: id=null}, rows numbered from
 * 1), and what was expected.
 *
 * <p><b>Nulls.</b> {@link #notNull} fails rows where the column is null or missing. The value checks
 * ({@link #inRange}, {@link #matches}, {@link #inSet}) and {@link #unique} ignore nulls: combine them with
 * {@code notNull} to forbid nulls.
 *
 * <p>Checks are immutable and thread-safe; each {@link #begin() evaluation} is used by one thread.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public abstract class Check implements DatasetCheck {
  private static final int MAX_SET_NAME = 80;

  private final String name;
  private final Severity severity;

  Check(String name, Severity severity) {
    this.name = name;
    this.severity = severity;
  }

  /**
   * Expects a column to hold a value in every row: a null value or a missing column fails the row.
   *
   * @param column the column name
   * @return the check, named {@code not_null(column)}
   */
  public static Check notNull(String column) {
    requireColumn(column, "column");
    return new NotNullCheck("not_null(" + column + ")", Severity.ERROR, column);
  }

  /**
   * Expects the values of one or more columns to be unique together: a row whose key already appeared fails. Rows with
   * a null in any key column are skipped, as in SQL.
   *
   * <p>Exact, with bounded memory: each key is kept as its 128-bit hash in an open-addressing table, 21 to 43 bytes per
   * distinct key (about 32 on average; 32 MB per million rows). Two distinct keys collide with probability about
   * 2<sup>-128</sup>, so for n keys a false duplicate has probability about n<sup>2</sup>/2<sup>129</sup>. Numbers
   * compare by value: {@code 1} and {@code 1.0} are the same key.
   *
   * @param columns the key columns, at least one
   * @return the check, named {@code unique(a, b)}
   */
  public static Check unique(String... columns) {
    Objects.requireNonNull(columns, "columns");
    if (columns.length == 0) {
      throw new IllegalArgumentException("columns must name at least one column");
    }
    for (int i = 0; i < columns.length; i++) {
      requireColumn(columns[i], "columns[" + i + "]");
    }
    String[] copy = columns.clone();
    return new UniqueCheck("unique(" + String.join(", ", copy) + ")", Severity.ERROR, copy);
  }

  /**
   * Expects a column's numbers to lie between two bounds, inclusive. A value that is not a number (a string, even one
   * that reads as a number, or a boolean) fails, as does NaN; nulls are ignored.
   *
   * @param column the column name
   * @param min the smallest allowed value; may be negative infinity
   * @param max the largest allowed value; may be positive infinity
   * @return the check, named {@code in_range(column, min, max)}
   */
  public static Check inRange(String column, double min, double max) {
    requireColumn(column, "column");
    if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
      throw new IllegalArgumentException("min must not exceed max, and neither may be NaN; got min " + min
          + " and max " + max);
    }
    String range = "[" + Values.number(min) + ", " + Values.number(max) + "]";
    return new ColumnValueCheck("in_range(" + column + ", " + Values.number(min) + ", " + Values.number(max) + ")",
        Severity.ERROR, column, "to be in " + range, "are in " + range, () -> value -> {
          if (value instanceof Number n) {
            double d = n.doubleValue();
            return d >= min && d <= max;
          }
          return false;
        });
  }

  /**
   * Expects a column's strings to match a regular expression entirely ({@link java.util.regex.Matcher#matches()}; use
   * {@code .*} around a pattern to find it anywhere). A value that is not a string fails; nulls are ignored.
   *
   * @param column the column name
   * @param regex the pattern, in {@link Pattern} syntax
   * @return the check, named {@code matches(column, regex)}
   */
  public static Check matches(String column, String regex) {
    requireColumn(column, "column");
    Objects.requireNonNull(regex, "regex");
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("regex is not a valid pattern: " + regex + " (" + e.getDescription() + ")",
          e);
    }
    return new ColumnValueCheck("matches(" + column + ", " + regex + ")", Severity.ERROR, column,
        "to match " + regex, "match " + regex, () -> {
          Matcher matcher = pattern.matcher("");
          return value -> value instanceof String s && matcher.reset(s).matches();
        });
  }

  /**
   * Expects a column's values to be among the allowed ones. Numbers compare by value ({@code 1} matches {@code 1L}
   * and {@code 1.0}); strings are case-sensitive; nulls are ignored.
   *
   * @param column the column name
   * @param allowed the allowed values: strings, numbers or booleans, at least one
   * @return the check, named {@code in_set(column, {…})}
   */
  public static Check inSet(String column, Set<?> allowed) {
    requireColumn(column, "column");
    Objects.requireNonNull(allowed, "allowed");
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException("allowed must hold at least one value");
    }
    Set<Object> canonical = new LinkedHashSet<>();
    List<String> rendered = new ArrayList<>();
    for (Object v : allowed) {
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw new IllegalArgumentException("allowed values must be strings, numbers or booleans, got " + v
            + (v == null ? "" : " (" + v.getClass().getName() + ")"));
      }
      if (canonical.add(Values.canonical(v))) {
        rendered.add(Values.render(v));
      }
    }
    rendered.sort(null);
    String values = "{" + String.join(", ", rendered) + "}";
    String shown = values.length() <= MAX_SET_NAME ? values : "{" + rendered.size() + " values}";
    Set<Object> frozen = Set.copyOf(canonical);
    return new ColumnValueCheck("in_set(" + column + ", " + shown + ")", Severity.ERROR, column, "to be in " + shown,
        "are in " + shown,
        () -> value -> value instanceof String ? frozen.contains(value) : frozen.contains(Values.canonical(value)));
  }

  /**
   * Expects a column's values to be among the allowed strings.
   *
   * @param column the column name
   * @param allowed the allowed values, at least one
   * @return the check, named {@code in_set(column, {…})}
   * @see #inSet(String, Set)
   */
  public static Check inSet(String column, String... allowed) {
    Objects.requireNonNull(allowed, "allowed");
    return inSet(column, new LinkedHashSet<>(Arrays.asList(allowed)));
  }

  /**
   * Expects the number of rows to lie between two bounds, inclusive.
   *
   * @param min the fewest rows allowed
   * @param max the most rows allowed
   * @return the check, named {@code row_count(min, max)}
   */
  public static Check rowCount(long min, long max) {
    if (min < 0 || min > max) {
      throw new IllegalArgumentException("min must be between 0 and max, got min " + min + " and max " + max);
    }
    return new RowCountCheck("row_count(" + min + ", " + max + ")", Severity.ERROR, min, max);
  }

  /**
   * Expects every row to satisfy a predicate. A row for which the predicate returns false or throws fails.
   *
   * @param name the check's name, unique among the dataset's checks
   * @param predicate the expectation; called once per row, by one thread per evaluation
   * @return the check
   */
  public static Check rows(String name, Predicate<? super Map<String, Object>> predicate) {
    requireName(name);
    Objects.requireNonNull(predicate, "predicate");
    return new RowPredicateCheck(name, Severity.ERROR, predicate);
  }

  /**
   * Expects the whole value of a dataset that is not tabular to satisfy a predicate. A value of another type, a
   * predicate that throws, or a version whose value was never seen (a tabular one) fails.
   *
   * <pre>{@code
   * Check.value("auc_recorded", ChurnModel.class, m -> m.auc() > 0)
   * }</pre>
   *
   * @param name the check's name, unique among the dataset's checks
   * @param type the value's type
   * @param predicate the expectation
   * @param <T> the value's type
   * @return the check
   */
  public static <T> Check value(String name, Class<T> type, Predicate<? super T> predicate) {
    requireName(name);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(predicate, "predicate");
    return new ValuePredicateCheck<>(name, Severity.ERROR, type, predicate);
  }

  /**
   * Returns a copy of this check that only warns: a failure is recorded with the version, which stays usable.
   *
   * @return the copy, of severity {@link Severity#WARN}
   */
  public final Check warn() {
    return withSeverity(Severity.WARN);
  }

  /**
   * Returns a copy of this check whose failure quarantines the version.
   *
   * @return the copy, of severity {@link Severity#ERROR}
   */
  public final Check error() {
    return withSeverity(Severity.ERROR);
  }

  /**
   * Returns a copy of this check with another severity.
   *
   * @param severity the severity
   * @return the copy, or this check if the severity is the same
   */
  public final Check withSeverity(Severity severity) {
    Objects.requireNonNull(severity, "severity");
    return severity == this.severity ? this : copy(name, severity);
  }

  /**
   * Returns a copy of this check under another name, to tell apart two checks that would otherwise share one.
   *
   * @param name the new name
   * @return the copy
   */
  public final Check named(String name) {
    requireName(name);
    return name.equals(this.name) ? this : copy(name, severity);
  }

  abstract Check copy(String name, Severity severity);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Severity severity() {
    return severity;
  }

  @Override
  public String toString() {
    return name + " [" + severity + "]";
  }

  private static void requireColumn(String column, String parameter) {
    if (column == null || column.isEmpty()) {
      throw new IllegalArgumentException(parameter + " must be a column name, got " + column);
    }
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, got " + (name == null ? null : "'" + name + "'"));
    }
  }
}
