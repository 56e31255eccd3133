package dev.opskit.s3.internal;

import dev.opskit.s3.S3BlobStore;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobNotFoundException;
import dev.opskit.store.BlobStore;
import dev.opskit.store.StoreException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 blob store: see {@link S3BlobStore} for what it promises. Puts go through {@link Staged} and
 * {@link Uploads}; reads through {@link ResumableObjectStream} and a check against the id or the manifest.
 * Thread-safe.
 */
public final class S3BlobStoreImpl implements S3BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3BlobStoreImpl.class);
  /** The object written at open to check write access; its key is no blob's. */
  static final String ACCESS_CHECK = ".opskit-access-check";
  /** Multipart uploads older than this at open were left by a process that died; they are aborted. */
  private static final Duration ABANDONED = Duration.ofDays(1);
  private static final int HEADS_AT_ONCE = 16;
  /** The buffers of a read ahead: four of them, 1 MiB per open stream. */
  private static final int READ_AHEAD_BUFFER = 256 * 1024;

  private final S3Client s3;
  private final boolean ownsClient;
  private final S3Settings settings;
  private final ObjectKeys keys;
  private final ExecutorService pool;
  private final Uploads uploads;
  private final CollectorMarks marks;
  /** Test seam: runs in a collection between the second look at a blob and its delete. */
  volatile Runnable beforeCollectorDeletes = () -> {};
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Cleared the first time the service answers that it does not implement conditional deletes. */
  private volatile boolean conditionalDeletes = true;

  private S3BlobStoreImpl(S3Client s3, boolean ownsClient, S3Settings settings) {
    this.s3 = s3;
    this.ownsClient = ownsClient;
    this.settings = settings;
    this.keys = new ObjectKeys(settings.prefix());
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "opskit-s3-" + settings.bucket() + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.marks = new CollectorMarks(s3, settings, keys, System::nanoTime);
    this.uploads = new Uploads(s3, settings, keys, pool, marks);
    this.description = "S3 blobs in s3://" + settings.bucket() + "/" + keys.base() + " at " + settings.endpoint();
  }

  /**
   * Opens a store: checks that the bucket exists and can be listed and, unless read-only, written, and aborts the
   * multipart uploads under the prefix that a process that died left behind.
   *
   * @param s3 the client
   * @param ownsClient whether closing the store closes the client
   * @param settings the settings
   * @return the store
   * @throws dev.opskit.s3.S3BlobStoreException if the bucket is missing, access is denied or the service is down
   */
  public static S3BlobStoreImpl open(S3Client s3, boolean ownsClient, S3Settings settings) {
    S3BlobStoreImpl store = new S3BlobStoreImpl(s3, ownsClient, settings);
    try {
      store.checkAccess();
      if (!settings.readOnly()) {
        store.abortAbandonedUploads();
        store.removeAbandonedSpools();
      }
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private void checkAccess() {
    String bucket = settings.bucket();
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      throw Failures.of(settings, "open the blob store", "", "s3:ListBucket", e);
    }
    try {
      s3.listObjectsV2(b -> b.bucket(bucket).prefix(keys.base()).maxKeys(1));
    } catch (SdkException e) {
      throw Failures.of(settings, "list the blobs", keys.base(), "s3:ListBucket", e);
    }
    if (!settings.readOnly()) {
      String key = keys.base() + ACCESS_CHECK;
      byte[] note = "written by opskit when it opens the store, to check write access\n"
          .getBytes(StandardCharsets.US_ASCII);
      try {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromBytes(note));
      } catch (SdkException e) {
        throw Failures.of(settings, "check write access", key, "s3:PutObject", e);
      }
    }
  }

  private void abortAbandonedUploads() {
    Instant before = settings.clock().instant().minus(ABANDONED);
    try {
      for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(settings.bucket())
          .prefix(keys.base())).uploads()) {
        if (upload.initiated() != null && upload.initiated().isBefore(before) && keys.idOf(upload.key()) != null) {
          s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(upload.key()).uploadId(upload.uploadId()));
          LOG.info("aborted the multipart upload {} of s3://{}/{}, started at {} by a process that did not finish it",
              upload.uploadId(), settings.bucket(), upload.key(), upload.initiated());
        }
      }
    } catch (SdkException e) {
      LOG.debug("could not look for abandoned multipart uploads in s3://{}/{}; a lifecycle rule "
          + "(AbortIncompleteMultipartUpload) removes them", settings.bucket(), keys.base(), e);
    }
  }

  /**
   * Deletes spool files that puts killed more than a day ago left behind; a live put writes its file as it goes. The
   * age is judged on the system clock, not the store's: file times come from the operating system's clock, and a
   * store's clock set ahead (in a test) must not take the files of live puts.
   */
  private void removeAbandonedSpools() {
    Instant before = java.time.Clock.systemUTC().instant().minus(ABANDONED);
    int removed = 0;
    try (java.nio.file.DirectoryStream<java.nio.file.Path> spools = java.nio.file.Files.newDirectoryStream(
        settings.spoolDirectory(), Staged.PREFIX + "*" + Staged.SUFFIX)) {
      for (java.nio.file.Path spool : spools) {
        try {
          if (java.nio.file.Files.getLastModifiedTime(spool).toInstant().isBefore(before)
              && java.nio.file.Files.deleteIfExists(spool)) {
            removed++;
          }
        } catch (java.io.IOException e) {
          LOG.debug("could not remove the old spool file {}", spool, e);
        }
      }
    } catch (java.io.IOException | java.nio.file.DirectoryIteratorException e) {
      LOG.debug("could not look for old spool files in {}", settings.spoolDirectory(), e);
    }
    if (removed > 0) {
      LOG.info("removed {} spool files that puts killed more than a day ago left in {}", removed,
          settings.spoolDirectory());
    }
  }

  @Override
  public String bucket() {
    return settings.bucket();
  }

  @Override
  public String prefix() {
    return settings.prefix();
  }

  @Override
  public String keyOf(String id) {
    return keys.keyOf(id);
  }

  // Puts

  @Override
  public BlobInfo put(InputStream content) {
    Objects.requireNonNull(content, "content");
    return store(staged -> staged.copyFrom(content), BlobManifest.hasherWithoutChunkDigests()).info;
  }

  @Override
  public BlobManifest putWithManifest(InputStream content) {
    Objects.requireNonNull(content, "content");
    return store(staged -> staged.copyFrom(content), BlobManifest.hasher()).manifest;
  }

  @Override
  public BlobInfo write(ContentWriter writer) {
    Objects.requireNonNull(writer, "writer");
    return store(staged -> writer.writeTo(unclosable(staged)), BlobManifest.hasherWithoutChunkDigests()).info;
  }

  @Override
  public BlobManifest writeWithManifest(ContentWriter writer) {
    Objects.requireNonNull(writer, "writer");
    return store(staged -> writer.writeTo(unclosable(staged)), BlobManifest.hasher()).manifest;
  }

  /** Fills staged content. */
  @FunctionalInterface
  private interface Fill {
    void into(Staged staged) throws IOException;
  }

  private record Placed(BlobInfo info, BlobManifest manifest) {}

  /** Stages and places content; a plain put's hasher skips the chunk digests, whose manifest is not kept. */
  private Placed store(Fill fill, BlobManifest.Hasher hasher) {
    checkWritable("put a blob");
    try (Staged staged = new Staged(settings.partSize(), settings.spoolDirectory(), hasher)) {
      BlobManifest manifest;
      try {
        fill.into(staged);
        manifest = staged.finish();
      } catch (IOException e) {
        throw new StoreException("could not read or spool the content to store in " + description + ": " + e
            + "; nothing was stored", e);
      }
      return new Placed(uploads.place(staged), manifest);
    }
  }

  private static OutputStream unclosable(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() {
        // the store finishes the content
      }
    };
  }

  private void checkWritable(String what) {
    if (settings.readOnly()) {
      throw new IllegalStateException("cannot " + what + ": " + description + " was opened read-only; open it "
          + "without readOnly() to write");
    }
    if (closed.get()) {
      throw new IllegalStateException("cannot " + what + ": " + description + " is closed");
    }
  }

  // Reads

  @Override
  public InputStream open(String id) {
    String key = keys.keyOf(id);
    ResumableObjectStream raw = get(id, key);
    int chunk = (int) Math.max(1, Math.min(128 * 1024, raw.length()));
    return BlobStore.verifying(ahead(raw), id, location(key), chunk);
  }

  @Override
  public InputStream open(String id, BlobManifest manifest) {
    BlobStore.checkManifest(id, manifest);
    String key = keys.keyOf(id);
    return manifest.verify(ahead(get(id, key)), location(key));
  }

  /**
   * Opens a range with a ranged {@code GetObject} of just the chunks that cover it ({@code bytes=start-end}), or, when
   * they reach the blob's end, of everything from their start ({@code bytes=start-}), so that bytes stored past the
   * blob's end are found. An object shorter than the range's first chunk is corrupt.
   */
  @Override
  public InputStream openRange(String id, BlobManifest manifest, long offset, long length) {
    BlobStore.checkManifest(id, manifest);
    String key = keys.keyOf(id);
    return manifest.verifyRange(offset, length,
        (start, end) -> ahead(getRange(id, key, start, end < manifest.size() ? end : -1, manifest.size())),
        location(key));
  }

  /** Objects of more than a few buffers are read ahead of the check, so that downloading and hashing overlap. */
  private InputStream ahead(ResumableObjectStream raw) {
    return raw.length() > 4 * READ_AHEAD_BUFFER ? new ReadAhead(raw, pool, READ_AHEAD_BUFFER, 4) : raw;
  }

  private String location(String key) {
    return "s3://" + settings.bucket() + "/" + key;
  }

  private ResumableObjectStream get(String id, String key) {
    ResponseInputStream<GetObjectResponse> first;
    try {
      first = getFrom(key, 0, null);
    } catch (SdkException e) {
      if (Failures.status(e) == 404 && !"NoSuchBucket".equals(Failures.code(e))) {
        throw new BlobNotFoundException(id, description);
      }
      throw Failures.of(settings, "read blob " + id, key, "s3:GetObject", e);
    }
    return new ResumableObjectStream(first, (offset, eTag) -> {
      try {
        return getFrom(key, offset, eTag);
      } catch (SdkException e) {
        if (Failures.status(e) == 412) {
          throw new StoreException("blob " + id + " at " + location(key) + " was replaced while it was read; read "
              + "it again", e);
        }
        throw Failures.of(settings, "resume reading blob " + id, key, "s3:GetObject", e);
      }
    }, location(key), settings.maxAttempts());
  }

  private ResponseInputStream<GetObjectResponse> getFrom(String key, long offset, @Nullable String eTag) {
    return getBetween(key, offset, -1, eTag);
  }

  /** Gets bytes from {@code start} to {@code end} (exclusive), or to the object's end if {@code end} is -1. */
  private ResponseInputStream<GetObjectResponse> getBetween(String key, long start, long end, @Nullable String eTag) {
    return s3.getObject(b -> {
      b.bucket(settings.bucket()).key(key);
      if (end >= 0) {
        b.range("bytes=" + start + "-" + (end - 1));
      } else if (start > 0) {
        b.range("bytes=" + start + "-");
      }
      if (eTag != null) {
        b.ifMatch(eTag);
      }
    });
  }

  /**
   * The bytes of a range of an object, resumed within the range after a broken connection, like {@link #get}. A 416
   * answer (the object ends before {@code start}) means the blob was truncated.
   */
  private ResponseInputStream<GetObjectResponse> firstOfRange(String id, String key, long start, long end,
      long size) {
    try {
      return getBetween(key, start, end, null);
    } catch (SdkException e) {
      if (Failures.status(e) == 404 && !"NoSuchBucket".equals(Failures.code(e))) {
        throw new BlobNotFoundException(id, description);
      }
      if (Failures.status(e) == 416) {
        throw new dev.opskit.store.CorruptBlobException(id, location(key), start, "it ends before byte " + start
            + ", but the blob has " + size);
      }
      throw Failures.of(settings, "read blob " + id + " from byte " + start, key, "s3:GetObject", e);
    }
  }

  private ResponseInputStream<GetObjectResponse> resumeRange(String id, String key, long from, long end,
      String eTag) {
    try {
      return getBetween(key, from, end, eTag);
    } catch (SdkException e) {
      if (Failures.status(e) == 412) {
        throw new StoreException("blob " + id + " at " + location(key) + " was replaced while it was read; read "
            + "it again", e);
      }
      throw Failures.of(settings, "resume reading blob " + id, key, "s3:GetObject", e);
    }
  }

  private ResumableObjectStream getRange(String id, String key, long start, long end, long size) {
    return new ResumableObjectStream(firstOfRange(id, key, start, end, size),
        (offset, eTag) -> resumeRange(id, key, start + offset, end, eTag), location(key), settings.maxAttempts());
  }

  // stat, delete, forEach

  @Override
  public Optional<BlobInfo> stat(String id) {
    String key = keys.keyOf(id);
    return S3Ops.head(s3, settings, key, "describe blob " + id).map(h -> info(id, h));
  }

  private static BlobInfo info(String id, HeadObjectResponse head) {
    return new BlobInfo(id, head.contentLength() == null ? 0 : head.contentLength(), S3Ops.storedAt(head));
  }

  @Override
  public boolean delete(String id) {
    String key = keys.keyOf(id);
    checkWritable("delete blob " + id);
    Optional<HeadObjectResponse> head = S3Ops.head(s3, settings, key, "delete blob " + id);
    if (head.isEmpty()) {
      return false;
    }
    try {
      s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
      return true;
    } catch (SdkException e) {
      throw Failures.of(settings, "delete blob " + id, key, "s3:DeleteObject", e);
    }
  }

  /**
   * Deletes a blob only if its stamp is before the cutoff, safely against a put of the same content that restamps it
   * meanwhile: the collector marks the blob ({@link CollectorMarks}), looks at it again, deletes it only if it is still
   * old and the mark is fresh, and removes the mark; a put that restamped the blob waits for the mark to go and puts
   * the blob back if the collector took it. The delete is also conditioned on the ETag it saw ({@code If-Match}),
   * where the service supports it, so that a blob replaced meanwhile is kept.
   */
  @Override
  public boolean deleteIfStoredBefore(String id, Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    String key = keys.keyOf(id);
    checkWritable("delete blob " + id);
    Optional<HeadObjectResponse> first = S3Ops.head(s3, settings, key, "collect blob " + id);
    if (first.isEmpty() || !S3Ops.storedAt(first.get()).isBefore(cutoff)) {
      return false;
    }
    if (!marks.acquire(id)) {
      return false; // another collector is at it
    }
    long marked = marks.now();
    try {
      Optional<HeadObjectResponse> head = S3Ops.head(s3, settings, key, "collect blob " + id);
      if (head.isEmpty() || !S3Ops.storedAt(head.get()).isBefore(cutoff)) {
        return false;
      }
      beforeCollectorDeletes.run();
      if (!marks.inTime(marked)) {
        LOG.info("left blob {} in s3://{} for the next collection: marking and checking it took more than {}", id,
            settings.bucket(), CollectorMarks.LEASE.dividedBy(2));
        return false;
      }
      return deleteIfUnchanged(id, key, head.get().eTag());
    } finally {
      marks.release(id);
    }
  }

  private boolean deleteIfUnchanged(String id, String key, String eTag) {
    boolean conditional = conditionalDeletes;
    try {
      s3.deleteObject(b -> {
        b.bucket(settings.bucket()).key(key);
        if (conditional) {
          b.ifMatch(eTag);
        }
      });
      return true;
    } catch (SdkException e) {
      if (conditional && Failures.status(e) == 412) {
        return false;
      }
      if (conditional && (Failures.status(e) == 501 || "NotImplemented".equals(Failures.code(e)))) {
        conditionalDeletes = false;
        LOG.info("the S3 service of bucket {} does not implement conditional deletes (If-Match)", settings.bucket());
        return deleteIfUnchanged(id, key, eTag);
      }
      throw Failures.of(settings, "collect blob " + id, key, "s3:DeleteObject", e);
    }
  }

  /** Test seam: the uploads, whose copy limit tests lower. */
  Uploads uploads() {
    return uploads;
  }

  /** Test seam: the marks, whose {@code onWait} runs when a put starts waiting for a collection. */
  CollectorMarks marks() {
    return marks;
  }

  /**
   * Lists the blobs under the prefix and looks each up for its stamp, {@value #HEADS_AT_ONCE} at a time: S3 lists
   * neither user metadata nor our clock's time, so a listing of n blobs costs n requests beside the pages.
   */
  @Override
  public void forEach(Consumer<BlobInfo> each) {
    Objects.requireNonNull(each, "each");
    List<String> batch = new ArrayList<>();
    try {
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket())
          .prefix(keys.base()))) {
        for (S3Object object : page.contents()) {
          String id = keys.idOf(object.key());
          if (id != null) {
            batch.add(id);
          }
        }
        if (batch.size() >= 256) {
          describeAll(batch, each);
          batch.clear();
        }
      }
    } catch (SdkException e) {
      throw Failures.of(settings, "list the blobs", keys.base(), "s3:ListBucket", e);
    }
    describeAll(batch, each);
  }

  private void describeAll(List<String> ids, Consumer<BlobInfo> each) {
    List<Future<Optional<BlobInfo>>> infos = new ArrayList<>(ids.size());
    java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(HEADS_AT_ONCE);
    try {
      for (String id : ids) {
        inFlight.acquire();
        infos.add(pool.submit(() -> {
          try {
            return stat(id);
          } finally {
            inFlight.release();
          }
        }));
      }
      for (Future<Optional<BlobInfo>> info : infos) {
        info.get().ifPresent(each);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while listing " + description, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("could not list " + description + ": " + e.getCause(), e.getCause());
    } finally {
      for (Future<Optional<BlobInfo>> info : infos) {
        info.cancel(true);
      }
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    pool.shutdownNow();
    if (ownsClient) {
      s3.close();
    }
  }
}
