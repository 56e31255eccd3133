package dev.opskit.pipeline;

import org.apiguardian.api.API;

/**
 * How much a failed check matters.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum Severity {
  /** Recorded with the version and announced as an event; the version is usable. */
  WARN,
  /**
   * The version is recorded as quarantined: it is never latest, never tagged, never fed downstream, and the step that
   * produced it fails with the validation report as the cause.
   */
  ERROR
}
