package dev.opskit.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Streams a blob's content and checks it against the blob's id, so that a reader never gets a whole blob whose bytes
 * do not match.
 *
 * <p>The stream stays one chunk and one byte ahead of its reader. It fills a buffer with up to {@code chunk + 1}
 * bytes from the source, hashing them as they arrive, and hands out only the first {@code chunk}. The extra byte
 * proves that more content follows. When a fill comes back short, the source is exhausted: the digest is finished and
 * compared with the id <em>before</em> any byte of that last fill is handed out, and a mismatch throws
 * {@link CorruptBlobException} instead. So a reader that reads to the end of a corrupt blob fails before it has seen
 * the last chunk, and a blob smaller than a chunk yields no byte at all. Once thrown, the error is thrown by every
 * later read.
 *
 * <p>Not thread-safe, like most streams.
 */
final class VerifyingInputStream extends InputStream {
  private final InputStream source;
  private final String id;
  private final String location;
  private final MessageDigest digest = BlobManifest.newDigest();
  private final byte[] buffer;
  private final int chunk;
  /** Next byte to hand out. */
  private int position;
  /** End of the bytes that may be handed out; a look-ahead byte, if any, sits at {@code buffer[limit]}. */
  private int limit;
  private boolean lookAhead;
  private boolean verified;
  private @Nullable CorruptBlobException failure;

  /**
   * Wraps a source.
   *
   * @param source the stored bytes; closed with this stream
   * @param id the blob id the bytes must hash to
   * @param location where the bytes live, for the error
   * @param chunk how many bytes to hold back at most; the size of the blob, if smaller, saves memory
   */
  VerifyingInputStream(InputStream source, String id, String location, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be positive, got " + chunk);
    }
    this.source = Objects.requireNonNull(source, "source");
    this.id = Objects.requireNonNull(id, "id");
    this.location = Objects.requireNonNull(location, "location");
    this.chunk = chunk;
    this.buffer = new byte[chunk + 1];
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

  /** Makes at least one verified-safe byte available; returns false at the verified end. */
  private boolean ensureAvailable() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (position < limit) {
      return true;
    }
    if (verified) {
      return false;
    }
    fill();
    return position < limit;
  }

  private void fill() throws IOException {
    int start = 0;
    if (lookAhead) {
      buffer[0] = buffer[limit];
      start = 1;
    }
    int read = source.readNBytes(buffer, start, buffer.length - start);
    digest.update(buffer, start, read);
    int total = start + read;
    position = 0;
    if (total == buffer.length) {
      limit = chunk;
      lookAhead = true;
      return;
    }
    // The source ended: nothing of this fill is handed out unless the whole content matches.
    limit = 0;
    lookAhead = false;
    String actual = BlobManifest.finish(digest);
    if (!actual.equals(id)) {
      failure = new CorruptBlobException(id, location, actual);
      throw failure;
    }
    verified = true;
    limit = total;
  }
}
