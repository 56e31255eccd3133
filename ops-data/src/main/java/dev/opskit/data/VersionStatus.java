package dev.opskit.data;

import org.apiguardian.api.API;

/**
 * Whether a dataset version may be used.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum VersionStatus {
  /** Stored and checked; usable. */
  COMMITTED,
  /**
   * Stored, but an ERROR check failed: it is never latest, can never be tagged, and is never fed downstream. It is
   * kept, with its validation report, so that the bad data can be inspected.
   */
  QUARANTINED
}
