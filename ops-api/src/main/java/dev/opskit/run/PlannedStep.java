package dev.opskit.run;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a run would do with one step, and why; one entry of a {@link RunPlan}.
 *
 * @param step the step name
 * @param reason why it runs, is reused, or is left out; {@link StepReason#runs()} tells whether it runs
 * @param outputs for a cached, frozen or reused step, the version ids it would reuse by dataset; empty otherwise
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record PlannedStep(String step, StepReason reason, Map<String, String> outputs) {
  /**
   * Checks and copies the components.
   *
   * @param step the step name
   * @param reason why
   * @param outputs the reused versions
   */
  public PlannedStep {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(reason, "reason");
    outputs = Map.copyOf(outputs);
  }

  /**
   * Tells whether the step would run.
   *
   * @return true if it runs
   */
  public boolean runs() {
    return reason.runs();
  }

  @Override
  public String toString() {
    return step + ": " + reason.message();
  }
}
