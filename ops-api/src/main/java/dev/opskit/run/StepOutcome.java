package dev.opskit.run;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The result of a {@link StepInvocation} run elsewhere, reported back to the coordinator.
 *
 * @param invocation the invocation this answers
 * @param outputs for each output dataset name, a reference to the committed value; empty on failure
 * @param error the failure, or null on success
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record StepOutcome(StepInvocation invocation, Map<String, String> outputs, @Nullable StepError error) {
  /**
   * Checks and copies the components.
   *
   * @param invocation the invocation this answers
   * @param outputs output references by dataset name
   * @param error the failure, or null
   */
  public StepOutcome {
    Objects.requireNonNull(invocation, "invocation");
    outputs = Map.copyOf(outputs);
    if (error != null && !outputs.isEmpty()) {
      throw new IllegalArgumentException("a failed outcome commits nothing, but it lists outputs " + outputs.keySet());
    }
  }

  /**
   * A successful outcome.
   *
   * @param invocation the invocation
   * @param outputs output references by dataset name
   * @return the outcome
   */
  public static StepOutcome succeeded(StepInvocation invocation, Map<String, String> outputs) {
    return new StepOutcome(invocation, outputs, null);
  }

  /**
   * A failed outcome.
   *
   * @param invocation the invocation
   * @param error why it failed
   * @return the outcome
   */
  public static StepOutcome failed(StepInvocation invocation, StepError error) {
    return new StepOutcome(invocation, Map.of(), Objects.requireNonNull(error, "error"));
  }

  /**
   * Returns the failure, if any.
   *
   * @return the error
   */
  public Optional<StepError> failure() {
    return Optional.ofNullable(error);
  }
}
