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
 */
final class ParallelExecutor implements Executor {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int threads;
  private final Object lock = new Object();
  private volatile ThreadPoolExecutor pool;
  private boolean closed;

  ParallelExecutor(int threads) {
    this.threads = threads;
  }

  @Override
  public void execute(StepTask task) {
    pool().execute(task::run);
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
