package dev.opskit.run;

import org.apiguardian.api.API;

/**
 * The state of one step in a run.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum StepStatus {
  /** Waiting for its inputs, or for an executor to start it. */
  PENDING,
  /** An attempt is running. */
  RUNNING,
  /**
   * An attempt failed and the next waits out the retry policy's backoff; {@link StepRecord#nextAttemptAt()} says
   * until when.
   */
  RETRYING,
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
   * @return true unless {@link #PENDING}, {@link #RUNNING} or {@link #RETRYING}
   */
  public boolean isTerminal() {
    return this != PENDING && this != RUNNING && this != RETRYING;
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
