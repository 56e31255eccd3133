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
 * @param worker who ran the attempt, for example a cluster member's address, as the step's record names it; null if
 *     the executor does not say
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record StepOutcome(StepInvocation invocation, Map<String, String> outputs, @Nullable StepError error,
    @Nullable String worker) {
  /**
   * Checks and copies the components.
   *
   * @param invocation the invocation this answers
   * @param outputs output references by dataset name
   * @param error the failure, or null
   * @param worker who ran the attempt, or null
   */
  public StepOutcome {
    Objects.requireNonNull(invocation, "invocation");
    outputs = Map.copyOf(outputs);
    if (error != null && !outputs.isEmpty()) {
      throw new IllegalArgumentException("a failed outcome commits nothing, but it lists outputs " + outputs.keySet());
    }
    if (worker != null && worker.isBlank()) {
      throw new IllegalArgumentException("worker must not be blank; pass null when the executor does not know it");
    }
  }

  /**
   * An outcome that does not name its worker.
   *
   * @param invocation the invocation this answers
   * @param outputs output references by dataset name
   * @param error the failure, or null
   */
  public StepOutcome(StepInvocation invocation, Map<String, String> outputs, @Nullable StepError error) {
    this(invocation, outputs, error, null);
  }

  /**
   * Returns this outcome naming the worker that ran the attempt; the coordinator records it on the step.
   *
   * @param worker for example a cluster member's address
   * @return a copy naming the worker
   * @throws IllegalArgumentException if {@code worker} is blank
   */
  public StepOutcome withWorker(String worker) {
    return new StepOutcome(invocation, outputs, error, Objects.requireNonNull(worker, "worker"));
  }

  /**
   * Returns who ran the attempt, if the executor said.
   *
   * @return the worker
   */
  public Optional<String> ranBy() {
    return Optional.ofNullable(worker);
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
