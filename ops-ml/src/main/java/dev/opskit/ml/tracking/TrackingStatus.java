package dev.opskit.ml.tracking;

import org.apiguardian.api.API;

/**
 * The state of a tracking run.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum TrackingStatus {
  /** The run is active: it accepts parameters, metrics, tags, artifacts and inputs. */
  RUNNING,
  /** The run ended normally. */
  FINISHED,
  /** The run ended because the training it tracks failed. */
  FAILED,
  /** The run was stopped from outside, such as a cancelled pipeline run. */
  KILLED;

  /**
   * Tells whether the run has ended.
   *
   * @return true unless {@link #RUNNING}
   */
  public boolean isTerminal() {
    return this != RUNNING;
  }
}
