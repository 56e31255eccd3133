package dev.opskit.data.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.DatasetCheck;
import dev.opskit.pipeline.Severity;
import dev.opskit.pipeline.ValidationReport;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CheckTest {
  /** Feeds rows to a fresh evaluation, as the catalog does. */
  static CheckResult run(DatasetCheck check, List<Map<String, Object>> rows) {
    DatasetCheck.Evaluation evaluation = check.begin();
    rows.forEach(evaluation::row);
    return evaluation.end(rows.size());
  }

  /** Rows of one column, in order; a Java null is a null value, {@link #MISSING} a missing column. */
  static List<Map<String, Object>> column(String name, Object... values) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Object v : values) {
      Map<String, Object> row = new LinkedHashMap<>();
      if (v != MISSING) {
        row.put(name, v);
      }
      rows.add(row);
    }
    return rows;
  }

  static final Object MISSING = new Object();

  static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      row.put((String) keyValues[i], keyValues[i + 1]);
    }
    return row;
  }

  @Nested
  class NotNull {
    @Test
    void failsNullAndMissingValuesWithSamples() {
      CheckResult r = run(Check.notNull("id"), column("id", 1, null, MISSING, 2, ""));

      assertThat(r.check()).isEqualTo("not_null(id)");
      assertThat(r.severity()).isEqualTo(Severity.ERROR);
      assertThat(r.passed()).isFalse();
      assertThat(r.blocks()).isTrue();
      assertThat(r.failingRows()).isEqualTo(2);
      assertThat(r.samples()).containsExactly("row 2: id=null", "row 3: id missing");
      assertThat(r.message()).isEqualTo("expected id in every row, found 2 of 5 rows with it null or missing");
    }

    @Test
    void passesWhenEveryRowHasTheColumn() {
      CheckResult r = run(Check.notNull("id"), column("id", 1, "x", false, 0.0));

      assertThat(r.passed()).isTrue();
      assertThat(r.failingRows()).isZero();
      assertThat(r.samples()).isEmpty();
      assertThat(r.message()).isEqualTo("no nulls in id in 4 rows");
    }

    @Test
    void keepsOnlyTheFirstFiveSamples() {
      Object[] values = new Object[12];
      CheckResult r = run(Check.notNull("id"), column("id", values));

      assertThat(r.failingRows()).isEqualTo(12);
      assertThat(r.samples()).containsExactly("row 1: id=null", "row 2: id=null", "row 3: id=null",
          "row 4: id=null", "row 5: id=null");
    }

    @Test
    void passesOnNoRows() {
      assertThat(run(Check.notNull("id"), List.of()).passed()).isTrue();
    }
  }

  @Nested
  class Unique {
    @Test
    void countsEveryRowThatRepeatsAnEarlierKey() {
      CheckResult r = run(Check.unique("id"), column("id", 1, 2, 1, 3, 2, 1));

      assertThat(r.check()).isEqualTo("unique(id)");
      assertThat(r.passed()).isFalse();
      assertThat(r.failingRows()).isEqualTo(3);
      assertThat(r.samples()).containsExactly("row 3: id=1", "row 5: id=2", "row 6: id=1");
      assertThat(r.message()).isEqualTo(
          "expected each id to be unique, found 3 of 6 rows repeating an earlier key, 3 distinct keys");
    }

    @Test
    void comparesNumbersByValueAndStringsApartFromNumbers() {
      CheckResult r = run(Check.unique("id"), column("id", 1, 1L, 1.0, new BigDecimal("1.00"), "1", 1.5, 1.5f));

      assertThat(r.failingRows()).isEqualTo(4);
      assertThat(r.samples()).containsExactly("row 2: id=1", "row 3: id=1", "row 4: id=1.00", "row 7: id=1.5");
    }

    @Test
    void combinesColumnsIntoOneKey() {
      List<Map<String, Object>> rows = List.of(row("a", 1, "b", "x"), row("a", 1, "b", "y"), row("a", 2, "b", "x"),
          row("a", 1, "b", "x"), row("a", "1x", "b", ""), row("a", "1", "b", "x"));

      CheckResult r = run(Check.unique("a", "b"), rows);

      assertThat(r.check()).isEqualTo("unique(a, b)");
      assertThat(r.failingRows()).isEqualTo(1);
      assertThat(r.samples()).containsExactly("row 4: a=1, b=\"x\"");
      assertThat(r.message()).startsWith("expected each (a, b) to be unique, found 1 of 6 rows");
    }

    @Test
    void skipsRowsWithANullInTheKey() {
      List<Map<String, Object>> rows = List.of(row("a", null, "b", 1), row("a", null, "b", 1), row("a", 1),
          row("a", 1, "b", 1), row("a", 1));

      CheckResult r = run(Check.unique("a", "b"), rows);

      assertThat(r.passed()).isTrue();
      assertThat(r.message()).isEqualTo("no repeated (a, b) in 5 rows (4 rows with a null key skipped)");
    }

    @Test
    void isExactOverManyKeys() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 200_000; i++) {
        rows.add(row("id", "user-" + i));
      }
      for (int i = 0; i < 200_000; i += 1000) {
        rows.add(row("id", "user-" + i));
      }

      CheckResult r = run(Check.unique("id"), rows);

      assertThat(r.failingRows()).isEqualTo(200);
      assertThat(r.samples()).containsExactly("row 200001: id=\"user-0\"", "row 200002: id=\"user-1000\"",
          "row 200003: id=\"user-2000\"", "row 200004: id=\"user-3000\"", "row 200005: id=\"user-4000\"");
    }

    @Test
    void startsAfreshForEachVersion() {
      Check check = Check.unique("id");
      assertThat(run(check, column("id", 1, 2)).passed()).isTrue();
      assertThat(run(check, column("id", 1, 2)).passed()).isTrue();
    }
  }

  @Nested
  class InRange {
    @Test
    void failsValuesOutsideTheBoundsAndNonNumbersAndIgnoresNulls() {
      CheckResult r = run(Check.inRange("age", 0, 10),
          column("age", 5, -1, 10.5, "7", null, true, Double.NaN, 0, 10L, MISSING, new BigDecimal("10.0")));

      assertThat(r.check()).isEqualTo("in_range(age, 0, 10)");
      assertThat(r.failingRows()).isEqualTo(5);
      assertThat(r.samples()).containsExactly("row 2: age=-1", "row 3: age=10.5", "row 4: age=\"7\"",
          "row 6: age=true", "row 7: age=NaN");
      assertThat(r.message()).isEqualTo("expected age to be in [0, 10], found 5 of 9 non-null values that do not");
    }

    @Test
    void passesWhenAllNumbersAreInside() {
      CheckResult r = run(Check.inRange("p", 0.5, Double.POSITIVE_INFINITY), column("p", 0.5, 1e300, null));

      assertThat(r.check()).isEqualTo("in_range(p, 0.5, Infinity)");
      assertThat(r.passed()).isTrue();
      assertThat(r.message()).isEqualTo("all 2 non-null values of p are in [0.5, Infinity]");
    }

    @Test
    void rendersNumbersCompactly() {
      CheckResult r = run(Check.inRange("v", 0, 0), column("v", 0.1f, 2.0, 3e20, new BigDecimal("1.50"), 7L));

      assertThat(r.samples()).containsExactly("row 1: v=0.1", "row 2: v=2", "row 3: v=3.0E20", "row 4: v=1.50",
          "row 5: v=7");
    }

    @Test
    void rejectsBadBounds() {
      assertThatThrownBy(() -> Check.inRange("x", 2, 1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("min 2.0 and max 1.0");
      assertThatThrownBy(() -> Check.inRange("x", Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Check.inRange("", 0, 1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("column must be a column name, got ");
    }
  }

  @Nested
  class Matches {
    @Test
    void failsStringsThatDoNotMatchEntirelyAndNonStrings() {
      CheckResult r = run(Check.matches("email", "[^@]+@[^@]+"),
          column("email", "a@b.c", "nope", 42, null, "x@y", "@y", "a@b@c"));

      assertThat(r.check()).isEqualTo("matches(email, [^@]+@[^@]+)");
      assertThat(r.failingRows()).isEqualTo(4);
      assertThat(r.samples()).containsExactly("row 2: email=\"nope\"", "row 3: email=42", "row 6: email=\"@y\"",
          "row 7: email=\"a@b@c\"");
      assertThat(r.message()).isEqualTo(
          "expected email to match [^@]+@[^@]+, found 4 of 6 non-null values that do not");
    }

    @Test
    void matchesTheWholeValue() {
      assertThat(run(Check.matches("s", "a@b"), column("s", "xa@b")).failingRows()).isEqualTo(1);
      assertThat(run(Check.matches("s", ".*a@b.*"), column("s", "xa@by")).passed()).isTrue();
    }

    @Test
    void rendersLongAndSpecialStringsCompactly() {
      CheckResult r = run(Check.matches("s", "\\d+"), column("s", "line\n\"quoted\"", "x".repeat(100)));

      assertThat(r.samples()).containsExactly("row 1: s=\"line\\n\\\"quoted\\\"\"",
          "row 2: s=\"" + "x".repeat(40) + "…\"");
    }

    @Test
    void rejectsAnInvalidPattern() {
      assertThatThrownBy(() -> Check.matches("s", "(")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("regex is not a valid pattern: (");
    }
  }

  @Nested
  class InSet {
    @Test
    void failsStringsOutsideTheSet() {
      CheckResult r = run(Check.inSet("status", "B", "A"), column("status", "A", "C", "B", null, "a"));

      assertThat(r.check()).isEqualTo("in_set(status, {\"A\", \"B\"})");
      assertThat(r.failingRows()).isEqualTo(2);
      assertThat(r.samples()).containsExactly("row 2: status=\"C\"", "row 5: status=\"a\"");
      assertThat(r.message()).isEqualTo(
          "expected status to be in {\"A\", \"B\"}, found 2 of 4 non-null values that do not");
    }

    @Test
    void comparesNumbersByValue() {
      CheckResult r = run(Check.inSet("n", Set.of(1, 2.5)), column("n", 1L, 1.0, 2.5, 3, "1", 2.5f, true));

      assertThat(r.failingRows()).isEqualTo(3);
      assertThat(r.samples()).containsExactly("row 4: n=3", "row 5: n=\"1\"", "row 7: n=true");
    }

    @Test
    void namesLargeSetsByTheirSize() {
      Set<Integer> many = new java.util.TreeSet<>();
      for (int i = 0; i < 50; i++) {
        many.add(i);
      }
      assertThat(Check.inSet("n", many).name()).isEqualTo("in_set(n, {50 values})");
    }

    @Test
    void rejectsEmptyOrUnsupportedAllowedValues() {
      assertThatThrownBy(() -> Check.inSet("n", Set.of())).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("allowed must hold at least one value");
      assertThatThrownBy(() -> Check.inSet("n", Set.of(List.of(1)))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("allowed values must be strings, numbers or booleans, got [1]");
    }
  }

  @Nested
  class RowCount {
    @Test
    void comparesTheRowCountWithTheBounds() {
      Check check = Check.rowCount(1, 10);

      CheckResult empty = check.begin().end(0);
      CheckResult ok = check.begin().end(10);

      assertThat(check.name()).isEqualTo("row_count(1, 10)");
      assertThat(empty.passed()).isFalse();
      assertThat(empty.failingRows()).isZero();
      assertThat(empty.message()).isEqualTo("expected between 1 and 10 rows, found 0");
      assertThat(ok.passed()).isTrue();
      assertThat(ok.message()).isEqualTo("10 rows, between 1 and 10");
    }

    @Test
    void rejectsBadBounds() {
      assertThatThrownBy(() -> Check.rowCount(5, 4)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("min must be between 0 and max, got min 5 and max 4");
    }
  }

  @Nested
  class Rows {
    @Test
    void failsRowsThePredicateRejectsOrThrowsOn() {
      Check check = Check.rows("price_positive", r -> ((Number) r.get("price")).doubleValue() > 0);
      List<Map<String, Object>> rows = List.of(row("id", 1, "price", 3.5), row("id", 2, "price", -1),
          row("id", 3, "price", null), row("id", 4, "price", 0));

      CheckResult r = run(check, rows);

      assertThat(r.check()).isEqualTo("price_positive");
      assertThat(r.failingRows()).isEqualTo(3);
      assertThat(r.samples()).hasSize(3);
      assertThat(r.samples().get(0)).isEqualTo("row 2: {id=2, price=-1}");
      assertThat(r.samples().get(1)).startsWith("row 3: {id=3, price=null} (threw NullPointerException: ")
          .endsWith("…)");
      assertThat(r.samples().get(2)).isEqualTo("row 4: {id=4, price=0}");
      assertThat(r.message()).isEqualTo(
          "expected every row to satisfy price_positive, found 3 of 4 rows that do not (the predicate threw on 1)");
    }

    @Test
    void passesWhenEveryRowSatisfiesThePredicate() {
      CheckResult r = run(Check.rows("has_id", m -> m.containsKey("id")), column("id", 1, 2));

      assertThat(r.passed()).isTrue();
      assertThat(r.message()).isEqualTo("all 2 rows satisfy has_id");
    }

    @Test
    void cutsLongRows() {
      Map<String, Object> wide = new LinkedHashMap<>();
      for (int i = 0; i < 40; i++) {
        wide.put("column" + i, i);
      }
      CheckResult r = run(Check.rows("never", m -> false), List.of(wide));

      assertThat(r.samples().get(0)).startsWith("row 1: {column0=0, column1=1, ").endsWith("…").hasSize(168);
    }
  }

  @Nested
  class Value {
    record Model(double auc) {}

    @Test
    void checksTheWholeValue() {
      Check check = Check.value("auc_positive", Model.class, m -> m.auc() > 0);

      DatasetCheck.Evaluation good = check.begin();
      good.value(new Model(0.8));
      DatasetCheck.Evaluation bad = check.begin();
      bad.value(new Model(0));

      assertThat(good.end(0).passed()).isTrue();
      CheckResult r = bad.end(0);
      assertThat(r.passed()).isFalse();
      assertThat(r.failingRows()).isZero();
      assertThat(r.samples()).containsExactly("Model[auc=0.0]");
      assertThat(r.message()).isEqualTo("expected the value to satisfy auc_positive, it does not");
    }

    @Test
    void failsAValueOfAnotherTypeOrNoValue() {
      Check check = Check.value("auc_positive", Model.class, m -> m.auc() > 0);

      DatasetCheck.Evaluation wrong = check.begin();
      wrong.value("a string");

      assertThat(wrong.end(0).message()).isEqualTo("expected a Model, found a String");
      CheckResult none = run(check, column("id", 1));
      assertThat(none.passed()).isFalse();
      assertThat(none.message()).startsWith("expected a whole value to check, but none was seen");
    }

    @Test
    void failsWhenThePredicateThrows() {
      Check check = Check.value("boom", Object.class, v -> {
        throw new IllegalStateException("no");
      });
      DatasetCheck.Evaluation e = check.begin();
      e.value(1);

      assertThat(e.end(0).message()).isEqualTo(
          "expected the value to satisfy boom, the predicate threw IllegalStateException: no");
    }
  }

  @Nested
  class Severities {
    @Test
    void warnReturnsAWarningCopyAndLeavesTheOriginal() {
      Check error = Check.notNull("id");
      Check warning = error.warn();

      CheckResult r = run(warning, column("id", (Object) null));

      assertThat(error.severity()).isEqualTo(Severity.ERROR);
      assertThat(warning.severity()).isEqualTo(Severity.WARN);
      assertThat(warning.name()).isEqualTo("not_null(id)");
      assertThat(r.severity()).isEqualTo(Severity.WARN);
      assertThat(r.passed()).isFalse();
      assertThat(r.blocks()).isFalse();
      assertThat(warning.error().severity()).isEqualTo(Severity.ERROR);
      assertThat(error.error()).isSameAs(error);
    }

    @Test
    void everyFactoryStartsAtErrorAndWarns() {
      List<Check> checks = List.of(Check.notNull("a"), Check.unique("a"), Check.inRange("a", 0, 1),
          Check.matches("a", "x"), Check.inSet("a", "x"), Check.rowCount(0, 1), Check.rows("r", m -> true),
          Check.value("v", Object.class, v -> true));
      for (Check c : checks) {
        assertThat(c.severity()).as(c.name()).isEqualTo(Severity.ERROR);
        assertThat(c.warn().severity()).as(c.name()).isEqualTo(Severity.WARN);
        assertThat(c.warn().name()).isEqualTo(c.name());
        assertThat(c.warn().getClass()).isEqualTo(c.getClass());
      }
    }

    @Test
    void namedRenamesACopy() {
      Check c = Check.inSet("status", "A").named("status_known").warn();

      assertThat(c.name()).isEqualTo("status_known");
      assertThat(c.severity()).isEqualTo(Severity.WARN);
      assertThat(run(c, column("status", "B")).check()).isEqualTo("status_known");
      assertThat(c).hasToString("status_known [WARN]");
    }

    @Test
    void aValidationReportShowsTheSamples() {
      List<Map<String, Object>> rows = column("id", 1, null, 1);
      ValidationReport report = new ValidationReport("customers", List.of(run(Check.notNull("id"), rows),
          run(Check.unique("id").warn(), rows)));

      assertThat(report.blocks()).isTrue();
      assertThat(report.summary()).isEqualTo("""
          ERROR not_null(id): expected id in every row, found 1 of 3 rows with it null or missing (1 rows, e.g. \
          row 2: id=null)
          WARN unique(id): expected each id to be unique, found 1 of 3 rows repeating an earlier key, 1 distinct \
          keys (1 rows with a null key skipped) (1 rows, e.g. row 3: id=1)""");
    }
  }

  @Test
  void rejectsBlankNamesAndColumns() {
    assertThatThrownBy(() -> Check.unique()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("columns must name at least one column");
    assertThatThrownBy(() -> Check.unique("a", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("columns[1] must be a column name, got null");
    assertThatThrownBy(() -> Check.rows(" ", m -> true)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, got ' '");
  }

  @Test
  void evaluatesRowsFromHashMapsToo() {
    Map<String, Object> r = new HashMap<>(Map.of("id", 1));
    assertThat(run(Check.notNull("id"), Arrays.asList(r, new HashMap<>())).failingRows()).isEqualTo(1);
  }
}
