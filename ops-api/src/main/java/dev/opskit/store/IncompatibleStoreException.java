package dev.opskit.store;

import org.apiguardian.api.API;

/**
 * A store's schema is newer than this version of opskit knows, or a migration already applied differs from the one
 * this version ships. Opening it could corrupt it, so it is refused.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public final class IncompatibleStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** The schema version the store has. */
  private final int storeVersion;
  /** The newest schema version this library knows. */
  private final int libraryVersion;

  /**
   * Creates the exception.
   *
   * @param message what is incompatible and what to do
   * @param storeVersion the schema version found in the store
   * @param libraryVersion the newest schema version this library knows
   */
  public IncompatibleStoreException(String message, int storeVersion, int libraryVersion) {
    super(message, null);
    this.storeVersion = storeVersion;
    this.libraryVersion = libraryVersion;
  }

  /**
   * Returns the schema version found in the store.
   *
   * @return the store's version
   */
  public int storeVersion() {
    return storeVersion;
  }

  /**
   * Returns the newest schema version this library knows.
   *
   * @return the library's version
   */
  public int libraryVersion() {
    return libraryVersion;
  }
}
