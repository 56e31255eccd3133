package dev.opskit.data.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.apiguardian.api.API;

/**
 * The drift between two profiles of one dataset, column by column. Made by {@link Drift#between}; a plain record that
 * serializes to JSON, for example as a promotion gate's evidence.
 *
 * @param columns the drift of each column present in both profiles with comparable values, in the expected profile's
 *     order
 * @param onlyInExpected columns the expected profile has and the actual one lacks
 * @param onlyInActual columns the actual profile has and the expected one lacks
 * @param incomparable columns present in both whose values cannot be compared: one version has numbers and the other
 *     only strings or booleans, or one version holds only nulls there and the other does not
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record DriftReport(Map<String, ColumnDrift> columns, List<String> onlyInExpected, List<String> onlyInActual,
    List<String> incomparable) {
  /**
   * Checks and copies the components, keeping the order of the columns.
   *
   * @param columns the per-column drift
   * @param onlyInExpected columns missing from the actual profile
   * @param onlyInActual columns new in the actual profile
   * @param incomparable columns whose values cannot be compared
   */
  public DriftReport {
    Objects.requireNonNull(columns, "columns");
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    onlyInExpected = List.copyOf(onlyInExpected);
    onlyInActual = List.copyOf(onlyInActual);
    incomparable = List.copyOf(incomparable);
  }

  /**
   * Returns the largest PSI over the compared columns.
   *
   * @return the largest index, 0 when no column was compared
   */
  public double maxPsi() {
    double max = 0;
    for (ColumnDrift d : columns.values()) {
      max = Math.max(max, d.psi());
    }
    return max;
  }

  /**
   * Returns the largest Kolmogorov-Smirnov statistic over the numeric columns.
   *
   * @return the largest D, 0 when no numeric column was compared
   */
  public double maxKs() {
    double max = 0;
    for (ColumnDrift d : columns.values()) {
      if (d.ks() != null) {
        max = Math.max(max, d.ks());
      }
    }
    return max;
  }

  /**
   * Returns one column's PSI.
   *
   * @param column the column name
   * @return its index, or empty if the column was not compared
   */
  public OptionalDouble psi(String column) {
    ColumnDrift d = columns.get(column);
    return d == null ? OptionalDouble.empty() : OptionalDouble.of(d.psi());
  }

  /**
   * Returns one column's Kolmogorov-Smirnov statistic.
   *
   * @param column the column name
   * @return its D, or empty if the column was not compared as numbers
   */
  public OptionalDouble ks(String column) {
    ColumnDrift d = columns.get(column);
    return d == null || d.ks() == null ? OptionalDouble.empty() : OptionalDouble.of(d.ks());
  }

  /**
   * Tells whether the drift is beyond a limit: some column's PSI exceeds it, or some column's values became
   * incomparable (a change of type, or a column now or formerly all null). Columns present in only one profile do not
   * count; they are a schema change, which {@link Diff} reports.
   *
   * @param psiThreshold the largest acceptable PSI, such as 0.25
   * @return true if the drift exceeds the limit
   */
  public boolean exceeds(double psiThreshold) {
    if (!(psiThreshold >= 0)) {
      throw new IllegalArgumentException("psiThreshold must not be negative, got " + psiThreshold);
    }
    return maxPsi() > psiThreshold || !incomparable.isEmpty();
  }
}
