package dev.opskit.benchmarks.soak;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jspecify.annotations.Nullable;

/**
 * A worker JVM's measurements, by time window: per kind of operation a latency histogram, conflicts and errors by
 * exception class, the heap in use after each garbage collection (from the collectors' notifications), the live heap
 * after a full collection the worker asks for ({@link #liveHeap(String)}, before its first window and after its last),
 * and a file's size. Windows are numbered from a start time shared by every worker, so the coordinator
 * can add them up. {@link #flush(boolean)} prints finished windows as report lines and forgets them, so the recorder
 * holds at most two windows however long the run: it does not grow the heap it measures. Thread-safe.
 *
 * <p>Report lines (values hold no spaces):
 *
 * <ul>
 *   <li>{@code WINDOW w=<worker> i=<window> kind=<kind> n=<count> h=<histogram>}
 *   <li>{@code FAULT w=<worker> i=<window> kind=<kind> type=<conflict|error> class=<exception> n=<count>}
 *   <li>{@code GCHEAP w=<worker> i=<window> min=<bytes> max=<bytes> n=<collections>}
 *   <li>{@code LIVEHEAP w=<worker> at=<start|end> bytes=<bytes>}
 *   <li>{@code FILE w=<worker> i=<window> bytes=<bytes>} (i = -1 during the warm-up)
 * </ul>
 */
