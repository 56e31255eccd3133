package dev.opskit.ml.promotion;

import dev.opskit.OpsException;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A promotion's gates did not all pass; nothing changed. The report carries every gate's result.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class PromotionRejectedException extends OpsException {
  private static final long serialVersionUID = 1L;

  private final transient PromotionReport report;

  /**
   * Creates the exception.
   *
   * @param report the evaluation
   */
  public PromotionRejectedException(PromotionReport report) {
    super("promotion rejected: " + Objects.requireNonNull(report, "report").summary());
    this.report = report;
  }

  /**
   * Returns the evaluation.
   *
   * @return the report
   */
  public PromotionReport report() {
    return report;
  }

  /**
   * Returns every gate's result.
   *
   * @return the results
   */
  public List<GateResult> gateResults() {
    return report.gates();
  }
}
