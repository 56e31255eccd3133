package dev.opskit.s3.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The marks that close the race between a collector's delete and a put that restamps the same blob. S3 cannot make
 * the delete conditional on the stamp (a restamp keeps the ETag, since the content is the same), so a collector first
 * writes a mark {@code <prefix>/.opskit-gc/<id>} with {@code If-None-Match: *}, then looks at the blob again and
 * deletes it only if it is still old, then removes the mark. A put that restamped or replaced a blob looks for the
 * mark afterwards: if there is none, any collector that comes later sees the new stamp; if there is one, the put
 * waits for it to go and then checks the blob again, putting it back if the collector took it.
 *
 * <p>A collector that holds a mark longer than half the {@link #LEASE} gives up without deleting; a put that has
 * waited the whole lease removes the mark, left by a collector that died. Thread-safe.
 */
final class CollectorMarks {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorMarks.class);
  /** Where the marks live under the prefix; no blob key starts so. */
  static final String FOLDER = ".opskit-gc/";
  /** How long a mark may stand before a put removes it. */
  static final Duration LEASE = Duration.ofSeconds(20);
  private static final long POLL_MILLIS = 50;

  private final S3Client s3;
  private final S3Settings settings;
  private final ObjectKeys keys;
  private final LongSupplier nanos;
  /** Test seam: runs when a put starts waiting for a mark. */
  volatile Runnable onWait = () -> {};

  CollectorMarks(S3Client s3, S3Settings settings, ObjectKeys keys, LongSupplier nanos) {
    this.s3 = s3;
    this.settings = settings;
    this.keys = keys;
    this.nanos = nanos;
  }

  String keyOf(String id) {
    return keys.base() + FOLDER + id;
  }

  /** Writes the mark of a blob; false if another collector holds it. */
  boolean acquire(String id) {
    String key = keyOf(id);
    try {
      s3.putObject(b -> b.bucket(settings.bucket()).key(key).ifNoneMatch("*"), RequestBody.empty());
      return true;
    } catch (SdkException e) {
      int status = Failures.status(e);
      if (status == 412 || status == 409) {
        return false;
      }
      if (status == 501 || "NotImplemented".equals(Failures.code(e))) {
        // Without conditional writes two collectors may both hold a mark; each still looks again before deleting.
        try {
          s3.putObject(b -> b.bucket(settings.bucket()).key(key), RequestBody.empty());
          return true;
        } catch (SdkException again) {
          throw Failures.of(settings, "mark blob " + id + " for collection", key, "s3:PutObject", again);
        }
      }
      throw Failures.of(settings, "mark blob " + id + " for collection", key, "s3:PutObject", e);
    }
  }

  /** Removes the mark of a blob. */
  void release(String id) {
    String key = keyOf(id);
    try {
      s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
    } catch (SdkException e) {
      LOG.warn("could not remove the collection mark s3://{}/{}; puts of that blob wait {} for it, then remove it",
          settings.bucket(), key, LEASE, e);
    }
  }

  /** Whether a collector that marked at {@code startNanos} may still delete: it held the mark under half a lease. */
  boolean inTime(long startNanos) {
    return nanos.getAsLong() - startNanos < LEASE.toNanos() / 2;
  }

  long now() {
    return nanos.getAsLong();
  }

  /**
   * Called by a put that restamped or replaced a blob: true if no collector marks it, false after waiting for a mark
   * to go (the put must then check the blob again).
   */
  boolean clear(String id) {
    String key = keyOf(id);
    Optional<HeadObjectResponse> mark = S3Ops.head(s3, settings, key, "check blob " + id + " for a collection");
    if (mark.isEmpty()) {
      return true;
    }
    onWait.run();
    long start = nanos.getAsLong();
    while (mark.isPresent() && nanos.getAsLong() - start < LEASE.toNanos()) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.opskit.store.StoreException("interrupted while waiting for a collection of blob " + id
            + " in s3://" + settings.bucket() + " to end", e);
      }
      mark = S3Ops.head(s3, settings, key, "check blob " + id + " for a collection");
    }
    if (mark.isPresent()) {
      LOG.warn("the collection mark s3://{}/{} stood for {}: its collector died; removing it", settings.bucket(), key,
          LEASE);
      String eTag = mark.get().eTag();
      try {
        s3.deleteObject(b -> b.bucket(settings.bucket()).key(key).ifMatch(eTag));
      } catch (SdkException e) {
        LOG.debug("could not remove the stale mark s3://{}/{}", settings.bucket(), key, e);
      }
    }
    return false;
  }
}
