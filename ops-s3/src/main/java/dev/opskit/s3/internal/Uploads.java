package dev.opskit.s3.internal;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Places staged content under its key: checks for the object first, refreshes the stamp of an intact copy without
 * sending its bytes, and otherwise sends the content in one request or as a multipart upload of parallel parts, each
 * conditioned on the key being free where the service supports it. Thread-safe.
 */
final class Uploads {
  private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
  private static final String CONTENT_TYPE = "application/octet-stream";
  /** The largest object one CopyObject can copy; larger ones are copied in parts. */
  static final long MAX_COPY = 5L << 30;
  private static final int MAX_PARTS = 10_000;
  /**
   * The checksum each part of a multipart upload (and of a restamp's multipart copy) carries, checked by the service on
   * receipt. S3 keeps no whole-object SHA-256 for an object stored in parts (only a checksum of the parts' checksums),
   * so the parts' SHA-256 would not record the content's id anyway; CRC32C catches damage on the wire as well, and the
   * JVM computes it in hardware, where a SHA-256 of each part was a third pass over every byte (the content is hashed
   * with SHA-256 for its key and its chunk digests, and reads verify it). Content sent in one request still carries its SHA-256.
   */
  static final ChecksumAlgorithm PART_CHECKSUM = ChecksumAlgorithm.CRC32_C;
  /** Tries at placing content whose key other writers keep changing. */
  private static final int PLACE_TRIES = 5;

  private final S3Client s3;
  private final S3Settings settings;
  private final ObjectKeys keys;
  private final ExecutorService parts;
  private final CollectorMarks marks;
  /** Cleared the first time the service answers that it does not implement conditional writes. */
  private volatile boolean conditionalWrites = true;
  /** Objects larger than this are restamped by a multipart copy: {@link #MAX_COPY}, lowered by tests. */
  private volatile long copyLimit = MAX_COPY;

  Uploads(S3Client s3, S3Settings settings, ObjectKeys keys, ExecutorService parts, CollectorMarks marks) {
    this.s3 = s3;
    this.settings = settings;
    this.keys = keys;
    this.parts = parts;
    this.marks = marks;
  }

  /** Places complete staged content, and returns what is stored. */
  BlobInfo place(Staged staged) {
    BlobManifest manifest = staged.manifest();
    String id = manifest.id();
    String key = keys.keyOf(id);
    for (int attempt = 0; attempt < PLACE_TRIES; attempt++) {
      Optional<HeadObjectResponse> head = S3Ops.head(s3, settings, key, "put blob " + id);
      if (head.isPresent() && intact(head.get(), staged)) {
        Instant at = settings.clock().instant();
        if (refresh(key, head.get(), at) && marks.clear(id)) {
          return new BlobInfo(id, manifest.size(), at);
        }
        continue; // deleted, replaced or being collected meanwhile: look again
      }
      Instant at = settings.clock().instant();
      boolean placed = staged.inMemory() ? putWhole(key, staged, at, head.isEmpty())
          : putInParts(key, staged, at, head.isEmpty());
      // A blob written over an old copy could be taken by a collector that judged the old copy: see CollectorMarks.
      if (placed && (head.isEmpty() || marks.clear(id))) {
        return new BlobInfo(id, manifest.size(), at);
      }
      // Another writer stored the key between the check and the write, or a collector was at work: look again.
    }
    throw new dev.opskit.s3.S3BlobStoreException("could not put blob " + id + " at s3://" + settings.bucket() + "/"
        + key + ": other writers changed the object " + PLACE_TRIES + " times while this put tried to store it",
        settings.bucket(), key, null);
  }

