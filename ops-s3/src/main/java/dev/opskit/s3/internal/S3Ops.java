package dev.opskit.s3.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The small requests every part of the store makes. */
final class S3Ops {
  /** The user metadata that holds a blob's stamp, {@code x-amz-meta-opskit-stored-at}: an ISO-8601 instant. */
  static final String STORED_AT = "opskit-stored-at";

  private S3Ops() {}

  /** Looks an object up; empty if there is none. */
  static Optional<HeadObjectResponse> head(S3Client s3, S3Settings settings, String key, String what) {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(settings.bucket()).key(key).checksumMode(ChecksumMode.ENABLED)));
    } catch (SdkException e) {
      if (Failures.status(e) == 404 && !"NoSuchBucket".equals(Failures.code(e))) {
        return Optional.empty();
      }
      throw Failures.of(settings, what, key, "s3:GetObject (and s3:ListBucket, for a missing key to be a 404)", e);
    }
  }

  /** A blob's stamp: the one in its metadata, or the object's last-modified time if another tool wrote it. */
  static Instant storedAt(HeadObjectResponse head) {
    String stamp = head.metadata().get(STORED_AT);
    if (stamp != null) {
      try {
        return Instant.parse(stamp);
      } catch (DateTimeParseException e) {
        // written by something else; the object's own time will do
      }
    }
    return head.lastModified() != null ? head.lastModified() : Instant.EPOCH;
  }
}
