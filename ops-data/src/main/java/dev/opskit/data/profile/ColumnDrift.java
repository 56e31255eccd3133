package dev.opskit.data.profile;

import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How far one column's distribution moved between two profiles.
 *
 * @param column the column name
 * @param basis which values were compared
 * @param psi the population stability index: below 0.1 is usually read as stable, 0.1 to 0.25 as a moderate shift,
 *     above 0.25 as a major one
 * @param ks the Kolmogorov-Smirnov statistic D (largest difference of the two cumulative distributions, 0 to 1) for
 *     numeric columns; null otherwise
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record ColumnDrift(String column, Basis basis, double psi, @Nullable Double ks) {
  /**
   * Checks the components.
   *
   * @param column the column name
   * @param basis what was compared
   * @param psi the index
   * @param ks the statistic, or null
   */
  public ColumnDrift {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(basis, "basis");
    if (!(psi >= 0) || Double.isInfinite(psi)) {
      throw new IllegalArgumentException("column '" + column + "': psi must be finite and not negative, got " + psi);
    }
  }

  /**
   * Which values of a column drift compared.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public enum Basis {
    /**
     * The numbers, from the profiles' quantile sketches: PSI over the expected deciles and KS. Used whenever both
     * versions have numbers in the column, even if it also holds strings.
     */
    NUMERIC,
    /** The strings and booleans, from the profiles' frequent values: PSI over those values plus "other". */
    CATEGORICAL,
    /** Neither version has a non-null value in the column: nothing moved. */
    NONE
  }
}
