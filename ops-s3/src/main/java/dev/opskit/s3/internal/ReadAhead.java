package dev.opskit.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an object ahead of its reader on a thread of the store's pool, a few buffers at most, so that the download
 * and the reader's hashing overlap instead of taking turns: a verified read then costs about the larger of the two,
 * not their sum. A failure of the download is thrown to the reader when it reaches it. Closing stops the download
 * (the connection is aborted, not drained). Not thread-safe for readers, like most streams.
 */
final class ReadAhead extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

  /** A filled buffer, the end, or the download's failure. */
  private record Chunk(byte[] bytes, int length, @Nullable IOException failure) {
    boolean end() {
      return length < 0;
    }
  }

  private final ResumableObjectStream source;
  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> full;
  /** The producer's thread once it runs; set before it touches the source. */
  private final java.util.concurrent.atomic.AtomicReference<@Nullable Thread> runner =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
  private @Nullable Chunk current;
  private int position;
  private boolean ended;
  private volatile boolean closed;

  ReadAhead(ResumableObjectStream source, ExecutorService pool, int bufferSize, int buffers) {
    this.source = Objects.requireNonNull(source, "source");
    this.free = new ArrayBlockingQueue<>(buffers);
    this.full = new ArrayBlockingQueue<>(buffers + 1);
    for (int i = 0; i < buffers; i++) {
      free.add(new byte[bufferSize]);
    }
    pool.execute(this::produce);
  }

  private void produce() {
    runner.set(Thread.currentThread());
    if (closed) {
      return; // closed before it ran: close() does not wait for it, so it must not touch the source
    }
    try {
      while (!closed) {
        byte[] buffer = free.take();
        int n = source.readNBytes(buffer, 0, buffer.length);
        if (n > 0) {
          full.put(new Chunk(buffer, n, null));
        }
        if (n < buffer.length) {
          full.put(new Chunk(buffer, -1, null));
          return;
        }
      }
    } catch (IOException e) {
      if (!closed) {
        full.offer(new Chunk(new byte[0], -1, e));
      }
    } catch (InterruptedException e) {
      if (!closed) { // the store was closed under the reader
        full.offer(new Chunk(new byte[0], -1, new IOException("the download of " + source + " was stopped: its "
            + "store was closed")));
      }
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closed) {
        full.offer(new Chunk(new byte[0], -1, new IOException(e.getMessage(), e)));
      }
    } finally {
      done.countDown();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("the stream is closed");
    }
    if (len == 0) {
      return 0;
    }
    Chunk c = next();
    if (c == null) {
      return -1;
    }
    int n = Math.min(len, c.length() - position);
    System.arraycopy(c.bytes(), position, b, off, n);
    position += n;
    return n;
  }

  /** The chunk with bytes left to hand out, or null at the end. */
  private @Nullable Chunk next() throws IOException {
    if (current != null && position < current.length()) {
      return current;
    }
    if (ended) {
      return null;
    }
    if (current != null) {
      free.add(current.bytes());
      current = null;
    }
    Chunk c;
    try {
      c = full.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the download");
    }
    if (c.failure() != null) {
      ended = true;
      throw new IOException(c.failure().getMessage(), c.failure());
    }
    if (c.end()) {
      ended = true;
      return null;
    }
    current = c;
    position = 0;
    return c;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Thread t = runner.get();
    if (t != null) {
      source.abort();
      t.interrupt();
      try {
        if (!done.await(10, TimeUnit.SECONDS)) {
          LOG.debug("the read-ahead of {} did not stop within 10 s", source);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    source.close();
  }
}
