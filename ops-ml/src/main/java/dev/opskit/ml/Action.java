package dev.opskit.ml;

import org.apiguardian.api.API;

/**
 * The registry writes an {@link Authorizer} is asked about, and that the audit trail records.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum Action {
  /** Create a registered model or update its description and tags. */
  CREATE_MODEL,
  /** Register a model version. */
  REGISTER,
  /** Point an alias at a version, or remove it. */
  SET_ALIAS,
  /** Move a version to another stage. */
  PROMOTE,
  /** Approve a version for a stage. */
  APPROVE,
  /** Return production to the previous production version. */
  ROLLBACK,
  /** Delete a version or a model. */
  DELETE
}
