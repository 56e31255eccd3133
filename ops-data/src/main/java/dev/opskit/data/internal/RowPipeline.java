package dev.opskit.data.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Splits a commit of rows over two threads. The caller's thread runs the codec: it iterates the rows and encodes them,
 * writing to {@link #output()} and reporting each row to {@link #accept}. A second thread writes the encoded bytes to
 * the blob store's stream (which hashes and stores them) and hands the rows to their consumer (the commit's checks and
 * profiler). Bytes reach the stream and rows the consumer in order, each on one thread at a time: up to
 * {@value #BATCH} rows and {@value #BYTES} bytes are collected, then handed over through a queue of {@value #QUEUE}
 * batches, which bounds what is held at once. A commit smaller than one batch never starts the thread; it is written
 * and consumed on the caller's thread when it {@linkplain #finish() finishes}.
 *
 * <p>A failure on the second thread (a check that throws, a write that fails) is rethrown on the caller's thread at
 * the next hand-over or at {@link #finish()}, and nothing more is written or consumed. {@link #close()} stops the
 * thread whether or not the commit finished. Used by one caller thread.
 */
final class RowPipeline implements Consumer<Map<String, Object>>, AutoCloseable {
  /** Rows per hand-over at most. */
  static final int BATCH = 256;
  /** Encoded bytes per hand-over at most. */
  static final int BYTES = 64 * 1024;
  /** Batches waiting at most. */
  static final int QUEUE = 2;

  /** What one hand-over carries. */
  private record Batch(List<Map<String, Object>> rows, byte[] bytes, int length) {}

  private static final Batch END = new Batch(List.of(), new byte[0], 0);

  private final Consumer<Map<String, Object>> consumer;
  private final OutputStream sink;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE);
  private final OutputStream output = new Buffer();
  private List<Map<String, Object>> batch = new ArrayList<>(BATCH);
  private byte[] bytes = new byte[BYTES];
  private int length;
  private @Nullable Thread worker;
  private volatile @Nullable Throwable failure;
  private volatile boolean stopped;

  /**
   * Creates the pipeline.
   *
   * @param consumer what sees each row
   * @param sink where the encoded bytes go
   */
  RowPipeline(Consumer<Map<String, Object>> consumer, OutputStream sink) {
    this.consumer = consumer;
    this.sink = sink;
  }

  /**
   * Returns the stream the codec writes to. Closing it does nothing.
   *
   * @return the stream
   */
  OutputStream output() {
    return output;
  }

  @Override
  public void accept(Map<String, Object> row) {
    batch.add(row);
    if (batch.size() == BATCH) {
      handOverBatch();
    }
  }

  /**
   * Waits until every byte written so far is in the sink and every row reported so far has been consumed.
   *
   * @throws IOException if writing to the sink failed
   * @throws RuntimeException the consumer's failure, if it failed
   */
  void finish() throws IOException {
    if (worker == null) {
      sink.write(bytes, 0, length);
      for (Map<String, Object> row : batch) {
        consumer.accept(row);
      }
      return;
    }
    if (!batch.isEmpty() || length > 0) {
      handOverBatch();
    }
    handOver(END);
    join();
    rethrowFailure();
  }

  private void handOverBatch() {
    handOver(new Batch(batch, bytes, length));
    batch = new ArrayList<>(BATCH);
    bytes = new byte[BYTES];
    length = 0;
  }

  @Override
  public void close() {
    if (worker != null && worker.isAlive()) {
      stopped = true;
      worker.interrupt();
      join();
    }
  }

  private void handOver(Batch rows) {
    rethrowFailure();
    if (worker == null) {
      Thread t = new Thread(this::consume, "opskit-commit-writer");
      t.setDaemon(true);
      worker = t;
      t.start();
    }
    try {
      while (!queue.offer(rows, 50, TimeUnit.MILLISECONDS)) {
        rethrowFailure();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing rows to the commit's second thread", e);
    }
  }

  private void consume() {
    try {
      while (!stopped) {
        Batch next = queue.take();
        if (next == END) {
          return;
        }
        sink.write(next.bytes(), 0, next.length());
        for (Map<String, Object> row : next.rows()) {
          consumer.accept(row);
        }
      }
    } catch (InterruptedException e) {
      // stopped by close()
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void join() {
    Thread t = worker;
    if (t == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        stopped = true;
        t.interrupt();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrowFailure() {
    Throwable f = failure;
    if (f == null) {
      return;
    }
    stopped = true;
    if (f instanceof RuntimeException) {
      throw (RuntimeException) f;
    }
    if (f instanceof Error) {
      throw (Error) f;
    }
    if (f instanceof IOException) {
      throw new dev.opskit.OpsException("the commit could not write its bytes: " + f.getMessage(), f);
    }
    throw new IllegalStateException("the commit's second thread failed: " + f, f);
  }

  /** Collects the codec's bytes and hands them over when a batch is full. */
  private final class Buffer extends OutputStream {
    @Override
    public void write(int b) {
      if (length == BYTES) {
        handOverBatch();
      }
      bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      while (len > 0) {
        if (length == BYTES) {
          handOverBatch();
        }
        int n = Math.min(len, BYTES - length);
        System.arraycopy(b, off, bytes, length, n);
        length += n;
        off += n;
        len -= n;
      }
    }
  }
}
