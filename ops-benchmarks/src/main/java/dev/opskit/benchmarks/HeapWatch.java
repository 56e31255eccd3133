package dev.opskit.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches the heap of the JVM it runs in, for probes that must show a bounded heap. Heap occupancy only grows between
 * collections, so its high-water mark is reached just before some collection or at the end: {@link #peak()} is the
 * largest heap in use, garbage included, at any of those moments, taken from the collector's notifications. In a JVM
 * started with {@code -Xmx<budget>} it cannot exceed the budget, and completing at all is the proof that the work fits;
 * {@link #liveAfterGc()}, the most heap still in use right after a collection, is what the work really needs.
 *
 * <p>Create it before the work starts; read it after the work ends. Thread-safe.
 */
public final class HeapWatch implements AutoCloseable {
  private final List<MemoryPoolMXBean> pools = new ArrayList<>();
  private final AtomicLong beforeGc = new AtomicLong();
  private final AtomicLong afterGc = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = (notification, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      beforeGc.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
      afterGc.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
      collections.incrementAndGet();
    }
  };

  /** Starts watching: resets the pools' peaks and subscribes to collections. */
  public HeapWatch() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pools.add(pool);
        pool.resetPeakUsage();
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      NotificationEmitter emitter = (NotificationEmitter) gc;
      emitter.addNotificationListener(listener, null, null);
      emitters.add(emitter);
    }
  }

  private long heapUsed(Map<String, MemoryUsage> byPool) {
    long used = 0;
    for (MemoryPoolMXBean pool : pools) {
      MemoryUsage u = byPool.get(pool.getName());
      if (u != null) {
        used += u.getUsed();
      }
    }
    return used;
  }

  /**
   * Returns the heap in use now, garbage included.
   *
   * @return bytes
   */
  public long used() {
    long used = 0;
    for (MemoryPoolMXBean pool : pools) {
      used += pool.getUsage().getUsed();
    }
    return used;
  }

  /**
   * Returns the largest heap occupancy seen: just before any collection, or now.
   *
   * @return bytes
   */
  public long peak() {
    return Math.max(beforeGc.get(), used());
  }

  /**
   * Returns the most heap in use right after any collection: the live set at its largest.
   *
   * @return bytes; 0 if no collection ran
   */
  public long liveAfterGc() {
    return afterGc.get();
  }

  /**
   * Returns the sum of every heap pool's own peak since the watch started: a looser upper bound than {@link #peak()},
   * since the pools peak at different times.
   *
   * @return bytes
   */
  public long poolPeakSum() {
    long sum = 0;
    for (MemoryPoolMXBean pool : pools) {
      sum += pool.getPeakUsage().getUsed();
    }
    return sum;
  }

  /**
   * Returns the report line of a probe: {@code HEAP peak=<bytes> afterGc=<bytes> poolPeaks=<bytes> gcs=<n>
   * max=<bytes>}.
   *
   * @return the line
   */
  public String line() {
    return String.format(Locale.ROOT, "HEAP peak=%d afterGc=%d poolPeaks=%d gcs=%d max=%d", peak(), liveAfterGc(),
        poolPeakSum(), collections.get(), Runtime.getRuntime().maxMemory());
  }

  /**
   * Turns a probe's {@code HEAP} line into details for a report, in MB.
   *
   * @param line the parsed line
   * @return the details
   */
  public static Map<String, Object> describe(Map<String, String> line) {
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("peakHeapMB", Stats.mb(Long.parseLong(line.getOrDefault("peak", "0"))));
    d.put("maxLiveAfterAnyGcMB", Stats.mb(Long.parseLong(line.getOrDefault("afterGc", "0"))));
    d.put("sumOfPoolPeaksMB", Stats.mb(Long.parseLong(line.getOrDefault("poolPeaks", "0"))));
    d.put("collections", Long.parseLong(line.getOrDefault("gcs", "0")));
    d.put("maxHeapMB", Stats.mb(Long.parseLong(line.getOrDefault("max", "0"))));
    return d;
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
