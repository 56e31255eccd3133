package dev.opskit.store;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * What a reader checks a blob against chunk by chunk, so that no byte of a damaged blob reaches it, even one that
 * reads only the start. The content is cut into chunks of {@link #chunkSize()} bytes (the last may be shorter); after
 * each chunk but the last, the manifest holds a checkpoint: the SHA-256 of the content from its first byte to the end
 * of that chunk. The SHA-256 after the last chunk is the blob's {@link #id()}, so one running digest checks every
 * chunk and, at the end, the whole blob, and hashing costs what it cost before chunks were checked.
 *
 * <p>A blob of at most one chunk has no checkpoint: it is checked whole before its first byte is handed out. With the
 * default chunk of {@value #DEFAULT_CHUNK_SIZE} bytes, a 1 GiB blob has 1,023 checkpoints.
 *
 * <p>A checkpoint checks a chunk only together with everything before it. So that a range in the middle of a blob can
 * be checked without reading from the start ({@link BlobStore#openRange}), a manifest of more than one chunk also
 * holds {@link #chunkDigests()}: the SHA-256 of each chunk on its own, the last included. The first is the first
 * checkpoint, and the others cost a second digest over the rest of the content while it is written; whole reads still
 * use the checkpoints, one running digest. Manifests recorded before chunk digests existed have none: a range of such a
 * blob is checked from the blob's start ({@link #hasChunkDigests()}).
 *
 * <p>The manifest is only as trustworthy as the place it is kept: opskit records it in the metadata store, next to the
 * records that name the blob, and never beside the blob. A reader that has no manifest for a blob makes one with
 * {@link #scan(BlobStore, String)}, which reads the blob once and checks it whole, and then reads it again checked
 * against that manifest.
 *
 * <pre>{@code
 * BlobManifest manifest = blobs.putWithManifest(content);   // record it in the metadata store
 * try (InputStream in = blobs.open(manifest.id(), manifest)) {
 *   in.readNBytes(100);                                     // verified bytes only
 * }
 * }</pre>
 *
 * @param id the blob id: the lowercase hex SHA-256 of the whole content
 * @param size the content's size in bytes
 * @param chunkSize the bytes in each chunk but the last
 * @param checkpoints the lowercase hex SHA-256 of the content up to the end of each chunk but the last, in order
 * @param chunkDigests the lowercase hex SHA-256 of each chunk on its own, in order, the last included; empty for a blob
 *     of one chunk (its id is that digest) and in manifests recorded before chunk digests existed
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record BlobManifest(String id, long size, int chunkSize, List<String> checkpoints, List<String> chunkDigests) {
  /** The chunk opskit's stores cut content into: 1 MiB, so that most small blobs are one chunk. */
  public static final int DEFAULT_CHUNK_SIZE = 1 << 20;

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Checks the components.
   *
   * @param id the blob id
   * @param size the size
   * @param chunkSize the chunk size
   * @param checkpoints the checkpoints, one per chunk but the last
   * @param chunkDigests the chunk digests, one per chunk, or none
   * @throws IllegalArgumentException if a count does not fit the size, a digest is not 64 lowercase hex characters,
   *     or the first chunk's digest is not the first checkpoint (both are the SHA-256 of the first chunk)
   */
  public BlobManifest {
    BlobInfo.checkId(id);
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive, got " + chunkSize);
    }
    checkpoints = List.copyOf(checkpoints);
    long expected = chunksOf(size, chunkSize) - 1;
    if (checkpoints.size() != expected) {
      throw new IllegalArgumentException("a manifest of " + size + " bytes in chunks of " + chunkSize + " has "
          + expected + " checkpoints, got " + checkpoints.size());
    }
    checkHex("checkpoint", checkpoints);
    chunkDigests = List.copyOf(chunkDigests);
    if (!chunkDigests.isEmpty()) {
      if (expected == 0) {
        throw new IllegalArgumentException("a manifest of " + size + " bytes in chunks of " + chunkSize + " is one "
            + "chunk, checked against the id, and has no chunk digests; got " + chunkDigests.size());
      }
      if (chunkDigests.size() != expected + 1) {
        throw new IllegalArgumentException("a manifest of " + size + " bytes in chunks of " + chunkSize + " has "
            + (expected + 1) + " chunk digests, or none, got " + chunkDigests.size());
      }
      checkHex("chunk digest", chunkDigests);
      if (!chunkDigests.get(0).equals(checkpoints.get(0))) {
        throw new IllegalArgumentException("the first chunk digest, " + chunkDigests.get(0) + ", is not the first "
            + "checkpoint, " + checkpoints.get(0) + ": both are the SHA-256 of the first chunk");
      }
    }
  }

  /**
   * Makes a manifest without chunk digests, as recorded before they existed: a range of its blob is checked from the
   * blob's start.
   *
   * @param id the blob id
   * @param size the size
   * @param chunkSize the chunk size
   * @param checkpoints the checkpoints, one per chunk but the last
   */
  public BlobManifest(String id, long size, int chunkSize, List<String> checkpoints) {
    this(id, size, chunkSize, checkpoints, List.of());
  }

  private static void checkHex(String what, List<String> digests) {
    for (String c : digests) {
      if (!HEX64.matcher(c).matches()) {
        throw new IllegalArgumentException(what + " " + dev.opskit.Names.quote(c)
            + " is not a SHA-256: " + what + "s are 64 lowercase hex characters");
      }
    }
  }

  /**
   * Returns whether each chunk can be checked on its own, so that a range is read from its first chunk rather than
   * from the blob's start: the blob is one chunk (checked against the id), or the manifest holds
   * {@link #chunkDigests()}.
   *
   * @return true unless this is a manifest of several chunks recorded before chunk digests existed
   */
  public boolean hasChunkDigests() {
    return checkpoints.isEmpty() || !chunkDigests.isEmpty();
  }

  /**
   * Returns this manifest without its chunk digests, as it would have been recorded before they existed.
   *
   * @return the manifest with an empty {@link #chunkDigests()}
   */
  public BlobManifest withoutChunkDigests() {
    return chunkDigests.isEmpty() ? this : new BlobManifest(id, size, chunkSize, checkpoints);
  }

  /**
   * Returns how many chunks the content has: at least one, even when it is empty.
   *
   * @return the number of chunks
   */
  public long chunks() {
    return chunksOf(size, chunkSize);
  }

  private static long chunksOf(long size, int chunkSize) {
    return Math.max(1, (size + chunkSize - 1) / chunkSize);
  }

  /**
   * Wraps the stored bytes of this manifest's blob in a stream that hands out a chunk only once it is checked. A
   * chunk that does not match, content that ends early or goes on past {@link #size()}, and a whole that does not
   * hash to {@link #id()} are reported as {@link CorruptBlobException} before any byte of the chunk in question is
   * handed out; after that every read throws it again. Stores use it to implement
   * {@link BlobStore#open(String, BlobManifest)}.
   *
   * <p>The stream holds one chunk in memory. It is not thread-safe; closing it closes {@code content}.
   *
   * @param content the blob's bytes as stored, not yet checked
   * @param location where the bytes live, for {@link CorruptBlobException#location()}
   * @return the checked stream
   */
  public InputStream verify(InputStream content, String location) {
    return new CheckedChunksInputStream(Objects.requireNonNull(content, "content"), this,
        Objects.requireNonNull(location, "location"));
  }

  /**
   * Checks a range of this manifest's blob against it, for {@link BlobStore#openRange}: the stored bytes of the chunks
   * that cover the range are read from {@code stored}, each whole chunk is checked before any byte of it is handed out,
   * and only the range's bytes are handed out. Damage is reported as {@link CorruptBlobException}, naming the chunk and
   * its first byte, before any byte of the damaged chunk; after that every read throws it again.
   *
   * <ul>
   *   <li>With {@linkplain #hasChunkDigests() chunk digests}, {@code stored} is opened at the start of the range's
   *       first chunk, and each chunk is checked against its own digest: damage outside those chunks is not seen.
   *   <li>Without them (a manifest recorded before they existed), {@code stored} is opened at the blob's start and the
   *       chunks before the range are read and checked too, against the checkpoints: correct, but it costs a read
   *       from the start.
   *   <li>A range that reaches the blob's last chunk also checks that the stored bytes end where the blob does.
   *   <li>A range of no bytes hands out nothing and opens nothing.
   * </ul>
   *
   * <p>The stream holds one chunk in memory. It is not thread-safe; closing it closes what {@code stored} opened.
   *
   * @param offset the range's first byte
   * @param length how many bytes it has
   * @param stored opens the blob's stored bytes, not yet checked, at a byte
   * @param location where the bytes live, for {@link CorruptBlobException#location()}
   * @return the checked stream of the range's bytes
   * @throws IllegalArgumentException if the offset or the length is negative, or the range ends past the blob's end
   * @throws StoreException if {@code stored} throws an {@link IOException}
   * @since 0.1.0
   */
  public InputStream verifyRange(long offset, long length, StoredBytes stored, String location) {
    checkRange(offset, length);
    Objects.requireNonNull(stored, "stored");
    Objects.requireNonNull(location, "location");
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    long first = hasChunkDigests() ? offset / chunkSize : 0;
    long last = (offset + length - 1) / chunkSize;
    long start = first * chunkSize;
    long end = Math.min(size, (last + 1) * chunkSize);
    InputStream source;
    try {
      source = Objects.requireNonNull(stored.open(start, end), "stored.open returned null");
    } catch (IOException e) {
      throw new StoreException("could not read bytes " + start + " to " + (end - 1) + " of blob " + id + " at "
          + location + ": " + e, e);
    }
    return new CheckedRangeInputStream(source, this, location, first, offset, length);
  }

  /**
   * Checks that a range lies within the blob.
   *
   * @param offset the range's first byte
   * @param length how many bytes it has
   * @throws IllegalArgumentException if the offset or the length is negative, or the range ends past the blob's end
   */
  void checkRange(long offset, long length) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset + " (blob " + id + ")");
    }
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative, got " + length + " (blob " + id + ")");
    }
    if (offset > size - length) {
      throw new IllegalArgumentException("the range of " + length + " bytes from offset " + offset + " ends past the "
          + "end of blob " + id + ", which has " + size + " bytes; a range must end at or before the blob's size");
    }
  }

  /**
   * Opens a blob's stored bytes, not yet checked, from a byte on, for {@link #verifyRange}.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  @FunctionalInterface
  public interface StoredBytes {
    /**
     * Opens the stored bytes at {@code start}. The stream is read no further than {@code end}, and may stop there;
     * when {@code end} is the blob's size it must go on to the end of what is stored, so that bytes stored past the
     * blob's end are found. The caller closes it.
     *
     * @param start the first byte, the start of a chunk
     * @param end the byte after the last one needed: the end of a chunk, or the blob's size
     * @return the stored bytes from {@code start} on
     * @throws IOException if they cannot be read
     */
    InputStream open(long start, long end) throws IOException;
  }

  /**
   * Makes the manifest of a stored blob by reading it once through {@link BlobStore#open(String)}, for blobs stored
   * before manifests were recorded. It checks the whole blob against its id first: the caller then reads the blob
   * again with {@link BlobStore#open(String, BlobManifest)}, which catches a change between the two reads.
   *
   * @param store the store
   * @param id the blob id
   * @return the manifest, in chunks of {@value #DEFAULT_CHUNK_SIZE} bytes
   * @throws CorruptBlobException if the blob does not hash to its id
   * @throws BlobNotFoundException if there is no such blob
   */
  public static BlobManifest scan(BlobStore store, String id) {
    Objects.requireNonNull(store, "store");
    BlobInfo.checkId(id);
    Hasher hasher = hasher();
    try (InputStream in = store.open(id)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) != -1; ) {
        hasher.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new StoreException("could not read blob " + id + " in " + store.describe() + ": " + e, e);
    }
    BlobManifest manifest = hasher.finish();
    if (!manifest.id().equals(id)) {
      throw new CorruptBlobException(id, store.describe(), manifest.id());
    }
    return manifest;
  }

  /**
   * Starts hashing content into a manifest with chunks of {@value #DEFAULT_CHUNK_SIZE} bytes.
   *
   * @return the hasher
   */
  public static Hasher hasher() {
    return new Hasher(DEFAULT_CHUNK_SIZE, true);
  }

  /**
   * Starts hashing content into a manifest.
   *
   * @param chunkSize the bytes in each chunk but the last
   * @return the hasher
   */
  public static Hasher hasher(int chunkSize) {
    return new Hasher(chunkSize, true);
  }

  /**
   * Starts hashing content into a manifest with chunks of {@value #DEFAULT_CHUNK_SIZE} bytes but without
   * {@linkplain #chunkDigests() chunk digests}, in one digest: for a store's {@link BlobStore#put(InputStream)}, whose
   * manifest is not kept, so that a plain put does not pay for the second digest.
   *
   * @return the hasher
   */
  public static Hasher hasherWithoutChunkDigests() {
    return new Hasher(DEFAULT_CHUNK_SIZE, false);
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
    }
  }

  /** The hex SHA-256 of what a running digest has seen so far, leaving the digest running. */
  static String checkpoint(MessageDigest running) {
    try {
      return HEX.formatHex(((MessageDigest) running.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the SHA-256 of this JVM (" + running.getProvider()
          + ") cannot be cloned, which blob manifests need", e);
    }
  }

  static String finish(MessageDigest running) {
    return HEX.formatHex(running.digest());
  }

  /**
   * Computes a manifest as content passes through, in the same pass and with the same digest that computes the id:
   * a store puts content through it instead of a plain SHA-256. From the second chunk on, a second digest computes
   * the {@linkplain BlobManifest#chunkDigests() chunk digests}, so content of more than one chunk is hashed twice
   * (all but its first chunk). Not thread-safe.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public static final class Hasher {
    private final MessageDigest digest = newDigest();
    /** The digest of the current chunk alone, from the second chunk on: the first's is its checkpoint. */
    private final MessageDigest chunkDigest = newDigest();
    private final int chunkSize;
    private final boolean withChunkDigests;
    private final List<String> checkpoints = new ArrayList<>();
    private final List<String> chunkDigests = new ArrayList<>();
    private long size;
    private int inChunk;
    private final byte[] one = new byte[1];

    private Hasher(int chunkSize, boolean withChunkDigests) {
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunkSize must be positive, got " + chunkSize);
      }
      this.chunkSize = chunkSize;
      this.withChunkDigests = withChunkDigests;
    }

    /**
     * Hashes bytes.
     *
     * @param b the bytes
     * @param off where they start
     * @param len how many
     */
    public void update(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      while (len > 0) {
        if (inChunk == chunkSize) {
          String checkpoint = checkpoint(digest);
          checkpoints.add(checkpoint);
          if (withChunkDigests) {
            chunkDigests.add(checkpoints.size() == 1 ? checkpoint : BlobManifest.finish(chunkDigest));
          }
          inChunk = 0;
        }
        int n = Math.min(len, chunkSize - inChunk);
        digest.update(b, off, n);
        if (withChunkDigests && !checkpoints.isEmpty()) {
          chunkDigest.update(b, off, n);
        }
        inChunk += n;
        size += n;
        off += n;
        len -= n;
      }
    }

    /**
     * Hashes one byte.
     *
     * @param b the byte
     */
    public void update(byte b) {
      one[0] = b;
      update(one, 0, 1);
    }

    /**
     * Returns how many bytes were hashed.
     *
     * @return the size so far
     */
    public long size() {
      return size;
    }

    /**
     * Finishes the manifest. The hasher must not be used afterwards.
     *
     * @return the manifest of the bytes hashed
     */
    public BlobManifest finish() {
      if (withChunkDigests && !checkpoints.isEmpty()) {
        chunkDigests.add(BlobManifest.finish(chunkDigest));
      }
      return new BlobManifest(BlobManifest.finish(digest), size, chunkSize, checkpoints, chunkDigests);
    }

    /**
     * Wraps a stream so that every byte read from it is hashed; closing the wrapper closes the stream.
     *
     * @param in the content
     * @return the hashing stream
     */
    public InputStream tee(InputStream in) {
      Objects.requireNonNull(in, "in");
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0) {
            update((byte) b);
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = in.read(b, off, len);
          if (n > 0) {
            update(b, off, n);
          }
          return n;
        }

        @Override
        public long skip(long n) throws IOException {
          // Skipped bytes would go unhashed: read them instead.
          byte[] discard = new byte[8192];
          long skipped = 0;
          while (skipped < n) {
            int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (r < 0) {
              break;
            }
            skipped += r;
          }
          return skipped;
        }

        @Override
        public boolean markSupported() {
          return false;
        }
      };
    }

    /**
     * Wraps a stream so that every byte written to it is hashed; closing the wrapper closes the stream.
     *
     * @param out where the content goes
     * @return the hashing stream
     */
    public OutputStream tee(OutputStream out) {
      Objects.requireNonNull(out, "out");
      return new FilterOutputStream(out) {
        @Override
        public void write(int b) throws IOException {
          out.write(b);
          update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          update(b, off, len);
        }
      };
    }
  }
}
