package dev.opskit.ml.promotion;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One gate's verdict on a promotion, with the evidence it looked at.
 *
 * @param gate the gate's name, such as {@code metric(auc >= 0.8)}
 * @param passed whether the gate let the promotion through
 * @param message what the gate found, in a sentence
 * @param evidence the figures behind the verdict, such as {@code {"auc": "0.83"}}
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record GateResult(String gate, boolean passed, String message, Map<String, String> evidence) {
  /**
   * Checks and copies the components.
   *
   * @param gate the gate
   * @param passed the verdict
   * @param message the explanation
   * @param evidence the figures
   */
  public GateResult {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(message, "message");
    evidence = Map.copyOf(evidence);
  }

  /**
   * A pass.
   *
   * @param gate the gate
   * @param message the explanation
   * @param evidence the figures
   * @return the result
   */
  public static GateResult pass(String gate, String message, Map<String, String> evidence) {
    return new GateResult(gate, true, message, evidence);
  }

  /**
   * A failure.
   *
   * @param gate the gate
   * @param message the explanation
   * @param evidence the figures
   * @return the result
   */
  public static GateResult fail(String gate, String message, Map<String, String> evidence) {
    return new GateResult(gate, false, message, evidence);
  }

  @Override
  public String toString() {
    return (passed ? "PASS " : "FAIL ") + gate + ": " + message;
  }
}
