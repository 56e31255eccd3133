package dev.opskit.benchmarks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One reported number: a value, the baseline it is compared with, and optionally the target it must meet.
 *
 * <p>The baseline of a relative figure is measured in the same run (a {@code CompletableFuture} DAG, a peer, a smaller
 * size). The baseline of an absolute budget, such as "under 1 s", is the budget itself, so that the ratio reads as the
 * share of the budget used.
 *
 * @param name the full name, {@code <suite>.<name>}
 * @param value the value; NaN if it could not be measured
 * @param unit the unit of value and baseline, for example {@code us/step}
 * @param baseline the baseline, in the same unit
 * @param baselineOf what the baseline is, in words
 * @param target the budget, or null for a figure reported for information
 * @param details more numbers for the JSON report: raw medians, iteration counts, secondary measurements
 */
public record Figure(String name, double value, String unit, double baseline, String baselineOf,
    @Nullable Target target, Map<String, Object> details) {
  /** Copies the details. */
  public Figure {
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * Returns value divided by baseline.
   *
   * @return the ratio; NaN if either is NaN or the baseline is zero
   */
  public double ratio() {
    return baseline == 0 ? Double.NaN : value / baseline;
  }

  /**
   * Tells whether the figure meets its target.
   *
   * @return PASS, FAIL, or empty when it has no target
   */
  public Optional<String> status() {
    return target == null ? Optional.empty() : Optional.of(target.passes(this) ? "PASS" : "FAIL");
  }

  /**
   * Returns the line {@code bench/run} prints for this figure.
   *
   * @return {@code BENCH <name> value=<v> unit=<u> baseline=<b> ratio=<v/b>}
   */
  public String benchLine() {
    return "BENCH " + name + " value=" + format(value) + " unit=" + unit + " baseline=" + format(baseline) + " ratio="
        + format(ratio());
  }

  /**
   * Formats a number with four significant digits and no exponent.
   *
   * @param x the number
   * @return the text, or {@code NaN}
   */
  public static String format(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return "NaN";
    }
    if (x == 0) {
      return "0";
    }
    return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
