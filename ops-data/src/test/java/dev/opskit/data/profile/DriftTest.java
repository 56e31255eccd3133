package dev.opskit.data.profile;

import static dev.opskit.data.profile.ProfilerTest.profile;
import static dev.opskit.data.profile.ProfilerTest.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opskit.data.internal.stats.DriftMath;
import dev.opskit.data.internal.stats.QuantileGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftTest {
  static DatasetProfile normal(long seed, int n, double mean) {
    Random random = new Random(seed);
    List<Map<String, Object>> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(row("x", mean + random.nextGaussian()));
    }
    return profile(rows);
  }

  static DatasetProfile values(String column, double... values) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (double v : values) {
      rows.add(row(column, v));
    }
    return profile(rows);
  }

  static DatasetProfile counts(String column, Object... valueCountPairs) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < valueCountPairs.length; i += 2) {
      for (int k = 0; k < (Integer) valueCountPairs[i + 1]; k++) {
        rows.add(row(column, valueCountPairs[i]));
      }
    }
    return profile(rows);
  }

  static double[] range(double from, double to, double step) {
    List<Double> list = new ArrayList<>();
    for (double v = from; v <= to + 1e-9; v += step) {
      list.add(v);
    }
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double[] concat(double[]... parts) {
    List<Double> list = new ArrayList<>();
    for (double[] p : parts) {
      for (double v : p) {
        list.add(v);
      }
    }
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void findsNoDriftBetweenTwoSamplesOfOneDistribution() {
    for (int seed = 0; seed < 5; seed++) {
      DriftReport d = Drift.between(normal(seed, 50_000, 0), normal(100 + seed, 50_000, 0));

      ColumnDrift x = d.columns().get("x");
      assertThat(x.basis()).isEqualTo(ColumnDrift.Basis.NUMERIC);
      assertThat(x.psi()).as("psi").isLessThan(0.02);
      assertThat(x.ks()).as("ks").isLessThan(0.04);
      assertThat(d.exceeds(0.1)).isFalse();
    }
  }

  @Test
  void findsLargeDriftForAShiftedNormal() {
    DriftReport d = Drift.between(normal(1, 50_000, 0), normal(2, 50_000, 1));

    assertThat(d.psi("x").getAsDouble()).isGreaterThan(0.25);
    // The exact D of N(0,1) against N(1,1) is 2 Phi(0.5) - 1 = 0.383.
    assertThat(d.ks("x").getAsDouble()).isGreaterThan(0.3).isCloseTo(0.383, within(0.03));
    assertThat(d.maxPsi()).isEqualTo(d.psi("x").getAsDouble());
    assertThat(d.maxKs()).isEqualTo(d.ks("x").getAsDouble());
    assertThat(d.exceeds(0.25)).isTrue();
  }

  @Test
  void computesPsiWithEpsilonSmoothingByHand() {
    double[] expected = {0.5, 0.3, 0.2, 0.0};
    double[] actual = {0.3, 0.3, 0.0, 0.4};

    double psi = DriftMath.psi(expected, actual);

    double byHand = (0.3 - 0.5) * Math.log(0.3 / 0.5)
        + (1e-4 - 0.2) * Math.log(1e-4 / 0.2)
        + (0.4 - 1e-4) * Math.log(0.4 / 1e-4);
    assertThat(psi).isCloseTo(byHand, within(1e-12));
    assertThat(DriftMath.psi(expected, expected)).isZero();
  }

  @Test
  void computesNumericPsiOverTheExpectedDecilesByHand() {
    // Expected: 1..100, deciles 10, 20, ..., 90, a tenth in each bin. Actual: 100 values with 5, 15, 10 x 6, 5 and 15
    // in those bins, each bin topped by a value at its edge, so that every share is read exactly.
    DatasetProfile expected = values("x", range(1, 100, 1));
    DatasetProfile actual = values("x", concat(range(6, 10, 1), range(13, 20, 0.5), range(21, 80, 1),
        range(86, 90, 1), range(91, 105, 1)));
    assertThat(actual.rows()).isEqualTo(100);

    double psi = Drift.between(expected, actual).psi("x").getAsDouble();

    // 2 (0.05 - 0.1) ln(0.05 / 0.1) + 2 (0.15 - 0.1) ln(0.15 / 0.1) = 0.1 ln 2 + 0.1 ln 1.5 = 0.1 ln 3
    assertThat(psi).isCloseTo(0.1 * Math.log(3), within(1e-12));
  }

  @Test
  void computesPsiAndKsOfAShiftByHand() {
    // Actual is expected shifted by 10: D is 0.1, and the first decile bin empties into the last.
    DatasetProfile expected = values("x", range(1, 100, 1));
    DatasetProfile actual = values("x", range(11, 110, 1));

    ColumnDrift d = Drift.between(expected, actual).columns().get("x");

    // The true D of these discrete samples is 0.10. The sketch reads the distribution as linear between percentile
    // points, spreading the 1% held by the value 11 over (10, 11]; just below 11 it reads 0.11 of the expected values
    // and none of the actual ones. The reading is off by at most one grid step, 0.01.
    assertThat(d.ks()).isCloseTo(0.11, within(1e-12));
    double byHand = (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + (0.2 - 0.1) * Math.log(0.2 / 0.1);
    assertThat(d.psi()).isCloseTo(byHand, within(1e-12));
  }

  @Test
  void computesKsOfTwoContinuousDistributionsByHand() {
    // Uniform on [0, 100] against uniform on [10, 110] and on [0, 50].
    QuantileGrid uniform = QuantileGrid.of(range(0, 100, 1));

    assertThat(DriftMath.ks(uniform, QuantileGrid.of(range(10, 110, 1)))).isCloseTo(0.1, within(1e-12));
    assertThat(DriftMath.ks(uniform, QuantileGrid.of(range(0, 50, 0.5)))).isCloseTo(0.5, within(1e-12));
    assertThat(DriftMath.ks(uniform, uniform)).isZero();
    assertThat(DriftMath.ks(uniform, QuantileGrid.of(range(200, 300, 1)))).isEqualTo(1);
  }

  @Test
  void mergesEqualDecilesOfAColumnWithFewValues() {
    DatasetProfile expected = values("x", 1, 1, 1, 1, 1, 2, 2, 2, 3, 3);
    QuantileGrid grid = QuantileGrid.decode(expected.columns().get("x").sketch());

    assertThat(DriftMath.decileEdges(grid)).containsExactly(1, 2, 3);
    assertThat(Drift.between(expected, expected).psi("x").getAsDouble()).isZero();
    assertThat(Drift.between(expected, values("x", 5, 5, 5)).psi("x").getAsDouble()).isGreaterThan(5);
    assertThat(Drift.between(expected, values("x", 5, 5, 5)).ks("x").getAsDouble()).isEqualTo(1);
  }

  @Test
  void computesCategoricalPsiByHand() {
    DatasetProfile expected = counts("c", "A", 50, "B", 30, "C", 20);
    DatasetProfile actual = counts("c", "A", 30, "B", 30, "C", 40);

    ColumnDrift d = Drift.between(expected, actual).columns().get("c");

    assertThat(d.basis()).isEqualTo(ColumnDrift.Basis.CATEGORICAL);
    assertThat(d.ks()).isNull();
    // (0.3 - 0.5) ln(0.3 / 0.5) + 0 + (0.4 - 0.2) ln(0.4 / 0.2); the empty "other" bin adds nothing.
    assertThat(d.psi()).isCloseTo(0.2 * Math.log(10.0 / 3), within(1e-12));
  }

  @Test
  void putsValuesOutsideEitherTopListInTheOtherBin() {
    DatasetProfile expected = counts("c", "A", 60, "B", 40);
    DatasetProfile actual = counts("c", "A", 60, "Z", 40);

    double psi = Drift.between(expected, actual).psi("c").getAsDouble();

    // Bins A, B, Z, other: expected 0.6, 0.4, 0, 0; actual 0.6, 0, 0.4, 0.
    double byHand = 2 * (0.4 - 1e-4) * Math.log(0.4 / 1e-4);
    assertThat(psi).isCloseTo(byHand, within(1e-12));
  }

  @Test
  void comparesBooleansAsCategories() {
    DatasetProfile expected = counts("b", true, 90, false, 10);

    assertThat(Drift.between(expected, counts("b", true, 90, false, 10)).psi("b").getAsDouble()).isZero();
    assertThat(Drift.between(expected, counts("b", true, 50, false, 50)).psi("b").getAsDouble())
        .isCloseTo(-0.4 * Math.log(0.5 / 0.9) + 0.4 * Math.log(0.5 / 0.1), within(1e-12));
  }

  @Test
  void listsColumnsPresentInOneProfileOrIncomparable() {
    DatasetProfile expected = profile(List.of(row("a", 1, "b", "x", "c", 1, "e", null, "n", null),
        row("a", 2, "b", "y", "c", 2, "e", null, "n", null)));
    DatasetProfile actual = profile(List.of(row("a", 1, "c", "one", "d", 1, "e", null, "n", 3),
        row("a", 2, "c", "two", "d", 2, "e", null, "n", 4)));

    DriftReport d = Drift.between(expected, actual);

    assertThat(d.columns().keySet()).containsExactly("a", "e");
    assertThat(d.columns().get("e")).isEqualTo(new ColumnDrift("e", ColumnDrift.Basis.NONE, 0, null));
    assertThat(d.onlyInExpected()).containsExactly("b");
    assertThat(d.onlyInActual()).containsExactly("d");
    assertThat(d.incomparable()).containsExactly("c", "n");
    assertThat(d.maxPsi()).isLessThan(0.01);
    assertThat(d.exceeds(0.25)).as("incomparable columns exceed any limit").isTrue();
    assertThat(d.psi("b")).isEmpty();
    assertThat(d.ks("e")).isEmpty();
  }

  @Test
  void comparesTheNumbersOfMixedColumns() {
    DatasetProfile expected = profile(List.of(row("m", 1), row("m", "x"), row("m", 2)));
    DatasetProfile actual = profile(List.of(row("m", 1), row("m", 2), row("m", "y"), row("m", "z")));

    ColumnDrift d = Drift.between(expected, actual).columns().get("m");

    assertThat(d.basis()).isEqualTo(ColumnDrift.Basis.NUMERIC);
    assertThat(d.psi()).isZero();
  }

  @Test
  void reportsNoColumnsForEmptyProfiles() {
    DriftReport d = Drift.between(Profiler.start().finish(), Profiler.start().finish());

    assertThat(d.maxPsi()).isZero();
    assertThat(d.maxKs()).isZero();
    assertThat(d.exceeds(0)).isFalse();
    assertThatThrownBy(() -> d.exceeds(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
