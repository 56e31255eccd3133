package dev.opskit.data.profile;

import dev.opskit.data.internal.stats.DriftMath;
import dev.opskit.data.internal.stats.QuantileGrid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Measures how far a dataset's distributions moved between two versions, from their profiles alone.
 *
 * <pre>{@code
 * DriftReport drift = Drift.between(trainingProfile, servingProfile);
 * if (drift.exceeds(0.25)) { ... }
 * }</pre>
 *
 * <p><b>Numeric columns</b> (both versions have numbers): the population stability index over ten bins whose edges
 * are the expected distribution's deciles (equal deciles merge, so a column with few values gets fewer bins), with
 * each bin's share read from the profiles' quantile sketches; and the Kolmogorov-Smirnov statistic D, the largest
 * difference of the two cumulative distribution functions, evaluated at the union of both sketches' quantile points.
 * The sketches hold the quantiles at every percentile from a KLL sketch (rank error about 1.65%), read as piecewise
 * linear in between, so both measures carry an error of about a percent of rank: two samples of one distribution
 * give a PSI of a few thousandths and a D of one or two hundredths, not exactly 0.
 *
 * <p><b>String and boolean columns</b>: PSI over the values in either profile's top 20, plus one bin for all other
 * values; the counts are exact while a column has at most 768 distinct values.
 *
 * <p>Shares below 10<sup>-4</sup> are raised to 10<sup>-4</sup> before PSI takes logarithms, so an empty bin adds a
 * large but finite term. Nulls are left out of both measures: a change in the null rate shows in {@link Diff}, and a
 * column that becomes all null is reported as incomparable.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class Drift {
  private Drift() {}

  /**
   * Compares two profiles of the same dataset.
   *
   * @param expected the reference, such as the training data's profile
   * @param actual the profile to judge
   * @return the drift of each column
   */
  public static DriftReport between(DatasetProfile expected, DatasetProfile actual) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
    Map<String, ColumnDrift> columns = new LinkedHashMap<>();
    List<String> onlyInExpected = new ArrayList<>();
    List<String> incomparable = new ArrayList<>();
    for (ColumnProfile e : expected.columns().values()) {
      ColumnProfile a = actual.columns().get(e.name());
      if (a == null) {
        onlyInExpected.add(e.name());
        continue;
      }
      ColumnDrift drift = column(e, a);
      if (drift == null) {
        incomparable.add(e.name());
      } else {
        columns.put(e.name(), drift);
      }
    }
    List<String> onlyInActual = new ArrayList<>();
    for (String name : actual.columns().keySet()) {
      if (!expected.columns().containsKey(name)) {
        onlyInActual.add(name);
      }
    }
    return new DriftReport(columns, onlyInExpected, onlyInActual, incomparable);
  }

  private static @Nullable ColumnDrift column(ColumnProfile e, ColumnProfile a) {
    String es = e.sketch();
    String as = a.sketch();
    if (es != null && as != null) {
      QuantileGrid eg = decode(es, e.name(), "expected");
      QuantileGrid ag = decode(as, a.name(), "actual");
      return new ColumnDrift(e.name(), ColumnDrift.Basis.NUMERIC, DriftMath.numericPsi(eg, ag), DriftMath.ks(eg, ag));
    }
    if (e.categoricalCount() > 0 && a.categoricalCount() > 0) {
      return new ColumnDrift(e.name(), ColumnDrift.Basis.CATEGORICAL, DriftMath.categoricalPsi(e, a), null);
    }
    if (e.count() == 0 && a.count() == 0) {
      return new ColumnDrift(e.name(), ColumnDrift.Basis.NONE, 0, null);
    }
    return null;
  }

  private static QuantileGrid decode(String sketch, String column, String side) {
    try {
      return QuantileGrid.decode(sketch);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("column '" + column + "' of the " + side + " profile: " + ex.getMessage(),
          ex);
    }
  }
}
