package dev.opskit.s3.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * A store's settings, checked by the builder.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, without a trailing slash, or empty
 * @param clock stamps blobs
 * @param partSize the bytes of a multipart upload's parts, and the most a put holds in memory
 * @param parallelism the parts of one put uploaded at once
 * @param spoolDirectory where larger content is spooled while it is hashed
 * @param maxAttempts attempts per request, and resumptions per read
 * @param checksums whether objects carry SHA-256 checksums
 * @param readOnly whether puts and deletes are refused
 * @param endpoint the service, for messages
 */
public record S3Settings(String bucket, String prefix, Clock clock, long partSize, int parallelism,
    Path spoolDirectory, int maxAttempts, boolean checksums, boolean readOnly, String endpoint) {
  /**
   * Checks the components.
   *
   * @param bucket the bucket
   * @param prefix the prefix
   * @param clock the clock
   * @param partSize the part size
   * @param parallelism the parallelism
   * @param spoolDirectory the spool directory
   * @param maxAttempts the attempts
   * @param checksums whether to send checksums
   * @param readOnly whether read-only
   * @param endpoint the service, for messages
   */
  public S3Settings {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(spoolDirectory, "spoolDirectory");
    Objects.requireNonNull(endpoint, "endpoint");
  }
}
