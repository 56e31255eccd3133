package dev.opskit.store;

import dev.opskit.spi.OpsRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Content-addressed storage of bytes. A blob's id is the lowercase hex SHA-256 of its content, so the same content is
 * stored once, and every read is checked against the id.
 *
 * <ul>
 *   <li>{@link #put(InputStream)} streams: it hashes while it copies, and never holds the whole blob in memory.
 *   <li>Writes are atomic: a blob is either absent or complete, even if the process dies during the write.
 *   <li>{@link #open(String)} verifies the content while it is read and fails with {@link CorruptBlobException}
 *       instead of returning bytes that do not match the id.
 *   <li>{@link #open(String, BlobManifest)} checks each chunk against the blob's {@link BlobManifest}, which
 *       {@link #putWithManifest(InputStream)} computes, before handing out any byte of it: a reader that stops early
 *       has only read checked bytes. opskit records manifests in the metadata store.
 *   <li>{@link #openRange(String, BlobManifest, long, long)} reads a range checked the same way, reading only the
 *       chunks that cover it.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public interface BlobStore extends AutoCloseable {
  /**
   * Creates a blob store in memory, for tests. Blobs are stamped with the system clock.
   *
   * @return the store
   */
  static BlobStore inMemory() {
    return inMemory(Clock.systemUTC());
  }

  /**
   * Creates a blob store in memory, for tests.
   *
   * @param clock the clock that stamps blobs
   * @return the store
   */
  static BlobStore inMemory(Clock clock) {
    return OpsRuntime.get().inMemoryBlobStore(Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Opens a blob store in a local directory, creating it if missing. Blobs live in sharded folders
   * ({@code ab/cdef...}); temporary files a crash left behind are removed on open.
   *
   * @param directory the directory
   * @return the store
   * @throws StoreException if the directory cannot be created or written, naming it
   */
  static BlobStore local(Path directory) {
    return local(directory, Clock.systemUTC());
  }

  /**
   * Opens a blob store in a local directory, creating it if missing.
   *
   * @param directory the directory
   * @param clock the clock that stamps blobs, so that garbage collection's grace period and tests agree
   * @return the store
   * @throws StoreException if the directory cannot be created or written, naming it
   */
  static BlobStore local(Path directory, Clock clock) {
    return OpsRuntime.get().localBlobStore(Objects.requireNonNull(directory, "directory"),
        Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Stores the bytes of a stream, which this method reads to its end but does not close.
   *
   * @param content the bytes
   * @return the blob's id and size
   * @throws StoreException if the bytes cannot be read or stored; nothing partial remains
   */
  BlobInfo put(InputStream content);

  /**
   * Stores the bytes a writer produces, streamed through the same hashing and atomic write as {@link #put(InputStream)},
   * without a pipe or a thread: use it to encode a value straight into the store.
   *
   * @param writer writes the content to the stream it is given, which it must not close
   * @return the blob's id and size
   * @throws StoreException if the writer or the store fails; nothing partial remains
   */
  BlobInfo write(ContentWriter writer);

  /**
   * Deletes a blob only if it was last stored before an instant. Garbage collection uses it so that a blob that a
   * concurrent put has just stored or confirmed survives, even if the collector judged it old a moment before.
   * The default checks {@link #stat} and then deletes, which leaves a small race; opskit's stores close it.
   *
   * @param id the blob id
   * @param cutoff blobs stored at or after this instant are kept
   * @return true if the blob was deleted
   */
  default boolean deleteIfStoredBefore(String id, java.time.Instant cutoff) {
    Optional<BlobInfo> info = stat(id);
    return info.isPresent() && info.get().storedAt().isBefore(cutoff) && delete(id);
  }

  /**
   * Writes a blob's content.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.MAINTAINED, since = "0.1.0")
  @FunctionalInterface
  interface ContentWriter {
    /**
     * Writes the content.
     *
     * @param out where to write; do not close it
     * @throws java.io.IOException if writing fails
     */
    void writeTo(java.io.OutputStream out) throws java.io.IOException;
  }

  /**
   * Stores bytes.
   *
   * @param content the bytes
   * @return the blob's id and size
   */
  default BlobInfo put(byte[] content) {
    return put(new java.io.ByteArrayInputStream(content));
  }

  /**
   * Opens a blob for reading. The stream verifies the content as it is read: reading to the end of a blob whose bytes
   * no longer match its id throws {@link CorruptBlobException}, before the last bytes are returned. Bytes before the
   * last chunk may be returned before the damage is found: a reader that may stop early, or act on what it read
   * before the end, opens the blob with its manifest, {@link #open(String, BlobManifest)}.
   *
   * @param id the blob id
   * @return a stream of the content; the caller closes it
   * @throws BlobNotFoundException if there is no such blob
   * @throws IllegalArgumentException if the id is not 64 lowercase hex characters
   */
  InputStream open(String id);

  /**
   * Stores the bytes of a stream, like {@link #put(InputStream)}, and returns the blob's {@link BlobManifest}, computed
   * in the same pass. Record the manifest where the blob's id is recorded (opskit keeps it in the metadata store) and
   * read the blob with {@link #open(String, BlobManifest)}, so that no damaged byte reaches a reader.
   *
   * <p>The default hashes the bytes on their way to {@link #put(InputStream)}, a second digest beside the store's own,
   * and checks that the store's id is their SHA-256; opskit's stores compute the manifest with the digest that computes
   * the id, plus, for content of more than one chunk, a digest per chunk ({@link BlobManifest#chunkDigests()}), which
   * makes such a put hash its content twice. {@link #put(InputStream)} computes no chunk digests.
   *
   * @param content the bytes
   * @return the blob's manifest, whose id and size are those {@code put} returns
   * @throws StoreException if the bytes cannot be read or stored, or if the store's id is not their SHA-256
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default BlobManifest putWithManifest(InputStream content) {
    java.util.Objects.requireNonNull(content, "content");
    BlobManifest.Hasher hasher = BlobManifest.hasher();
    BlobInfo info = put(hasher.tee(content));
    return checked(hasher.finish(), info);
  }

  /**
   * Stores the bytes a writer produces, like {@link #write(ContentWriter)}, and returns the blob's
   * {@link BlobManifest}, computed in the same pass; see {@link #putWithManifest(InputStream)}.
   *
   * @param writer writes the content to the stream it is given, which it must not close
   * @return the blob's manifest
   * @throws StoreException if the writer or the store fails, or if the store's id is not the content's SHA-256
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default BlobManifest writeWithManifest(ContentWriter writer) {
    java.util.Objects.requireNonNull(writer, "writer");
    BlobManifest.Hasher hasher = BlobManifest.hasher();
    BlobInfo info = write(out -> writer.writeTo(hasher.tee(out)));
    return checked(hasher.finish(), info);
  }

  private BlobManifest checked(BlobManifest manifest, BlobInfo info) {
    if (!manifest.id().equals(info.id()) || manifest.size() != info.size()) {
      throw new StoreException(describe() + " stored " + info.size() + " bytes as blob " + info.id() + ", but the "
          + manifest.size() + " bytes it was given hash to " + manifest.id() + "; a blob store must read the whole "
          + "content and name it by its SHA-256", null);
    }
    return manifest;
  }

  /**
   * Opens a blob for reading, checked chunk by chunk against its manifest: no byte of a chunk is returned before the
   * chunk matches the manifest, and the whole content is checked against the id before the last chunk is returned.
   * Unlike {@link #open(String)}, a reader that stops early has only read bytes that were checked.
   *
   * <p>The default checks the stream of {@link #open(String)} with {@link BlobManifest#verify(InputStream, String)},
   * naming the store's {@link #describe()} as the location; opskit's stores check their stored bytes directly.
   *
   * @param id the blob id
   * @param manifest the blob's manifest, as {@link #putWithManifest(InputStream)} returned it
   * @return a stream of the content; the caller closes it
   * @throws BlobNotFoundException if there is no such blob
   * @throws IllegalArgumentException if the id is malformed or the manifest is another blob's
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default InputStream open(String id, BlobManifest manifest) {
    checkManifest(id, manifest);
    return manifest.verify(open(id), describe());
  }

  /**
   * Opens a range of a blob, checked against its manifest: only the whole chunks that cover the range are read, each is
   * checked before any byte of it is handed out, and only the range's bytes are handed out. Damage in a chunk of the
   * range is a {@link CorruptBlobException} naming the blob, the chunk and its first byte, as for
   * {@link #open(String, BlobManifest)}; damage in a chunk outside the range is not seen.
   *
   * <p>A manifest recorded before {@linkplain BlobManifest#chunkDigests() chunk digests} existed checks a chunk only
   * together with those before it: the blob is then read and checked from its start, and the bytes before the range
   * are dropped; correct, but slower. A range of no bytes reads nothing, not even to check that the blob exists.
   *
   * <pre>{@code
   * try (InputStream in = blobs.openRange(manifest.id(), manifest, 5_000_000, 100)) {
   *   byte[] record = in.readAllBytes();   // 100 checked bytes, from the one 1 MiB chunk that holds them
   * }
   * }</pre>
   *
   * <p>The default reads through {@link #open(String)}, skipping to the first chunk of the range, and checks the chunks
   * with {@link BlobManifest#verifyRange}: it reads from the blob's start, and, since {@code open(id)} checks the whole
   * blob when it reaches the end, a range that reaches the last chunk fails on damage anywhere in the blob. opskit's
   * stores read just the covering chunks: the local store with a positioned read, the S3 store with a ranged
   * {@code GetObject}.
   *
   * @param id the blob id
   * @param manifest the blob's manifest, as {@link #putWithManifest(InputStream)} returned it
   * @param offset the range's first byte, from 0
   * @param length how many bytes it has, from 0
   * @return a stream of the range's bytes; the caller closes it
   * @throws BlobNotFoundException if there is no such blob
   * @throws IllegalArgumentException if the id is malformed, the manifest is another blob's, the offset or length is
   *     negative, or the range ends past the blob's size
   * @throws CorruptBlobException if the blob is found damaged while it is opened; later damage is thrown by the reads
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default InputStream openRange(String id, BlobManifest manifest, long offset, long length) {
    checkManifest(id, manifest);
    return manifest.verifyRange(offset, length, (start, end) -> {
      InputStream in = open(id);
      try {
        in.skipNBytes(start);
        return in;
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    }, describe());
  }

  /**
   * Streams a blob's stored bytes checked against its id, for a store's {@link #open(String)}: the stream stays one
   * chunk and one byte ahead of its reader and compares the SHA-256 of the whole with the id before it hands out any
   * byte of the last chunk, so a reader never gets the whole of a blob whose bytes do not match. A mismatch is a
   * {@link CorruptBlobException} naming the blob and the location, thrown again by every later read. The stream is not
   * thread-safe, and closes the source when closed.
   *
   * @param source the stored bytes
   * @param id the blob id the bytes must hash to
   * @param location where the bytes live (a path, a bucket and key), for the error
   * @param chunk how many bytes to hold back at most; the blob's size, if smaller, saves memory
   * @return the checked stream
   * @throws IllegalArgumentException if {@code chunk} is not positive
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  static InputStream verifying(InputStream source, String id, String location, int chunk) {
    return new VerifyingInputStream(source, id, location, chunk);
  }

  /**
   * Checks that a manifest is that of a blob.
   *
   * @param id the blob id
   * @param manifest the manifest
   * @return the manifest
   * @throws IllegalArgumentException if the id is malformed or the manifest is another blob's
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  static BlobManifest checkManifest(String id, BlobManifest manifest) {
    BlobInfo.checkId(id);
    java.util.Objects.requireNonNull(manifest, "manifest");
    if (!manifest.id().equals(id)) {
      throw new IllegalArgumentException("the manifest given is that of blob " + manifest.id() + ", not of blob " + id
          + "; pass the manifest recorded for this blob");
    }
    return manifest;
  }

  /**
   * Reads a whole blob into memory, verified. Only for small blobs.
   *
   * @param id the blob id
   * @return the content
   */
  default byte[] read(String id) {
    try (InputStream in = open(id)) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new StoreException("could not read blob " + id, e);
    }
  }

  /**
   * Describes a blob without reading it.
   *
   * @param id the blob id
   * @return its id and size, or empty if there is no such blob
   */
  Optional<BlobInfo> stat(String id);

  /**
   * Deletes a blob.
   *
   * @param id the blob id
   * @return true if it existed
   */
  boolean delete(String id);

  /**
   * Calls back with every blob, in no particular order. Blobs put during the listing may or may not appear.
   *
   * @param each receives every blob
   */
  void forEach(Consumer<BlobInfo> each);

  /**
   * Describes the store for messages, for example {@code "local blobs in /srv/ws/blobs"}.
   *
   * @return the description
   */
  String describe();

  /**
   * Releases the store's resources. Idempotent.
   */
  @Override
  default void close() {}
}
