package dev.opskit.data.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What the catalog keeps about a dataset version that a {@link Diff} compares.
 *
 * @param schema the columns and their types, such as {@code {"id": "string"}}; empty for a format without columns
 * @param rows the row count
 * @param profile the version's profile, or null if it has none
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record VersionSummary(Map<String, String> schema, long rows, @Nullable DatasetProfile profile) {
  /**
   * Checks and copies the components, keeping the schema's order.
   *
   * @param schema the column types
   * @param rows the row count
   * @param profile the profile
   */
  public VersionSummary {
    Objects.requireNonNull(schema, "schema");
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative, got " + rows);
    }
    schema = Collections.unmodifiableMap(new LinkedHashMap<>(schema));
  }

  /**
   * Summarizes a version from its profile alone.
   *
   * @param profile the profile
   * @return a summary with the profile's row count and no schema
   */
  public static VersionSummary of(DatasetProfile profile) {
    return new VersionSummary(Map.of(), profile.rows(), profile);
  }
}
