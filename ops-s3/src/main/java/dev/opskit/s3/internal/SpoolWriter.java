package dev.opskit.s3.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Writes a put's spool file on a thread of its own, so that the caller's thread only hashes the content: the two
 * passes over every byte of a large put overlap instead of adding up. Bytes are gathered in a few buffers of
 * {@value #BUFFER} bytes, which go round between the caller and the writer, so memory stays bounded (at most
 * {@value #BUFFERS} buffers) whatever the size. Used by one caller thread.
 */
final class SpoolWriter {
  static final int BUFFER = 1 << 20;
  static final int BUFFERS = 4;
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  private final FileChannel channel;
  private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BUFFERS + 1);
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
  private final Thread thread;
  private volatile @Nullable IOException failure;
  /** Set by the writer's thread when it has written everything up to the end. */
  private volatile boolean finished;
  private @Nullable ByteBuffer current;
  private int made;

  SpoolWriter(FileChannel channel) {
    this.channel = channel;
    this.thread = new Thread(this::drain, "opskit-s3-spool");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues bytes for the file; blocks while every buffer is waiting to be written. */
  void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      ByteBuffer buffer = current;
      if (buffer == null) {
        buffer = take();
        current = buffer;
      }
      int n = Math.min(len, buffer.remaining());
      buffer.put(b, off, n);
      off += n;
      len -= n;
      if (!buffer.hasRemaining()) {
        hand(buffer);
        current = null;
      }
    }
  }

  /** Writes what is queued and waits until the file holds every byte given; then the thread ends. */
  void finish() throws IOException {
    ByteBuffer buffer = current;
    current = null;
    if (buffer != null && buffer.position() > 0) {
      hand(buffer);
    }
    try {
      full.put(END);
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the spool file was written");
    }
    throwIfFailed();
  }

  /** Stops the thread without waiting for queued bytes, when the put is abandoned. */
  void abandon() {
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ByteBuffer take() throws IOException {
    throwIfFailed();
    ByteBuffer buffer = free.poll();
    if (buffer != null) {
      return buffer;
    }
    if (made < BUFFERS) {
      made++;
      return ByteBuffer.allocate(BUFFER);
    }
    try {
      while (true) {
        buffer = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (buffer != null) {
          return buffer;
        }
        throwIfFailed();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the spool file to take more bytes");
    }
  }

  private void hand(ByteBuffer buffer) throws IOException {
    throwIfFailed();
    buffer.flip();
    try {
      full.put(buffer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing bytes to the spool file");
    }
  }

  private void throwIfFailed() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw new IOException("could not write the spool file: " + f.getMessage(), f);
    }
  }

  private void drain() {
    try {
      while (true) {
        ByteBuffer buffer = full.take();
        if (buffer == END) {
          finished = true;
          return;
        }
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        buffer.clear();
        free.offer(buffer);
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) { // a channel opened for reading only throws NonWritableChannelException
      failure = new IOException(e.toString(), e);
    } finally {
      if (failure == null && !finished) {
        failure = new IOException("the spool file's writer stopped before the content ended");
      }
    }
  }
}