  /**
   * Whether the stored object holds this content, judged without downloading it: by its full-object SHA-256 checksum
   * where the service keeps one, else by its ETag, which S3 makes from the MD5 of the content (stored in one piece)
   * or of its parts (a multipart upload), recomputed here from the staged content. An object whose ETag cannot be
   * recomputed (SSE-KMS, or parts of another size) counts as damaged and is replaced: that costs an upload, never a
   * wrong blob.
   */
  private boolean intact(HeadObjectResponse head, Staged staged) {
    if (head.contentLength() == null || head.contentLength() != staged.size()) {
      return false;
    }
    String sha256 = head.checksumSHA256();
    boolean fullObject = head.checksumType() == null || head.checksumType() == ChecksumType.FULL_OBJECT;
    if (sha256 != null && fullObject && !sha256.contains("-")) {
      return sha256.equals(staged.sha256Base64());
    }
    String eTag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
    int dash = eTag.indexOf('-');
    if (dash < 0) {
      return eTag.equals(staged.eTag(0));
    }
    long partSize = partSizeFor(staged.size());
    long parts = (staged.size() + partSize - 1) / partSize;
    return eTag.substring(dash + 1).equals(Long.toString(parts)) && eTag.equals(staged.eTag(partSize));
  }

  /**
   * Test seam: restamps objects larger than a size by a multipart copy, as those over 5 GiB are, so that tests drive
   * that path on small objects.
   *
   * @param bytes from 0 to {@link #MAX_COPY}
   */
  void copyInPartsAbove(long bytes) {
    if (bytes < 0 || bytes > MAX_COPY) {
      throw new IllegalArgumentException("the copy limit must be from 0 to " + MAX_COPY + ", got " + bytes);
    }
    copyLimit = bytes;
  }

  /** The size of the parts a put of content of a size uploads, and a restamp of it copies. */
  long partSizeFor(long size) {
    return Math.max(settings.partSize(), ceilToMiB((size + MAX_PARTS - 1) / MAX_PARTS));
  }

  private Map<String, String> stamp(Instant at) {
    return Map.of(S3Ops.STORED_AT, at.toString());
  }

  /** Restamps an object by copying it onto itself; false if it was deleted or replaced since it was looked at. */
  boolean refresh(String key, HeadObjectResponse head, Instant at) {
    if (head.contentLength() != null && head.contentLength() > copyLimit) {
      return new PartCopy(s3, settings, parts).copy(key, head, stamp(at), partSizeFor(head.contentLength()));
    }
    try {
      s3.copyObject(b -> {
        b.sourceBucket(settings.bucket()).sourceKey(key).destinationBucket(settings.bucket()).destinationKey(key)
            .metadataDirective(MetadataDirective.REPLACE).metadata(stamp(at)).contentType(CONTENT_TYPE)
            .copySourceIfMatch(head.eTag());
        if (settings.checksums()) {
          b.checksumAlgorithm(ChecksumAlgorithm.SHA256);
        }
      });
      return true;
    } catch (SdkException e) {
      int status = Failures.status(e);
      if (status == 404 || status == 412) {
        return false;
      }
      throw Failures.of(settings, "restamp blob " + keys.idOf(key), key, "s3:GetObject and s3:PutObject", e);
    }
  }

  /** Sends content held in memory in one request; false if the key was taken meanwhile. */
  private boolean putWhole(String key, Staged staged, Instant at, boolean conditional) {
    boolean ifNoneMatch = conditional && conditionalWrites;
    try {
      s3.putObject(b -> {
        b.bucket(settings.bucket()).key(key).contentLength(staged.size()).contentType(CONTENT_TYPE)
            .metadata(stamp(at));
        if (settings.checksums()) {
          b.checksumSHA256(staged.sha256Base64());
        }
        if (ifNoneMatch) {
          b.ifNoneMatch("*");
        }
      }, RequestBody.fromContentProvider(() -> staged.open(0, staged.size()), staged.size(), CONTENT_TYPE));
      return true;
    } catch (SdkException e) {
      if (ifNoneMatch && conditionalNotSupported(e)) {
        return putWhole(key, staged, at, conditional);
      }
      if (ifNoneMatch && (Failures.status(e) == 412 || Failures.status(e) == 409)) {
        return false;
      }
      throw Failures.of(settings, "put blob " + staged.manifest().id(), key, "s3:PutObject", e);
    }
  }

  private boolean conditionalNotSupported(SdkException e) {
    if (Failures.status(e) == 501 || "NotImplemented".equals(Failures.code(e))) {
      conditionalWrites = false;
      LOG.info("the S3 service of bucket {} does not implement conditional writes (If-None-Match); puts check for "
          + "the object first and then write unconditionally", settings.bucket());
      return true;
    }
    return false;
  }

