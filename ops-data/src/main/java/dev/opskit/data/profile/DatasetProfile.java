package dev.opskit.data.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The profile of a tabular dataset version: its row count and a {@link ColumnProfile} per column, in the order the
 * columns were first seen. Made by a {@link Profiler} in the pass that stores the version; a plain record that
 * serializes to and from JSON with Jackson (a 10-column profile is a few KB to about 15 KB).
 *
 * <pre>{@code
 * Profiler profiler = Profiler.start();
 * rows.forEach(profiler::accept);
 * DatasetProfile profile = profiler.finish();
 * String json = mapper.writeValueAsString(profile);
 * }</pre>
 *
 * @param rows how many rows the version has
 * @param columns each column's profile, keyed by name, in first-seen order
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record DatasetProfile(long rows, Map<String, ColumnProfile> columns) {
  /**
   * Checks the components and copies the columns, keeping their order.
   *
   * @param rows the row count
   * @param columns the column profiles by name
   */
  public DatasetProfile {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative, got " + rows);
    }
    Objects.requireNonNull(columns, "columns");
    for (Map.Entry<String, ColumnProfile> e : columns.entrySet()) {
      Objects.requireNonNull(e.getValue(), () -> "profile of column '" + e.getKey() + "'");
      if (!e.getValue().name().equals(e.getKey())) {
        throw new IllegalArgumentException("column '" + e.getKey() + "' holds the profile of column '"
            + e.getValue().name() + "'");
      }
    }
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /**
   * Returns a column's profile.
   *
   * @param name the column name
   * @return its profile, or empty if the version has no such column
   */
  public Optional<ColumnProfile> column(String name) {
    return Optional.ofNullable(columns.get(name));
  }
}
