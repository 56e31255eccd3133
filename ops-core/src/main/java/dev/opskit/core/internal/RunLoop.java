package dev.opskit.core.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The run's own thread, as an executor. For a blocking run it is the caller's thread, which drains the queue until
 * the run ends; for a started run it is a thread of the run's own, created only if some action arrives. Actions run
 * in submission order. The queue is lock-free and the draining thread parks only when it is empty, so the direct
 * executor, whose actions the draining thread submits itself, never pays for a wake-up.
 */
final class RunLoop implements Executor {
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  /**
   * Attempts of the direct executor by pipeline position, run lowest first: a bit per queued position, and a cursor
   * at or below the lowest. Positions are queued mostly in increasing order (a step's dependents come after it), so
   * finding the next is a short scan, with no comparison or allocation per step. Guarded by {@code lock}.
   */
  private final Object lock = new Object();
  private @Nullable Attempt @Nullable [] byPosition;
  private long @Nullable [] queued;
  private int cursor;
  private volatile boolean anyOrdered;
  private final boolean ownThread;
  private final String threadName;
  private final AtomicBoolean threadStarted = new AtomicBoolean();
  private volatile boolean done;
  private volatile Thread waiter;

  private RunLoop(boolean ownThread, String threadName) {
    this.ownThread = ownThread;
    this.threadName = threadName;
  }

  /** A loop drained by the thread that calls {@link #drainUntilDone}. */
  static RunLoop onCaller() {
    return new RunLoop(false, "");
  }

  /** A loop that starts a daemon thread of its own when the first action arrives. */
  static RunLoop onOwnThread(String threadName) {
    return new RunLoop(true, threadName);
  }

  @Override
  public void execute(Runnable action) {
    queue.add(action);
    wake();
    if (ownThread && threadStarted.compareAndSet(false, true)) {
      Thread t = new Thread(this::drainQuietly, threadName);
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Queues an attempt to run on this loop after the actions already queued, and before any attempt of a higher
   * pipeline position. When attempts are queued as their producers finish, as the direct executor's are, they run in
   * exactly the order of {@code Pipeline.steps()}: once positions 0..k-1 are done, k is ready and lowest.
   */
  void executeInOrder(Attempt attempt) {
    int p = attempt.position();
    synchronized (lock) {
      Attempt[] slots = byPosition;
      long[] bits = queued;
      if (slots == null || bits == null) {
        int n = attempt.run.pipeline().size();
        slots = new Attempt[n];
        bits = new long[(n + 63) >>> 6];
        byPosition = slots;
        queued = bits;
      }
      slots[p] = attempt;
      bits[p >>> 6] |= 1L << p;
      if (p < cursor) {
        cursor = p;
      }
      anyOrdered = true;
    }
    wake();
    if (ownThread && threadStarted.compareAndSet(false, true)) {
      Thread t = new Thread(this::drainQuietly, threadName);
      t.setDaemon(true);
      t.start();
    }
  }

  private @Nullable Attempt pollOrdered() {
    if (!anyOrdered) {
      return null;
    }
    synchronized (lock) {
      Attempt[] slots = byPosition;
      long[] bits = queued;
      if (slots == null || bits == null) {
        anyOrdered = false;
        return null;
      }
      for (int w = cursor >>> 6; w < bits.length; w++) {
        long word = bits[w];
        if (word != 0) {
          int p = (w << 6) + Long.numberOfTrailingZeros(word);
          bits[w] = word & (word - 1);
          cursor = p;
          Attempt a = slots[p];
          slots[p] = null;
          return a;
        }
      }
      cursor = bits.length << 6;
      anyOrdered = false;
      return null;
    }
  }

  private void wake() {
    Thread w = waiter;
    if (w != null && w != Thread.currentThread()) {
      LockSupport.unpark(w);
    }
  }

  /** Marks the run as ended and wakes the draining thread. */
  void finish() {
    done = true;
    wake();
  }

  /**
   * Runs actions until the run ends.
   *
   * @throws InterruptedException if the draining thread is interrupted while waiting
   */
  void drainUntilDone() throws InterruptedException {
    while (!done) {
      Runnable next = queue.poll();
      if (next != null) {
        next.run();
        continue;
      }
      Attempt attempt = pollOrdered();
      if (attempt != null) {
        attempt.run();
        continue;
      }
      waiter = Thread.currentThread();
      // Check again after announcing ourselves: an action or the end may have arrived in between.
      if (queue.isEmpty() && !anyOrdered && !done) {
        LockSupport.park(this);
      }
      waiter = null;
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for the run");
      }
    }
    Runnable leftover;
    while ((leftover = queue.poll()) != null) {
      leftover.run();
    }
    Attempt left;
    while ((left = pollOrdered()) != null) {
      left.run();
    }
  }

  private void drainQuietly() {
    try {
      drainUntilDone();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
