package dev.opskit.store;

import org.apiguardian.api.API;

/**
 * A blob's bytes no longer match its id: the file was damaged or edited. The blob is not returned and nothing is
 * overwritten; restore it from a backup or put the original content again.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public final class CorruptBlobException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** The id the blob was stored under. */
  private final String id;
  /** Where the blob was read from. */
  private final String location;

  /**
   * Creates the exception.
   *
   * @param id the blob id
   * @param location where the blob lives, for example its path
   * @param actual the SHA-256 of the bytes found
   */
  public CorruptBlobException(String id, String location, String actual) {
    super("blob " + id + " at " + location + " is corrupt: its content hashes to " + actual
        + "; restore the file from a backup or put the original content again", null);
    this.id = id;
    this.location = location;
  }

  /**
   * Creates the exception for damage found while a blob is read chunk by chunk against its {@link BlobManifest}.
   *
   * @param id the blob id
   * @param location where the blob lives, for example its path
   * @param offset the first byte that was not handed out: everything before it was checked
   * @param finding what is wrong, for example {@code "it ends after 10 bytes, but the blob has 20"}
   * @since 0.1.0
   */
  public CorruptBlobException(String id, String location, long offset, String finding) {
    super("blob " + id + " at " + location + " is corrupt: " + finding + "; no byte from offset " + offset
        + " on was handed out; restore the file from a backup or put the original content again", null);
    this.id = id;
    this.location = location;
  }

  /**
   * Returns the id of the corrupt blob.
   *
   * @return the blob id
   */
  public String id() {
    return id;
  }

  /**
   * Returns where the corrupt blob lives.
   *
   * @return the location
   */
  public String location() {
    return location;
  }
}