final class Recorder implements AutoCloseable {
  private final int worker;
  private final long startMillis;
  private final long windowMillis;
  private final LongSupplier clock;
  private final PrintStream out;
  private final @Nullable LongSupplier fileSize;
  private final TreeMap<Long, Window> windows = new TreeMap<>();
  private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  /** The cause the collectors give for {@link System#gc()}. */
  private static final String EXPLICIT_CAUSE = "System.gc()";
  /** Guards the last explicit collection's figures. */
  private final Object explicit = new Object();
  private long explicitBytes = -1;
  private long explicitCount;
  private final NotificationListener listener = (notification, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      long used = heapUsed(info.getGcInfo().getMemoryUsageAfterGc());
      if (EXPLICIT_CAUSE.equals(info.getGcCause())) {
        synchronized (explicit) {
          explicitBytes = used;
          explicitCount++;
          explicit.notifyAll();
        }
      } else {
        heapAfterGc(used);
      }
    }
  };

  /** One window's figures. Guarded by the recorder. */
  private static final class Window {
    final Map<Kind, Histogram> latency = new EnumMap<>(Kind.class);
    final Map<String, Long> faults = new TreeMap<>();
    long heapMin = Long.MAX_VALUE;
    long heapMax = -1;
    long collections;
  }

  /**
   * Creates a recorder and starts listening to the garbage collectors.
   *
   * @param worker the worker's number, in every line
   * @param startMillis when window 0 starts, in the clock's milliseconds
   * @param windowMillis the length of a window
   * @param clock the wall clock, in milliseconds (shared by the worker JVMs)
   * @param out where report lines go
   * @param fileSize a file whose size is reported per window (the H2 file), or null
   */
  Recorder(int worker, long startMillis, long windowMillis, LongSupplier clock, PrintStream out,
      @Nullable LongSupplier fileSize) {
    this.worker = worker;
    this.startMillis = startMillis;
    this.windowMillis = windowMillis;
    this.clock = clock;
    this.out = out;
    this.fileSize = fileSize;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool);
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  private long heapUsed(Map<String, MemoryUsage> byPool) {
    long used = 0;
    for (MemoryPoolMXBean pool : heapPools) {
      MemoryUsage u = byPool.get(pool.getName());
      if (u != null) {
        used += u.getUsed();
      }
    }
    return used;
  }

  /**
   * Returns the window the clock is in now.
   *
   * @return its index; negative before the start
   */
  long currentWindow() {
    return Math.floorDiv(clock.getAsLong() - startMillis, windowMillis);
  }

  private Window window(long index) {
    return windows.computeIfAbsent(index, i -> new Window());
  }

  /**
   * Records an operation that just ended, in the current window.
   *
   * @param kind its kind
   * @param nanos how long it took, retries included
   */
  synchronized void ok(Kind kind, long nanos) {
    window(currentWindow()).latency.computeIfAbsent(kind, k -> new Histogram()).record(nanos);
  }

  /**
   * Records an operation that failed.
   *
   * @param kind its kind
   * @param conflict whether it is a documented conflict (a {@code StoreConflictException} still raised after the
   *     retries), as opposed to an error
   * @param error the exception
   */
  synchronized void fault(Kind kind, boolean conflict, Throwable error) {
    String key = kind.label() + " " + (conflict ? "conflict" : "error") + " " + error.getClass().getSimpleName();
    window(currentWindow()).faults.merge(key, 1L, Long::sum);
  }

  /**
   * Measures the live heap: asks for a full collection and prints the heap in use after it, as the collector reported
   * it, as a {@code LIVEHEAP} line. The worker calls it twice, in the warm-up and after the last window, and never
   * while operations are timed: each call pauses every thread for tens of milliseconds, right where a 99th percentile
   * sits. The windows' {@code GCHEAP} lines come only from the collections the load causes.
   *
   * @param at {@code start} or {@code end}
   * @return the heap in use after the collection, in bytes
   * @throws InterruptedException if interrupted while waiting for the collector's notification
   */
  long liveHeap(String at) throws InterruptedException {
    long bytes;
    synchronized (explicit) {
      long before = explicitCount;
      System.gc();
      // The notification comes from another thread, shortly after the collection.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (explicitCount == before && System.nanoTime() < deadline) {
        explicit.wait(100);
      }
      if (explicitCount == before) {
        throw new IllegalStateException("no collector reported the full collection asked for with System.gc() within "
            + "10 s; the soak needs a JVM whose System.gc() collects (not -XX:+DisableExplicitGC)");
      }
      bytes = explicitBytes;
    }
    synchronized (out) {
      out.println("LIVEHEAP w=" + worker + " at=" + at + " bytes=" + bytes);
      out.flush();
    }
    return bytes;
  }

  private synchronized void heapAfterGc(long bytes) {
    Window w = window(currentWindow());
    w.heapMin = Math.min(w.heapMin, bytes);
    w.heapMax = Math.max(w.heapMax, bytes);
    w.collections++;
  }

  /**
   * Prints the windows that have ended and forgets them. A window is printed one window after it ends, so that an
   * operation that was about to record into it when it ended still counts.
   *
   * @param all whether to print every window, the current one included (at the end of the run)
   */
  void flush(boolean all) {
    long size = fileSize == null ? -1 : fileSize.getAsLong();
    List<String> lines = new ArrayList<>();
    synchronized (this) {
      long before = all ? Long.MAX_VALUE : currentWindow() - 1;
      while (!windows.isEmpty() && windows.firstKey() < before) {
        Map.Entry<Long, Window> e = windows.pollFirstEntry();
        long i = e.getKey();
        Window w = e.getValue();
        if (i < 0) {
          // The warm-up: not measured, but its failures count.
          w.faults.forEach((key, n) -> {
            String[] p = key.split(" ");
            lines.add("FAULT w=" + worker + " i=-1 kind=" + p[0] + " type=" + p[1] + " class=" + p[2] + " n=" + n);
          });
          continue;
        }
        w.latency.forEach((kind, h) -> lines.add("WINDOW w=" + worker + " i=" + i + " kind=" + kind.label() + " n="
            + h.count() + " h=" + h.encode()));
        w.faults.forEach((key, n) -> {
          String[] p = key.split(" ");
          lines.add("FAULT w=" + worker + " i=" + i + " kind=" + p[0] + " type=" + p[1] + " class=" + p[2] + " n=" + n);
        });
        if (w.collections > 0) {
          lines.add("GCHEAP w=" + worker + " i=" + i + " min=" + w.heapMin + " max=" + w.heapMax + " n="
              + w.collections);
        }
      }
    }
    long now = currentWindow();
    if (size >= 0) {
      lines.add("FILE w=" + worker + " i=" + Math.max(-1, now) + " bytes=" + size); // -1: the warm-up
    }
    synchronized (out) {
      lines.forEach(out::println);
      out.flush();
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
  }
}
