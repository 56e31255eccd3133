package dev.opskit.benchmarks.engine;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Measures the heap that building and validating a chain pipeline takes. {@link EngineSuite} runs it in a JVM of its
 * own with a fixed {@code -Xms256m -Xmx256m}, so that completing at all proves the build fits the budget, and reads
 * one line from its standard output:
 *
 * <pre>
 * HEAP peak=&lt;bytes&gt; afterGc=&lt;bytes&gt; retained=&lt;bytes&gt; allocated=&lt;bytes&gt; idle=&lt;bytes&gt;
 *     millis=&lt;ms&gt; max=&lt;bytes&gt;
 * </pre>
 *
 * <ul>
 *   <li>{@code peak}: the largest, over the measured rounds, of the sum of every heap pool's peak usage after a reset
 *       just before the build; garbage not yet collected counts, and the idle heap before the build is included;
 *   <li>{@code afterGc}: the most heap in use right after any collection during a build, the live set at that moment;
 *   <li>{@code retained}: heap in use after a full collection with the pipeline still referenced, minus {@code idle};
 *   <li>{@code allocated}: bytes the building thread allocated for one build;
 *   <li>{@code millis}: the fastest build, a sanity check of the JMH figure.
 * </ul>
 */
public final class BuildHeapProbe {
  private BuildHeapProbe() {}

  /**
   * Entry point.
   *
   * @param args the number of steps, the number of warm-up builds, and the number of measured rounds
   */
  public static void main(String[] args) {
    int size = Integer.parseInt(args[0]);
    int warmups = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    for (int i = 0; i < warmups; i++) {
      Reference.reachabilityFence(Shapes.chain(size));
    }
    List<MemoryPoolMXBean> heap = new ArrayList<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap.add(pool);
      }
    }
    AtomicLong afterGc = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
          GarbageCollectionNotificationInfo info =
              GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          long used = 0;
          for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
            used += u.getUsed();
          }
          afterGc.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long peak = 0;
    long retained = 0;
    long allocated = 0;
    long idle = 0;
    long afterGcMax = 0;
    double millis = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      System.gc();
      long before = used(heap);
      idle = Math.max(idle, before);
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      afterGc.set(0);
      long a0 = threads.getCurrentThreadAllocatedBytes();
      long t0 = System.nanoTime();
      Shapes.Built built = Shapes.chain(size);
      long t1 = System.nanoTime();
      long a1 = threads.getCurrentThreadAllocatedBytes();
      long p = 0;
      for (MemoryPoolMXBean pool : heap) {
        p += pool.getPeakUsage().getUsed();
      }
      // Notifications arrive on another thread; read the high-water mark before the full collection below.
      afterGcMax = Math.max(afterGcMax, afterGc.get());
      System.gc();
      retained = Math.max(retained, used(heap) - before);
      Reference.reachabilityFence(built);
      peak = Math.max(peak, p);
      allocated = Math.max(allocated, a1 - a0);
      millis = Math.min(millis, (t1 - t0) / 1e6);
    }
    System.out.println(String.format(Locale.ROOT,
        "HEAP peak=%d afterGc=%d retained=%d allocated=%d idle=%d millis=%.1f max=%d", peak, afterGcMax, retained,
        allocated, idle, millis, Runtime.getRuntime().maxMemory()));
  }

  private static long used(List<MemoryPoolMXBean> heap) {
    long used = 0;
    for (MemoryPoolMXBean pool : heap) {
      used += pool.getUsage().getUsed();
    }
    return used;
  }
}
