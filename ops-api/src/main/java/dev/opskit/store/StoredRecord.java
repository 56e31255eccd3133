package dev.opskit.store;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A record as stored: its place, its version, its body and its attributes.
 *
 * @param collection the collection, such as {@code "run"}
 * @param key the key, unique in the collection
 * @param version 1 when inserted, one more at every update
 * @param body the body, usually JSON
 * @param attributes the indexed attributes: strings, booleans, numbers (as {@code Long} or {@code Double}) and
 *     {@link java.time.Instant}s
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public record StoredRecord(String collection, String key, long version, String body, Map<String, Object> attributes) {
  /** The longest collection, key or attribute name, in characters. */
  public static final int MAX_KEY_LENGTH = 255;

  /**
   * Checks and copies the components.
   *
   * @param collection the collection
   * @param key the key
   * @param version the version
   * @param body the body
   * @param attributes the attributes
   */
  public StoredRecord {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(body, "body");
    attributes = Map.copyOf(attributes);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, got " + version);
    }
  }

  /**
   * Reads a string attribute.
   *
   * @param name the attribute
   * @return its value, if present and a string
   */
  public Optional<String> string(String name) {
    Object v = attributes.get(name);
    return v instanceof String ? Optional.of((String) v) : Optional.empty();
  }

  @Override
  public String toString() {
    return "StoredRecord[" + collection + "/" + key + " v" + version + "]";
  }
}
