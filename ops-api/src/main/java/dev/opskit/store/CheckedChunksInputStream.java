package dev.opskit.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hands out a blob's bytes one checked chunk at a time (see {@link BlobManifest#verify(InputStream, String)}). It reads
 * a whole chunk into its buffer, feeds it to one running SHA-256 and compares the digest so far with the manifest's
 * checkpoint, or, after the last chunk, first makes sure the source has ended and then compares the whole digest with
 * the id. Only then does it hand out the chunk. Not thread-safe.
 */
final class CheckedChunksInputStream extends InputStream {
  private final InputStream source;
  private final BlobManifest manifest;
  private final String location;
  /** The bytes read and hashed at a time. */
  private static final int PIECE = 64 * 1024;

  private final MessageDigest digest = BlobManifest.newDigest();
  private final byte[] buffer;
  /** Bytes read from the source and checked. */
  private long consumed;
  private int chunk;
  private int position;
  private int limit;
  private boolean ended;
  private @Nullable CorruptBlobException failure;

  CheckedChunksInputStream(InputStream source, BlobManifest manifest, String location) {
    this.source = source;
    this.manifest = manifest;
    this.location = location;
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
    if (position < limit) {
      return true;
    }
    if (ended) {
      return false;
    }
    fill();
    return position < limit;
  }

  private void fill() throws IOException {
    position = 0;
    limit = 0;
    long start = consumed;
    int want = (int) Math.min(manifest.chunkSize(), manifest.size() - consumed);
    // Read and hash in pieces, each hashed while it is still in the processor's cache: a chunk can be larger than it.
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
    consumed += got;
    if (consumed < manifest.size()) {
      String expected = manifest.checkpoints().get(chunk);
      String actual = BlobManifest.checkpoint(digest);
      if (!actual.equals(expected)) {
        throw fail(start, "bytes " + start + " to " + (consumed - 1) + " (chunk " + chunk + " of " + manifest.chunks()
            + ") do not match the manifest recorded when it was stored");
      }
    } else {
      if (source.read() != -1) {
        throw fail(start, "it goes on past its " + manifest.size() + " bytes");
      }
      String actual = BlobManifest.finish(digest);
      if (!actual.equals(manifest.id())) {
        throw fail(start, "its content hashes to " + actual);
      }
      ended = true;
    }
    chunk++;
    limit = got;
  }

  private CorruptBlobException fail(long offset, String finding) {
    failure = new CorruptBlobException(manifest.id(), location, offset, finding);
    return failure;
  }
}
