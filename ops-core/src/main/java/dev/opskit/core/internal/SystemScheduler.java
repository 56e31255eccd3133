package dev.opskit.core.internal;

import dev.opskit.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default scheduler: one daemon thread, started when the first action is scheduled and stopped by
 * {@link #close()}. Actions are short (they dispatch work or interrupt a thread), so one thread is enough.
 */
final class SystemScheduler implements Scheduler, AutoCloseable {
  private final Object lock = new Object();
  private ScheduledThreadPoolExecutor pool;
  private boolean closed;

  @Override
  public Scheduled schedule(Duration delay, Runnable action) {
    ScheduledFuture<?> future = pool().schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private ScheduledThreadPoolExecutor pool() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the workspace is closed; its scheduler no longer runs actions");
      }
      if (pool == null) {
        pool = new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "opskit-scheduler");
          t.setDaemon(true);
          return t;
        });
        pool.setRemoveOnCancelPolicy(true);
      }
      return pool;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }
}
