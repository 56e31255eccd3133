package dev.opskit.s3.internal;

import dev.opskit.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Restamps an object larger than one CopyObject can copy (5 GiB) by copying it onto itself in parts on the server
 * ({@code UploadPartCopy}), so that no byte crosses the network. The parts have the size a put of the same content
 * uploads ({@link Uploads#partSizeFor}), so the copy keeps the object's ETag, from which a later put recognizes the
 * content without sending it, and, with checksums on, carries the parts' SHA-256 checksums as a put does. Every part
 * is conditioned on the ETag the object had when it was looked at ({@code x-amz-copy-source-if-match}). At most
 * {@code parallelism} parts are copied at once. Any failure aborts the upload, so that no part is left behind; the
 * object stays as it was.
 */
final class PartCopy {
  private static final Logger LOG = LoggerFactory.getLogger(PartCopy.class);
  private static final String CONTENT_TYPE = "application/octet-stream";

  private final S3Client s3;
  private final S3Settings settings;
  private final ExecutorService pool;

  PartCopy(S3Client s3, S3Settings settings, ExecutorService pool) {
    this.s3 = s3;
    this.settings = settings;
    this.pool = pool;
  }

  /**
   * Copies the object onto itself with new metadata.
   *
   * @param key the object
   * @param head what the object was when it was looked at
   * @param metadata the new user metadata
   * @param partSize the size of the parts
   * @return false if the object changed or went since it was looked at (the copy is aborted)
   */
  boolean copy(String key, HeadObjectResponse head, Map<String, String> metadata, long partSize) {
    String bucket = settings.bucket();
    long size = head.contentLength();
    String uploadId;
    try {
      uploadId = s3.createMultipartUpload(b -> {
        b.bucket(bucket).key(key).metadata(metadata).contentType(CONTENT_TYPE);
        if (settings.checksums()) {
          b.checksumAlgorithm(Uploads.PART_CHECKSUM).checksumType(ChecksumType.COMPOSITE);
        }
      }).uploadId();
    } catch (SdkException e) {
      throw Failures.of(settings, "restamp a large blob", key, "s3:PutObject", e);
    }
    boolean completed = false;
    List<Future<CompletedPart>> futures = new ArrayList<>();
    try {
      Semaphore inFlight = new Semaphore(settings.parallelism());
      int number = 1;
      for (long offset = 0; offset < size; offset += partSize, number++) {
        int n = number;
        String range = "bytes=" + offset + "-" + (Math.min(size, offset + partSize) - 1);
        inFlight.acquire();
        if (futures.stream().anyMatch(f -> f.isDone() && failed(f))) {
          inFlight.release();
          break; // the loop below throws the failure
        }
        futures.add(pool.submit(() -> {
          try {
            CopyPartResult copied = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(key)
                .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(n)
                .copySourceRange(range).copySourceIfMatch(head.eTag())).copyPartResult();
            return CompletedPart.builder().partNumber(n).eTag(copied.eTag())
                .checksumCRC32C(copied.checksumCRC32C()).build();
          } finally {
            inFlight.release();
          }
        }));
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
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("could not restamp s3://" + bucket + "/" + key + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while restamping s3://" + bucket + "/" + key, e);
    } catch (SdkException e) {
      throw Failures.of(settings, "restamp a large blob", key, "s3:PutObject", e);
    } finally {
      if (!completed) {
        settle(futures);
        abort(key, uploadId);
      }
    }
  }

  /**
   * Waits for the parts in flight (at most {@code parallelism}) to end, so that none lands after the abort; an
   * interrupt cancels them instead.
   */
  private static void settle(List<Future<CompletedPart>> futures) {
    boolean interrupted = false;
    for (Future<CompletedPart> f : futures) {
      while (true) {
        try {
          f.get();
          break;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          f.cancel(true);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean failed(Future<?> f) {
    try {
      f.get();
      return false;
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void abort(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      LOG.warn("could not abort the multipart copy {} of s3://{}/{}; its parts stay until a lifecycle rule "
          + "(AbortIncompleteMultipartUpload) or the next open of the store removes them", uploadId,
          settings.bucket(), key, e);
    }
  }
}
