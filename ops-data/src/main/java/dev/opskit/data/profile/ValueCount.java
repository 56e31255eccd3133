package dev.opskit.data.profile;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A frequent value of a string or boolean column and how often it occurs.
 *
 * @param value the value as text ({@code "true"} and {@code "false"} for booleans); values longer than 64 characters
 *     are cut to 63 and end with {@code …}
 * @param count how many rows hold it; exact while the column has at most 768 distinct values, otherwise an estimate
 *     whose error the profile bounds (DataSketches frequent items)
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record ValueCount(String value, long count) {
  /**
   * Checks the components.
   *
   * @param value the value
   * @param count its count
   */
  public ValueCount {
    Objects.requireNonNull(value, "value");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
  }
}
