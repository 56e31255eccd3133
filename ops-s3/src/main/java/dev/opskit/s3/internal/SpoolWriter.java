package dev.opskit.s3.internal;

import dev.opskit.store.BlobManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Hashes a large put's content and writes its spool file, each on a thread of its own, so that the caller's thread
 * only reads the content: the three passes over every byte (reading it, hashing it, writing it) overlap instead of
 * adding up, and the SHA-256, the longest of them, is the only one left between the first byte and the upload. Bytes
 * are gathered in a few buffers of {@value #BUFFER} bytes, which go round from the caller to the hashing thread, from
 * it to the writing thread and back to the caller, so memory stays bounded (at most {@value #BUFFERS} buffers)
 * whatever the size; each buffer is hashed before it is written, in order. Used by one caller thread.
 */
final class SpoolWriter {
  static final int BUFFER = 512 * 1024;
  static final int BUFFERS = 4;
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  private final FileChannel channel;
  private final BlobManifest.Hasher hasher;
  /** Filled buffers, to hash. */
  private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BUFFERS + 1);
  /** Hashed buffers, to write. */
  private final BlockingQueue<ByteBuffer> hashed = new ArrayBlockingQueue<>(BUFFERS + 1);
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
  private final Thread hashing;
  private final Thread writing;
  private volatile @Nullable IOException failure;
  /** Set by the writing thread when it has written everything up to the end. */
  private volatile boolean finished;
  private @Nullable ByteBuffer current;
  private int made;

  /**
   * Starts the threads.
   *
   * @param channel the spool file, open for writing at the position the content continues from
   * @param hasher hashes every byte given, in order; touched only by the hashing thread until {@link #finish()}
   */
  SpoolWriter(FileChannel channel, BlobManifest.Hasher hasher) {
    this.channel = channel;
    this.hasher = hasher;
    this.hashing = new Thread(this::hash, "opskit-s3-hash");
    this.writing = new Thread(this::drain, "opskit-s3-spool");
    this.hashing.setDaemon(true);
    this.writing.setDaemon(true);
    this.hashing.start();
    this.writing.start();
  }

  /** Queues bytes to hash and write; blocks while every buffer is in use. The bytes are copied. */
  void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      ByteBuffer buffer = current();
      int n = Math.min(len, buffer.remaining());
      buffer.put(b, off, n);
      off += n;
      len -= n;
      handIfFull(buffer);
    }
  }

  /** Reads a stream to its end straight into the buffers, with no copy in between. */
  void readFrom(InputStream content) throws IOException {
    while (true) {
      ByteBuffer buffer = current();
      int n = content.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      if (n < 0) {
        return;
      }
      buffer.position(buffer.position() + n);
      handIfFull(buffer);
    }
  }

  private ByteBuffer current() throws IOException {
    ByteBuffer buffer = current;
    if (buffer == null) {
      buffer = take();
      current = buffer;
    }
    return buffer;
  }

  private void handIfFull(ByteBuffer buffer) throws IOException {
    if (!buffer.hasRemaining()) {
      current = null;
      hand(buffer);
    }
  }

  /**
   * Hashes and writes what is queued and waits until the file holds every byte given; then the threads end, and the
   * hasher belongs to the caller again.
   */
  void finish() throws IOException {
    ByteBuffer buffer = current;
    current = null;
    if (buffer != null && buffer.position() > 0) {
      hand(buffer);
    }
    try {
      full.put(END);
      hashing.join();
      writing.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the spool file was written");
    }
    throwIfFailed();
  }

  /** Stops the threads without waiting for queued bytes, when the put is abandoned. */
  void abandon() {
    hashing.interrupt();
    writing.interrupt();
    try {
      hashing.join(10_000);
      writing.join(10_000);
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
        buffer = free.poll(100, TimeUnit.MILLISECONDS);
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

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
  }

  /** The hashing thread: hashes each buffer and passes it on to the writing thread, the end included. */
  private void hash() {
    try {
      while (true) {
        ByteBuffer buffer = full.take();
        if (buffer != END) {
          hasher.update(buffer.array(), buffer.arrayOffset(), buffer.limit());
        }
        hashed.put(buffer);
        if (buffer == END) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      fail(new IOException("hashing failed: " + e, e));
      writing.interrupt(); // it would wait for buffers that never come
    }
  }

  /** The writing thread. */
  private void drain() {
    try {
      while (true) {
        ByteBuffer buffer = hashed.take();
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
      fail(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) { // a channel opened for reading only throws NonWritableChannelException
      fail(new IOException(e.toString(), e));
    } finally {
      if (failure == null && !finished) {
        fail(new IOException("the spool file's writer stopped before the content ended"));
      }
      if (!finished) {
        hashing.interrupt(); // it would wait for room to pass buffers on
      }
    }
  }
}
