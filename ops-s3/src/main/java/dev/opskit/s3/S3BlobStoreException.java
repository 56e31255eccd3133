package dev.opskit.s3;

import dev.opskit.store.StoreException;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * An S3 request failed after the SDK's retries, or the bucket cannot be used: it is missing, access is denied, or the
 * service cannot be reached. The message names the bucket and the key and says what to check; the cause carries the
 * SDK's error. A put that fails this way leaves no visible blob.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class S3BlobStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** The bucket. */
  private final String bucket;
  /** The object key, or empty for the bucket itself. */
  private final String key;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the bucket and key, and what to do
   * @param bucket the bucket
   * @param key the object key, or empty when the failure concerns the bucket
   * @param cause the SDK's error, or null
   */
  public S3BlobStoreException(String message, String bucket, String key, @Nullable Throwable cause) {
    super(message, cause);
    this.bucket = bucket;
    this.key = key;
  }

  /**
   * Returns the bucket.
   *
   * @return the bucket name
   */
  public String bucket() {
    return bucket;
  }

  /**
   * Returns the object key the failure concerns.
   *
   * @return the key, or empty when the failure concerns the bucket
   */
  public String key() {
    return key;
  }
}
