package dev.opskit.ml;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A model and what is known of it as a whole.
 *
 * @param name the model name, following {@link dev.opskit.Names#NAME_RULE}
 * @param description free text
 * @param tags free-form tags
 * @param createdAt when it was created
 * @param updatedAt when it or any of its versions last changed
 * @param latestVersion the highest version number given out, 0 if none
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record RegisteredModel(String name, String description, Map<String, String> tags, Instant createdAt,
    Instant updatedAt, int latestVersion) {
  /**
   * Checks and copies the components.
   *
   * @param name the name
   * @param description the description
   * @param tags the tags
   * @param createdAt when it was created
   * @param updatedAt when it last changed
   * @param latestVersion the highest version number
   */
  public RegisteredModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
