package dev.opskit.ml;

import org.apiguardian.api.API;

/**
 * Where a model version stands. A model has at most one {@link #PRODUCTION} version and, by default, at most one
 * {@link #STAGING} version. Only a promotion changes a stage.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum Stage {
  /** Registered, not promoted. */
  NONE,
  /** Under evaluation before production. */
  STAGING,
  /** Serving. */
  PRODUCTION,
  /** Retired: replaced in production or staging, or archived by hand. */
  ARCHIVED
}
