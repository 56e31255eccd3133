package dev.opskit.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run's own thread, as an executor. For a blocking run it is the caller's thread, which drains the queue until
 * the run ends; for a started run it is a thread of the run's own, created only if some action arrives. Actions run
 * in submission order.
 */
final class RunLoop implements Executor {
  private static final Runnable WAKE_UP = () -> { };

  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final boolean ownThread;
  private final String threadName;
  private final AtomicBoolean threadStarted = new AtomicBoolean();
  private volatile boolean done;

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
    if (ownThread && threadStarted.compareAndSet(false, true)) {
      Thread t = new Thread(this::drainQuietly, threadName);
      t.setDaemon(true);
      t.start();
    }
  }

  /** Marks the run as ended and wakes the draining thread. */
  void finish() {
    done = true;
    queue.add(WAKE_UP);
  }

  /**
   * Runs actions until the run ends.
   *
   * @throws InterruptedException if the draining thread is interrupted while waiting
   */
  void drainUntilDone() throws InterruptedException {
    while (!done) {
      queue.take().run();
    }
    Runnable leftover;
    while ((leftover = queue.poll()) != null) {
      leftover.run();
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
