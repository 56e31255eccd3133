package dev.opskit.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The bytes of one object, resumed after a broken connection: a read that fails, or a body that ends before the
 * object's length, reopens the object from the next byte with a ranged request conditioned on the ETag, so that the
 * rest comes from the same object or not at all. Closing before the end aborts the connection instead of draining
 * it, so a reader that stops early does not download the rest. Not thread-safe.
 */
final class ResumableObjectStream extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableObjectStream.class);

  /** Reopens the object from a byte on, conditioned on its ETag. */
  @FunctionalInterface
  interface Reopen {
    ResponseInputStream<GetObjectResponse> from(long offset, String eTag);
  }

  private final Reopen reopen;
  private final String location;
  private final long length;
  private final String eTag;
  private final int maxResumes;
  private volatile ResponseInputStream<GetObjectResponse> current;
  private volatile boolean aborted;
  private long position;
  private int resumes;
  private boolean closed;

  ResumableObjectStream(ResponseInputStream<GetObjectResponse> first, Reopen reopen, String location,
      int maxResumes) {
    this.current = Objects.requireNonNull(first, "first");
    this.reopen = reopen;
    this.location = location;
    this.length = first.response().contentLength();
    this.eTag = first.response().eTag();
    this.maxResumes = maxResumes;
  }

  /** The object's length, as the first response gave it. */
  long length() {
    return length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed || aborted) {
      throw new IOException("the stream of " + location + " is closed");
    }
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (position >= length) {
        return -1;
      }
      int n;
      try {
        n = current.read(b, off, (int) Math.min(len, length - position));
      } catch (IOException | SdkException e) {
        resume(e);
        continue;
      }
      if (n == -1) {
        resume(new IOException("the body ended after " + position + " of " + length + " bytes"));
        continue;
      }
      position += n;
      return n;
    }
  }

  /** Stops the download from another thread: the connection is aborted and reads fail from then on. */
  void abort() {
    aborted = true;
    current.abort();
  }

  private void resume(Exception cause) throws IOException {
    current.abort();
    if (aborted) {
      throw new IOException("the read of " + location + " was stopped", cause);
    }
    if (resumes >= maxResumes) {
      throw new IOException("reading " + location + " broke at byte " + position + " of " + length + " and "
          + resumes + " resumptions did not get past it: " + cause, cause);
    }
    resumes++;
    LOG.debug("reading {} broke at byte {} of {} ({}); resuming with a ranged request", location, position, length,
        cause.toString());
    try {
      current = reopen.from(position, eTag);
    } catch (RuntimeException e) {
      e.addSuppressed(cause);
      throw new IOException("reading " + location + " broke at byte " + position + " of " + length
          + ", and resuming it failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return location;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (position < length || aborted) {
      current.abort();
    }
    current.close();
  }
}
