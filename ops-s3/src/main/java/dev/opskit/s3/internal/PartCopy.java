package dev.opskit.s3.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Restamps an object larger than one CopyObject can copy (5 GiB) by copying it onto itself in parts on the server,
 * so that no byte crosses the network. Any failure aborts the copy; the object stays as it was.
 */
final class PartCopy {
  private static final long PART = 1L << 30;

  private final S3Client s3;
  private final S3Settings settings;
  private final ExecutorService pool;

  PartCopy(S3Client s3, S3Settings settings, ExecutorService pool) {
    this.s3 = s3;
    this.settings = settings;
    this.pool = pool;
  }

  /** Copies the object onto itself with new metadata; false if it changed or went since it was looked at. */
  boolean copy(String key, HeadObjectResponse head, Map<String, String> metadata) {
    String bucket = settings.bucket();
    long size = head.contentLength();
    String uploadId;
    try {
      uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)
          .contentType("application/octet-stream")).uploadId();
    } catch (SdkException e) {
      throw Failures.of(settings, "restamp a large blob", key, "s3:PutObject", e);
    }
    boolean completed = false;
    try {
      List<Future<CompletedPart>> futures = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += PART, number++) {
        int n = number;
        String range = "bytes=" + offset + "-" + (Math.min(size, offset + PART) - 1);
        futures.add(pool.submit(() -> CompletedPart.builder().partNumber(n).eTag(s3.uploadPartCopy(b -> b
            .sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key).uploadId(uploadId)
            .partNumber(n).copySourceRange(range).copySourceIfMatch(head.eTag())).copyPartResult().eTag()).build()));
      }
      List<CompletedPart> parts = new ArrayList<>();
      for (Future<CompletedPart> f : futures) {
        parts.add(f.get());
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));
      completed = true;
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SdkException s) {
        int status = Failures.status(s);
        if (status == 404 || status == 412) {
          return false;
        }
        throw Failures.of(settings, "restamp a large blob", key, "s3:GetObject and s3:PutObject", s);
      }
      throw new dev.opskit.store.StoreException("could not restamp s3://" + bucket + "/" + key + ": " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.opskit.store.StoreException("interrupted while restamping s3://" + bucket + "/" + key, e);
    } catch (SdkException e) {
      throw Failures.of(settings, "restamp a large blob", key, "s3:PutObject", e);
    } finally {
      if (!completed) {
        try {
          s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
          // the lifecycle rule or the next open removes it
        }
      }
    }
  }
}
