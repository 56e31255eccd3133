package dev.opskit.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hands out a range of a blob's bytes, one checked chunk at a time (see {@link BlobManifest#verifyRange}). It reads
 * each whole chunk that covers the range into its buffer and checks it before it hands out the part of it that lies
 * in the range. With chunk digests, the source starts at the range's first chunk and each chunk is checked on its own;
 * without them, the source starts at the blob's start and one running digest checks every chunk against its
 * checkpoint, as a whole read does, handing out nothing before the range. The blob's last chunk, if read, is also
 * checked against the id (or its digest) and followed by a check that the source ends. Not thread-safe.
 */
final class CheckedRangeInputStream extends InputStream {
  /** The bytes read and hashed at a time. */
  private static final int PIECE = 64 * 1024;

  private final InputStream source;
  private final BlobManifest manifest;
  private final String location;
  /** Whether each chunk is checked on its own, or all of them with one running digest from the blob's start. */
  private final boolean alone;
  private final long rangeStart;
  private final long rangeEnd;
  private final MessageDigest digest = BlobManifest.newDigest();
  private final byte[] buffer;
  /** The next chunk to read. */
  private long chunk;
  private int position;
  private int limit;
  private @Nullable CorruptBlobException failure;

  CheckedRangeInputStream(InputStream source, BlobManifest manifest, String location, long firstChunk, long offset,
      long length) {
    this.source = Objects.requireNonNull(source, "source");
    this.manifest = manifest;
    this.location = location;
    this.alone = manifest.hasChunkDigests();
    this.chunk = firstChunk;
    this.rangeStart = offset;
    this.rangeEnd = offset + length;
    this.buffer = new byte[(int) Math.max(1, Math.min(manifest.chunkSize(), manifest.size()))];
  }

  @Override
  public int read() throws IOException {
    if (!ensureAvailable()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!ensureAvailable()) {
      return -1;
    }
    int n = Math.min(len, limit - position);
    System.arraycopy(buffer, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return limit - position;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  private boolean ensureAvailable() throws IOException {
    if (failure != null) {
      throw failure;
    }
    while (position == limit) {
      if (chunk * manifest.chunkSize() >= rangeEnd) {
        return false;
      }
      fill();
    }
    return true;
  }

  /** Reads, checks and hands out (the range's part of) the next chunk. */
  private void fill() throws IOException {
    position = 0;
    limit = 0;
    long start = chunk * manifest.chunkSize();
    int want = (int) Math.min(manifest.chunkSize(), manifest.size() - start);
    int got = 0;
    while (got < want) {
      int len = Math.min(PIECE, want - got);
      int n = source.readNBytes(buffer, got, len);
      digest.update(buffer, got, n);
      got += n;
      if (n < len) {
        break; // the source ended
      }
    }
    if (got < want) {
      throw fail(start, "it ends after " + (start + got) + " bytes, but the blob has " + manifest.size());
    }
    boolean lastOfBlob = start + got == manifest.size();
    String actual = alone || lastOfBlob ? BlobManifest.finish(digest) : BlobManifest.checkpoint(digest);
    if (!actual.equals(expected(lastOfBlob))) {
      throw fail(start, "bytes " + start + " to " + (start + got - 1) + " (chunk " + chunk + " of "
          + manifest.chunks() + ") do not match the manifest recorded when it was stored");
    }
    if (lastOfBlob && source.read() != -1) {
      throw fail(start, "it goes on past its " + manifest.size() + " bytes");
    }
    chunk++;
    // A chunk before the range (read only to check those after it) hands out nothing.
    position = (int) Math.min(got, Math.max(0, rangeStart - start));
    limit = (int) Math.max(position, Math.min(got, rangeEnd - start));
  }

  /** What the digest must be after the current chunk. */
  private String expected(boolean lastOfBlob) {
    if (manifest.chunks() == 1) {
      return manifest.id();
    }
    if (alone) {
      return manifest.chunkDigests().get((int) chunk);
    }
    return lastOfBlob ? manifest.id() : manifest.checkpoints().get((int) chunk);
  }

  private CorruptBlobException fail(long offset, String finding) {
    failure = new CorruptBlobException(manifest.id(), location, offset, finding);
    return failure;
  }
}
