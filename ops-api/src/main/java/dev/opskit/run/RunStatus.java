package dev.opskit.run;

import org.apiguardian.api.API;

/**
 * The state of a run.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum RunStatus {
  /** Steps are still running or waiting. */
  RUNNING,
  /** Every selected step succeeded, was cached, or was reused. */
  SUCCEEDED,
  /** At least one step failed. */
  FAILED,
  /** The run was cancelled through its handle. */
  CANCELLED;

  /**
   * Tells whether the run has ended.
   *
   * @return true unless {@link #RUNNING}
   */
  public boolean isTerminal() {
    return this != RUNNING;
  }
}
