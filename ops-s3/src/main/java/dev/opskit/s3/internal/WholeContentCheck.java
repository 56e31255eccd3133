package dev.opskit.s3.internal;

import dev.opskit.store.CorruptBlobException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Streams an object and checks it against the blob's id, so that a reader never gets the whole of a blob whose bytes
 * do not match: the stream stays one chunk and one byte ahead of its reader, and when the object ends it compares the
 * digest with the id before handing out any byte of the last fill. A mismatch is a {@link CorruptBlobException},
 * thrown again by every later read. Not thread-safe.
 */
final class WholeContentCheck extends InputStream {
  private final InputStream source;
  private final String id;
  private final String location;
  private final MessageDigest digest;
  private final byte[] buffer;
  private final int chunk;
  private int position;
  private int limit;
  private boolean lookAhead;
  private boolean verified;
  private @Nullable CorruptBlobException failure;

  WholeContentCheck(InputStream source, String id, String location, int chunk) {
    this.source = Objects.requireNonNull(source, "source");
    this.id = id;
    this.location = location;
    this.chunk = chunk;
    this.buffer = new byte[chunk + 1];
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
    }
  }

  @Override
  public int read() throws IOException {
    return ensureAvailable() ? buffer[position++] & 0xff : -1;
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
    limit = 0;
    lookAhead = false;
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(id)) {
      failure = new CorruptBlobException(id, location, actual);
      throw failure;
    }
    verified = true;
    limit = total;
  }
}
