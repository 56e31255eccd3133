package dev.opskit.s3;

import dev.opskit.store.BlobStore;
import java.net.URI;
import org.apiguardian.api.API;

/**
 * A content-addressed {@link BlobStore} in an S3 bucket, for workspaces that several processes or machines share:
 * AWS S3 or any S3-compatible service.
 *
 * <pre>{@code
 * try (MetadataStore metadata = MetadataStore.postgres(dataSource);
 *      S3BlobStore blobs = S3BlobStore.at("s3://team-ml/opskit?region=eu-west-1");
 *      Workspace ws = Workspace.builder().open(metadata, blobs)) {
 *   ws.runner().run(pipeline);
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Keys.</b> The blob {@code abcdef...} is the object {@code <prefix>/ab/cdef...}.
 *   <li><b>Puts.</b> Content up to {@link S3BlobStoreBuilder#partSize(long) one part} is held in memory and sent in
 *       one request, with its SHA-256 as the object's checksum. Larger content is spooled to a local file while it
 *       is hashed, since its key is its hash, and then sent as a multipart upload of parallel parts, each with its
 *       CRC32C checksum; a failed upload is aborted, so that no part is left behind. Content that is already stored
 *       is not sent again: a put checks for the object first, and writes with {@code If-None-Match: *} where the
 *       service supports it. Heap use is bounded whatever the size.
 *   <li><b>Reads</b> are verified as for local blobs: {@link #open(String)} checks the whole content against the id
 *       before handing out its last chunk, and {@link #open(String, dev.opskit.store.BlobManifest)} checks it chunk by
 *       chunk. A connection that breaks mid-read is resumed with a ranged request for the rest of the same object
 *       ({@code If-Match} on its ETag); a reader that stops early stops the download. Larger objects are read a
 *       little ahead of the check, so that downloading and hashing overlap. A range,
 *       {@link #openRange(String, dev.opskit.store.BlobManifest, long, long)}, is one ranged {@code GetObject} of just
 *       the chunks that cover it, each checked against its own digest before any byte of it is handed out.
 *   <li><b>Stamps.</b> A blob's {@code storedAt} is the store's clock at the put, kept in the object's metadata
 *       ({@code x-amz-meta-opskit-stored-at}); a put of content already stored refreshes it with a copy of the object
 *       onto itself, which sends no bytes: one {@code CopyObject}, or, above its 5 GiB limit, a multipart copy on the
 *       server in parts of the upload's size, aborted on failure. Garbage collection's grace period is judged on it.
 *   <li><b>Failures.</b> Network errors and throttling are retried with the SDK's backoff; a failure after the retries
 *       is an {@link S3BlobStoreException} naming the bucket and key. A missing bucket or denied access is reported
 *       when the store is opened.
 * </ul>
 *
 * <p>Implementations are thread-safe. Closing the store closes the S3 client it made, never one the caller passed.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public interface S3BlobStore extends BlobStore {
  /**
   * Starts configuring a store in a bucket.
   *
   * @param bucket the bucket, which must exist
   * @return the builder
   * @throws IllegalArgumentException if the name breaks S3's bucket naming rules
   */
  static S3BlobStoreBuilder builder(String bucket) {
    return new S3BlobStoreBuilder(bucket);
  }

  /**
   * Starts configuring a store from a URI {@code s3://bucket/prefix?region=...&endpoint=...&pathStyle=true}; every
   * part but the bucket is optional. Further settings, such as credentials, can be added to the builder.
   *
   * @param uri the URI
   * @return the builder
   * @throws IllegalArgumentException if the URI is malformed or has an unknown parameter, naming it
   */
  static S3BlobStoreBuilder fromUri(String uri) {
    return S3BlobStoreBuilder.fromUri(URI.create(java.util.Objects.requireNonNull(uri, "uri")));
  }

  /**
   * Opens a store from a URI with the default credential chain: see {@link #fromUri(String)}.
   *
   * @param uri the URI, for example {@code s3://team-ml/opskit?region=eu-west-1}
   * @return the store
   * @throws S3BlobStoreException if the bucket is missing or access is denied
   */
  static S3BlobStore at(String uri) {
    return fromUri(uri).open();
  }

  /**
   * Returns the bucket.
   *
   * @return the bucket name
   */
  String bucket();

  /**
   * Returns the key prefix the blobs live under, without a trailing slash.
   *
   * @return the prefix, or empty for the bucket's root
   */
  String prefix();

  /**
   * Returns the object key of a blob.
   *
   * @param id the blob id
   * @return {@code <prefix>/ab/cdef...}
   * @throws IllegalArgumentException if the id is not 64 lowercase hex characters
   */
  String keyOf(String id);
}
