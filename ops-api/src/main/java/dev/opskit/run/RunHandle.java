package dev.opskit.run;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apiguardian.api.API;

/**
 * A run in progress, returned by {@link RunRequest#start()}. Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface RunHandle {
  /**
   * Returns the run id.
   *
   * @return the id
   */
  String runId();

  /**
   * Cancels the run: steps in flight are interrupted and every step that has not finished is recorded as
   * {@link StepStatus#CANCELLED}. The run ends as {@link RunStatus#CANCELLED}.
   *
   * @return true if this call cancelled the run, false if it had already ended or been cancelled
   */
  boolean cancel();

  /**
   * Tells whether the run has ended.
   *
   * @return true once the final report is available
   */
  boolean isDone();

  /**
   * Waits for the run to end.
   *
   * @return the final report, whatever its status
   * @throws InterruptedException if the waiting thread is interrupted; the run goes on
   */
  Run await() throws InterruptedException;

  /**
   * Waits for the run to end, at most for a while.
   *
   * @param timeout how long to wait
   * @return the final report, or empty if the run is still going
   * @throws InterruptedException if the waiting thread is interrupted; the run goes on
   */
  Optional<Run> await(Duration timeout) throws InterruptedException;

  /**
   * Returns a copy of the run's state at this moment.
   *
   * @return the snapshot
   */
  Run snapshot();

  /**
   * Returns a stage completed with the final report when the run ends.
   *
   * @return the completion stage
   */
  CompletionStage<Run> completion();
}
