package dev.opskit.store;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * What a blob store knows about a blob.
 *
 * @param id the lowercase hex SHA-256 of the content
 * @param size the size in bytes
 * @param storedAt when the blob was last stored or confirmed by a put; garbage collection spares recent blobs
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public record BlobInfo(String id, long size, Instant storedAt) {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

  /**
   * Checks the components.
   *
   * @param id the blob id
   * @param size the size
   * @param storedAt when it was stored
   */
  public BlobInfo {
    checkId(id);
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
    Objects.requireNonNull(storedAt, "storedAt");
  }

  /**
   * Checks a blob id.
   *
   * @param id the candidate
   * @return the id
   * @throws IllegalArgumentException if it is not 64 lowercase hex characters
   */
  public static String checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("blob id " + dev.opskit.Names.quote(id)
          + " is not a SHA-256: blob ids are 64 lowercase hex characters");
    }
    return id;
  }
}
