package dev.opskit.data.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opskit.data.internal.stats.QuantileGrid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfilerTest {
  /** KLL with k 200: normalized rank error 1.65% at 99% confidence (DataSketches' documented bound). */
  static final double KLL_RANK_ERROR = 0.0165;

  static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      row.put((String) keyValues[i], keyValues[i + 1]);
    }
    return row;
  }

  static DatasetProfile profile(List<Map<String, Object>> rows) {
    Profiler profiler = Profiler.start();
    rows.forEach(profiler::accept);
    return profiler.finish();
  }

  static List<Map<String, Object>> smallTable() {
    return List.of(
        row("x", 1, "s", "a", "flag", true, "mixed", 1, "empty", null),
        row("x", 2L, "s", "b", "flag", false, "mixed", "x", "empty", null),
        row("x", 3.0, "s", "a", "flag", true, "mixed", true, "empty", null),
        row("x", 4, "s", null, "flag", true, "mixed", 2.5, "empty", null),
        row("x", null, "s", "a", "flag", null, "mixed", null, "empty", null),
        row("s", "c", "flag", true, "mixed", null, "empty", null, "late", 7));
  }

  @Test
  void computesExactStatisticsOfANumericColumn() {
    ColumnProfile x = profile(smallTable()).columns().get("x");

    assertThat(x.kind()).isEqualTo(ColumnKind.NUMERIC);
    assertThat(x.count()).isEqualTo(4);
    assertThat(x.nulls()).isEqualTo(2);
    assertThat(x.distinct()).isEqualTo(4);
    assertThat(x.min()).isEqualTo(1.0);
    assertThat(x.max()).isEqualTo(4.0);
    assertThat(x.mean()).isEqualTo(2.5);
    assertThat(x.stddev()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-15));
    assertThat(x.quantiles()).containsOnlyKeys("p01", "p05", "p25", "p50", "p75", "p95", "p99");
    assertThat(x.quantiles().keySet()).containsExactly("p01", "p05", "p25", "p50", "p75", "p95", "p99");
    assertThat(x.quantiles().get("p01")).isEqualTo(1.0);
    assertThat(x.quantiles().get("p50")).isEqualTo(2.0);
    assertThat(x.quantiles().get("p99")).isEqualTo(4.0);
    assertThat(x.top()).isEmpty();
    assertThat(x.other()).isZero();
    assertThat(x.sketch()).isNotNull();
  }

  @Test
  void countsFrequentValuesOfStringAndBooleanColumns() {
    DatasetProfile p = profile(smallTable());
    ColumnProfile s = p.columns().get("s");
    ColumnProfile flag = p.columns().get("flag");

    assertThat(s.kind()).isEqualTo(ColumnKind.STRING);
    assertThat(s.count()).isEqualTo(5);
    assertThat(s.nulls()).isEqualTo(1);
    assertThat(s.distinct()).isEqualTo(3);
    assertThat(s.top()).containsExactly(new ValueCount("a", 3), new ValueCount("b", 1), new ValueCount("c", 1));
    assertThat(s.other()).isZero();
    assertThat(s.min()).isNull();
    assertThat(s.mean()).isNull();
    assertThat(s.quantiles()).isEmpty();
    assertThat(s.sketch()).isNull();
    assertThat(flag.kind()).isEqualTo(ColumnKind.BOOLEAN);
    assertThat(flag.top()).containsExactly(new ValueCount("true", 4), new ValueCount("false", 1));
    assertThat(flag.distinct()).isEqualTo(2);
  }

  @Test
  void profilesMixedEmptyAndLateColumns() {
    DatasetProfile p = profile(smallTable());
    ColumnProfile mixed = p.columns().get("mixed");
    ColumnProfile empty = p.columns().get("empty");
    ColumnProfile late = p.columns().get("late");

    assertThat(p.rows()).isEqualTo(6);
    assertThat(p.columns().keySet()).containsExactly("x", "s", "flag", "mixed", "empty", "late");
    assertThat(mixed.kind()).isEqualTo(ColumnKind.MIXED);
    assertThat(mixed.count()).isEqualTo(4);
    assertThat(mixed.distinct()).isEqualTo(4);
    assertThat(mixed.mean()).isEqualTo(1.75);
    assertThat(mixed.stddev()).isCloseTo(Math.sqrt(2 * 0.75 * 0.75), within(1e-15));
    assertThat(mixed.top()).containsExactly(new ValueCount("true", 1), new ValueCount("x", 1));
    assertThat(mixed.categoricalCount()).isEqualTo(2);
    assertThat(empty.kind()).isEqualTo(ColumnKind.EMPTY);
    assertThat(empty.count()).isZero();
    assertThat(empty.nulls()).isEqualTo(6);
    assertThat(empty.distinct()).isZero();
    assertThat(empty.min()).isNull();
    assertThat(empty.stddev()).isNull();
    assertThat(empty.top()).isEmpty();
    assertThat(late.count()).isEqualTo(1);
    assertThat(late.nulls()).isEqualTo(5);
    assertThat(late.stddev()).as("one value has no sample standard deviation").isNull();
    assertThat(p.column("late")).contains(late);
    assertThat(p.column("nope")).isEmpty();
  }

  @Test
  void countsNanAndInfinityAsNulls() {
    ColumnProfile v = profile(List.of(row("v", Double.NaN), row("v", Double.POSITIVE_INFINITY), row("v", 2.0),
        row("v", Float.NEGATIVE_INFINITY))).columns().get("v");

    assertThat(v.count()).isEqualTo(1);
    assertThat(v.nulls()).isEqualTo(3);
    assertThat(v.mean()).isEqualTo(2.0);
  }

  @Test
  void matchesTheTextbookMeanAndStandardDeviationOnLargeData() {
    Random random = new Random(11);
    List<Map<String, Object>> rows = new ArrayList<>();
    double[] values = new double[50_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1e6 + random.nextGaussian() * 3;
      rows.add(row("v", values[i]));
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= values.length;
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }

    ColumnProfile v = profile(rows).columns().get("v");

    // Equal up to rounding, which scales with the magnitude of the values (1e6), not with their spread.
    assertThat(v.mean()).isCloseTo(mean, within(1e-12 * mean));
    assertThat(v.stddev()).isCloseTo(Math.sqrt(ss / (values.length - 1)), within(1e-12 * 1e6));
  }

  @Test
  void estimatesDistinctCountsWithinTheHyperLogLogError() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 300_000; i++) {
      rows.add(row("n", i % 100_000, "s", "user-" + (i % 50_000), "small", i % 300));
    }

    DatasetProfile p = profile(rows);

    // lgK 12: relative standard error 1.6%; 5% is three standard errors.
    assertThat(p.columns().get("n").distinct()).isCloseTo(100_000, within(5_000L));
    assertThat(p.columns().get("s").distinct()).isCloseTo(50_000, within(2_500L));
    assertThat(p.columns().get("small").distinct()).isCloseTo(300, within(3L));
  }

  @Test
  void estimatesQuantilesWithinTheKllError() {
    int n = 100_000;
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(i);
    }
    Collections.shuffle(values, new Random(5));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int v : values) {
      rows.add(row("v", v));
    }

    ColumnProfile v = profile(rows).columns().get("v");

    double[] ranks = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
    int i = 0;
    for (double q : v.quantiles().values()) {
      double trueRank = (q + 1) / n;
      assertThat(trueRank).as("rank of p%02.0f", ranks[i] * 100).isCloseTo(ranks[i], within(KLL_RANK_ERROR));
      i++;
    }
    QuantileGrid grid = QuantileGrid.decode(v.sketch());
    assertThat(v.distribution()).hasValueSatisfying(points -> assertThat(points).containsExactly(grid.points()));
    assertThat(grid.size()).isEqualTo(101);
    assertThat(grid.point(0)).isEqualTo(0);
    assertThat(grid.point(100)).isEqualTo(n - 1);
    for (int j = 1; j < 100; j++) {
      assertThat((grid.point(j) + 1) / n).as("grid point %d", j).isCloseTo(j / 100.0, within(KLL_RANK_ERROR));
    }
  }

  @Test
  void keepsTheTwentyMostFrequentValuesAndCountsTheRest() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int v = 0; v < 30; v++) {
      for (int k = 0; k <= v; k++) {
        rows.add(row("c", "v" + v));
      }
    }
    rows.add(row("c", "w".repeat(100)));

    ColumnProfile c = profile(rows).columns().get("c");

    assertThat(c.top()).hasSize(20);
    assertThat(c.top().get(0)).isEqualTo(new ValueCount("v29", 30));
    assertThat(c.top().get(19)).isEqualTo(new ValueCount("v10", 11));
    // 1 + 2 + ... + 10 for v0..v9, plus the long value.
    assertThat(c.other()).isEqualTo(55 + 1);
    assertThat(c.categoricalCount()).isEqualTo(c.count());
  }

  @Test
  void cutsLongValuesInTheFrequentList() {
    ColumnProfile c = profile(List.of(row("c", "w".repeat(100)), row("c", "w".repeat(90)))).columns().get("c");

    assertThat(c.top()).containsExactly(new ValueCount("w".repeat(63) + "…", 2));
    assertThat(c.distinct()).as("distinct values count in full").isEqualTo(2);
  }

  @Test
  void acceptsRowsWhoseColumnsComeInAnyOrder() {
    Map<String, Object> a = new HashMap<>(Map.of("p", 1, "q", "x"));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("q", "y");
    b.put("p", 2);
    b.put("r", true);

    DatasetProfile p = profile(List.of(a, b, a));

    assertThat(p.columns().get("p").count()).isEqualTo(3);
    assertThat(p.columns().get("p").mean()).isCloseTo(4.0 / 3, within(1e-15));
    assertThat(p.columns().get("q").top()).containsExactly(new ValueCount("x", 2), new ValueCount("y", 1));
    assertThat(p.columns().get("r").nulls()).isEqualTo(2);
  }

  @Test
  void profilesNoRows() {
    DatasetProfile p = Profiler.start().finish();

    assertThat(p.rows()).isZero();
    assertThat(p.columns()).isEmpty();
  }

  @Test
  void refusesRowsAfterFinishing() {
    Profiler profiler = Profiler.start();
    profiler.accept(row("a", 1));
    assertThat(profiler.rows()).isEqualTo(1);
    profiler.finish();

    assertThatThrownBy(() -> profiler.accept(row("a", 2))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("finished");
    assertThatThrownBy(profiler::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsInconsistentProfiles() {
    ColumnProfile a = profile(List.of(row("a", 1))).columns().get("a");

    assertThatThrownBy(() -> new DatasetProfile(1, Map.of("b", a))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("column 'b' holds the profile of column 'a'");
    assertThatThrownBy(() -> new DatasetProfile(-1, Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDistributionIsReadFromTheSketchAndAnUnreadableSketchIsNamed() {
    ColumnProfile x = profile(smallTable()).columns().get("x");
    double[] points = x.distribution().orElseThrow();
    assertThat(points).hasSize(QuantileGrid.POINTS);
    assertThat(points[0]).isEqualTo(x.min());
    assertThat(points[points.length - 1]).isEqualTo(x.max());
    for (int i = 1; i < points.length; i++) {
      assertThat(points[i]).as("point %d", i).isGreaterThanOrEqualTo(points[i - 1]);
    }
    ColumnProfile none = new ColumnProfile("s", ColumnKind.STRING, 1, 0, 1, null, null, null, null, Map.of(),
        List.of(), 0, null);
    assertThat(none.distribution()).isEmpty();
    ColumnProfile edited = new ColumnProfile("x", x.kind(), x.count(), x.nulls(), x.distinct(), x.min(), x.max(),
        x.mean(), x.stddev(), x.quantiles(), x.top(), x.other(), "CQ==");
    assertThatThrownBy(edited::distribution).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("column 'x': unknown column sketch format 9");
  }
}
