package dev.opskit.run;

import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a listener learns about a step.
 *
 * @param runId the run id
 * @param pipeline the pipeline name
 * @param step the step name
 * @param attempt the attempt number, starting at 1; 0 for a step that never started
 * @param time when the event happened, on the workspace's clock
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record StepEvent(String runId, String pipeline, String step, int attempt, Instant time) {
  /**
   * Checks the components.
   *
   * @param runId the run id
   * @param pipeline the pipeline name
   * @param step the step name
   * @param attempt the attempt number
   * @param time when the event happened
   */
  public StepEvent {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(time, "time");
  }
}
