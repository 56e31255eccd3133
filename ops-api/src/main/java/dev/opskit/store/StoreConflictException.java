package dev.opskit.store;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A write lost a race: the record changed since it was read, was deleted, or its key was taken. Nothing was written.
 * The exception is retryable: read the record again, reapply the change, and write again.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public class StoreConflictException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** The collection of the record that conflicted. */
  private final String collection;
  /** The key of the record that conflicted. */
  private final String key;

  /**
   * Creates the exception.
   *
   * @param collection the collection of the contested record
   * @param key its key
   * @param message what happened
   * @param cause the driver's error, or null
   */
  public StoreConflictException(String collection, String key, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.collection = collection;
    this.key = key;
  }

  /**
   * A stale update or delete.
   *
   * @param record the record as the writer read it
   * @return the exception
   */
  public static StoreConflictException stale(StoredRecord record) {
    return new StoreConflictException(record.collection(), record.key(), "record " + record.collection() + "/"
        + record.key() + " changed since it was read at version " + record.version()
        + "; read it again and retry", null);
  }

  /**
   * An insert of a key that exists.
   *
   * @param collection the collection
   * @param key the key
   * @return the exception
   */
  public static StoreConflictException duplicate(String collection, String key) {
    return new StoreConflictException(collection, key, "record " + collection + "/" + key
        + " already exists; read it and update it instead, or retry with another key", null);
  }

  /**
   * Returns the collection of the contested record.
   *
   * @return the collection
   */
  public String collection() {
    return collection;
  }

  /**
   * Returns the key of the contested record.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * Tells whether retrying the whole read-modify-write can succeed. Always true.
   *
   * @return true
   */
  public boolean isRetryable() {
    return true;
  }
}
