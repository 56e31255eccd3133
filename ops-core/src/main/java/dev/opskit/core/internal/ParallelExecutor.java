package dev.opskit.core.internal;

import dev.opskit.run.Executor;
import dev.opskit.run.StepTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs steps on a fixed pool of daemon threads of its own, created when the first step arrives. Never the common
 * fork-join pool, which on small machines grows a thread per blocked task. Thread-safe.
 *
 * <p>A step that finishes on a pool thread and makes others ready keeps the first of them for itself: it runs on the
 * same thread right after, without a trip through the queue and the wake-up of another thread; the rest go to the
 * queue for idle threads to take. A chain of steps therefore stays on one warm thread, and a fan-out still spreads.
 */
final class ParallelExecutor implements Executor {
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** The task a pool thread keeps to run after its current one, or null; set only on this executor's threads. */
  private final ThreadLocal<StepTask[]> next = new ThreadLocal<>();
  private final int threads;
  private final Object lock = new Object();
  private volatile ThreadPoolExecutor pool;
  private boolean closed;

  ParallelExecutor(int threads) {
    this.threads = threads;
  }

  @Override
  public void execute(StepTask task) {
    StepTask[] slot = next.get();
    if (slot != null && slot[0] == null) {
      slot[0] = task; // runs on this thread once the current task returns; never inside this call
      return;
    }
    pool().execute(() -> runThenKept(task));
  }

  private void runThenKept(StepTask first) {
    StepTask[] slot = new StepTask[1];
    next.set(slot);
    try {
      StepTask task = first;
      while (task != null) {
        task.run();
        task = slot[0];
        slot[0] = null;
      }
    } finally {
      next.remove();
      StepTask left = slot[0];
      if (left != null) {
        pool().execute(() -> runThenKept(left)); // only if a task broke its promise not to throw
      }
    }
  }

  private ThreadPoolExecutor pool() {
    ThreadPoolExecutor p = pool;
    if (p != null) {
      return p;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("executor " + name() + " is closed");
      }
      if (pool == null) {
        int id = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "opskit-parallel-" + id + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
        pool.allowCoreThreadTimeOut(true);
      }
      return pool;
    }
  }

  @Override
  public String name() {
    return "parallel(" + threads + ")";
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (pool != null) {
        pool.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
