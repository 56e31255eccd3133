package dev.opskit.ml.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The live-model handles of one registry: each listens to the registry's events (through the {@link Hub}), and a
 * daemon thread, {@code opskit-live-models}, started with the first handle, refreshes them all every poll interval, so
 * that a change made by another process is seen too. Thread-safe.
 */
final class LiveModels {
  private final Hub hub;
  private final Duration pollInterval;
  private final List<LiveModelImpl<?>> lives = new CopyOnWriteArrayList<>();
  private boolean closed;
  private @Nullable ScheduledExecutorService poller;

  LiveModels(Hub hub, Duration pollInterval) {
    this.hub = hub;
    this.pollInterval = pollInterval;
  }

  /** Follows a new handle: it listens from now on, is refreshed at once, and by the poller from then on. */
  <T> LiveModelImpl<T> follow(LiveModelImpl<T> live) {
    lives.add(live);
    hub.add(live);
    hub.watch(live);
    live.refresh();
    synchronized (this) {
      if (poller == null && !closed) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "opskit-live-models");
          t.setDaemon(true);
          return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(),
            TimeUnit.MILLISECONDS);
        poller = executor;
      }
    }
    return live;
  }

  private void poll() {
    for (LiveModelImpl<?> live : lives) {
      live.refreshQuietly();
    }
  }

  /** Forgets a handle its holder closed. */
  void closed(LiveModelImpl<?> live) {
    lives.remove(live);
    hub.remove(live);
    hub.unwatch(live);
  }

  /** Closes every handle and stops the poller; no poller starts after. */
  void close() {
    ScheduledExecutorService p;
    synchronized (this) {
      closed = true;
      p = poller;
    }
    for (LiveModelImpl<?> live : lives) {
      live.close();
    }
    if (p != null) {
      p.shutdownNow();
    }
  }
}
