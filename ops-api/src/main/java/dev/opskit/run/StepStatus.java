package dev.opskit.run;

import org.apiguardian.api.API;

/**
 * The state of one step in a run.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum StepStatus {
  /** Waiting for its inputs, or for a retry's backoff. */
  PENDING,
  /** An attempt is running. */
  RUNNING,
  /** The function returned and its outputs were committed. */
  SUCCEEDED,
  /** Every allowed attempt failed, or a failure was not retryable. */
  FAILED,
  /** Not run, because a step it depends on failed or the run failed fast. */
  SKIPPED,
  /** Interrupted while running, or never started, because the run was cancelled or failed fast. */
  CANCELLED,
  /** Not run, because an earlier execution with the same fingerprint produced outputs that still exist. */
  CACHED,
  /** Not run, because the run it resumes had already produced its outputs. */
  REUSED;

  /**
   * Tells whether the step has reached its final state.
   *
   * @return true unless {@link #PENDING} or {@link #RUNNING}
   */
  public boolean isTerminal() {
    return this != PENDING && this != RUNNING;
  }

  /**
   * Tells whether the step's outputs are available to its dependents.
   *
   * @return true for {@link #SUCCEEDED}, {@link #CACHED} and {@link #REUSED}
   */
  public boolean hasOutputs() {
    return this == SUCCEEDED || this == CACHED || this == REUSED;
  }
}