  /**
   * Sends spooled content as a multipart upload of parallel parts, and completes it only if every part arrived; any
   * failure aborts the upload, so that no part is left behind. False if the key was taken meanwhile.
   */
  private boolean putInParts(String key, Staged staged, Instant at, boolean conditional) {
    long size = staged.size();
    long partSize = partSizeFor(size);
    int count = (int) ((size + partSize - 1) / partSize);
    String id = staged.manifest().id();
    String uploadId;
    try {
      uploadId = s3.createMultipartUpload(b -> {
        b.bucket(settings.bucket()).key(key).contentType(CONTENT_TYPE).metadata(stamp(at));
        if (settings.checksums()) {
          b.checksumAlgorithm(PART_CHECKSUM).checksumType(ChecksumType.COMPOSITE);
        }
      }).uploadId();
    } catch (SdkException e) {
      throw Failures.of(settings, "start the multipart upload of blob " + id, key, "s3:PutObject", e);
    }
    boolean completed = false;
    try {
      List<CompletedPart> done = uploadParts(key, uploadId, staged, partSize, count);
      boolean ifNoneMatch = conditional && conditionalWrites;
      try {
        complete(key, uploadId, done, ifNoneMatch);
      } catch (SdkException e) {
        if (ifNoneMatch && conditionalNotSupported(e)) {
          complete(key, uploadId, done, false);
        } else if (ifNoneMatch && (Failures.status(e) == 412 || Failures.status(e) == 409)) {
          return false;
        } else {
          throw e;
        }
      }
      completed = true;
      return true;
    } catch (SdkException e) {
      throw Failures.of(settings, "put blob " + id + " in " + count + " parts", key,
          "s3:PutObject and s3:AbortMultipartUpload", e);
    } finally {
      if (!completed) {
        abort(key, uploadId);
      }
    }
  }

  private void complete(String key, String uploadId, List<CompletedPart> done, boolean ifNoneMatch) {
    s3.completeMultipartUpload(b -> {
      b.bucket(settings.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done));
      if (ifNoneMatch) {
        b.ifNoneMatch("*");
      }
    });
  }

  private List<CompletedPart> uploadParts(String key, String uploadId, Staged staged, long partSize, int count) {
    Semaphore inFlight = new Semaphore(settings.parallelism());
    List<Future<CompletedPart>> futures = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        int number = i + 1;
        long offset = i * partSize;
        long length = Math.min(partSize, staged.size() - offset);
        inFlight.acquire();
        if (futures.stream().anyMatch(f -> f.isDone() && failed(f))) {
          inFlight.release();
          break;
        }
        futures.add(parts.submit(() -> {
          try {
            UploadPartResponse r = s3.uploadPart(b -> {
              b.bucket(settings.bucket()).key(key).uploadId(uploadId).partNumber(number).contentLength(length);
              if (settings.checksums()) {
                b.checksumAlgorithm(PART_CHECKSUM);
              }
            }, RequestBody.fromContentProvider(() -> staged.open(offset, length), length, CONTENT_TYPE));
            return CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32C(r.checksumCRC32C())
                .build();
          } finally {
            inFlight.release();
          }
        }));
      }
      List<CompletedPart> done = new ArrayList<>(count);
      for (Future<CompletedPart> f : futures) {
        done.add(f.get());
      }
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.opskit.store.StoreException("interrupted while uploading to s3://" + settings.bucket() + "/"
          + key + "; the upload was aborted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SdkException s) {
        throw s;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new dev.opskit.store.StoreException("could not upload a part to s3://" + settings.bucket() + "/" + key
          + ": " + cause, cause);
    } finally {
      for (Future<CompletedPart> f : futures) {
        f.cancel(true);
      }
    }
  }

  private static boolean failed(Future<?> f) {
    try {
      f.get();
      return false;
    } catch (ExecutionException | CancellationException e) {
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
      LOG.warn("could not abort the multipart upload {} of s3://{}/{}; its parts stay until a lifecycle rule "
          + "(AbortIncompleteMultipartUpload) or the next open of the store removes them", uploadId,
          settings.bucket(), key, e);
    }
  }

  private static long ceilToMiB(long bytes) {
    long mib = 1L << 20;
    return (bytes + mib - 1) / mib * mib;
  }
}
