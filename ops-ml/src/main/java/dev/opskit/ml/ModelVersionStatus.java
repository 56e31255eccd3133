package dev.opskit.ml;

import org.apiguardian.api.API;

/**
 * Whether a model version's registration completed.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum ModelVersionStatus {
  /**
   * Its number is taken and its artifact is being stored. Only a version whose encoded artifact is larger than 1 MiB
   * is seen in this state, while it is stored; a smaller artifact is stored before the version is recorded, READY.
   */
  PENDING_REGISTRATION,
  /** Stored and usable. */
  READY,
  /** Storing the artifact failed; the number stays taken, so numbers have no gaps. */
  FAILED_REGISTRATION
}
