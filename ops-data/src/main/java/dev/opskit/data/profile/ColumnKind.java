package dev.opskit.data.profile;

import org.apiguardian.api.API;

/**
 * What a column's non-null values are.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public enum ColumnKind {
  /** Every non-null value is a number. */
  NUMERIC,
  /** Every non-null value is a string (or a value of another type, profiled by its text). */
  STRING,
  /** Every non-null value is a boolean. */
  BOOLEAN,
  /** The values are of more than one of the kinds above. */
  MIXED,
  /** The column holds only nulls. */
  EMPTY
}
