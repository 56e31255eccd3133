package dev.opskit.benchmarks.soak;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One worker JVM of a soak: opens the shared workspace, waits for the common start time, runs the {@link Workload} on
 * its threads until the end time, and prints its measurements ({@link Recorder}) and acknowledged writes on standard
 * output, then {@code DONE w=<worker> ops=<n>}.
 *
 * <p>Arguments: {@code h2 <workspace directory>} or {@code pg <jdbc url> <schema> <blob directory>}, then the worker's
 * number, its threads, a file the coordinator writes the start time into (epoch milliseconds) once every worker has
 * printed {@code READY}, the seconds to measure, the window length and the warm-up in milliseconds. The workload
 * runs through the warm-up, unmeasured (but its failures count), and then through the measured windows.
 */
public final class SoakWorker {
  private SoakWorker() {}

  /**
   * Runs a worker.
   *
   * @param args see the class comment
   * @throws Exception if the workspace cannot be opened or a thread fails outside an operation
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    int a = 0;
    String store = args[a++];
    Path h2 = null;
    HikariDataSource pool = null;
    Workspace workspace;
    int rest = store.equals("h2") ? 2 : 4;
    int worker = Integer.parseInt(args[rest]);
    int threads = Integer.parseInt(args[rest + 1]);
    Path go = Path.of(args[rest + 2]);
    long seconds = Long.parseLong(args[rest + 3]);
    long window = Long.parseLong(args[rest + 4]);
    long warmup = Long.parseLong(args[rest + 5]);
    if (store.equals("h2")) {
      h2 = Path.of(args[a]);
      workspace = Workspace.local(h2);
    } else {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(args[a++]);
      config.setSchema(args[a++]);
      config.setMaximumPoolSize(threads + 2);
      config.setMinimumIdle(1);
      config.setPoolName("soak-w" + worker);
      pool = new HikariDataSource(config);
      workspace = Workspace.postgres(pool, Path.of(args[a]));
    }
    Path file = h2 == null ? null : h2.resolve("metadata.mv.db");
    LongSupplier size = file == null ? null : () -> sizeOf(file);
    try (ModelRegistry registry = ModelRegistry.in(workspace)) {
      out.println("READY w=" + worker);
      out.flush();
      long start = awaitStart(go);
      long measured = start + warmup;
      Recorder recorder = new Recorder(worker, measured, window, System::currentTimeMillis, out, size);
      Workload workload = new Workload(workspace, registry, recorder, out, "w" + worker);
      long end = measured + seconds * 1_000;
      LockSupport.parkUntil(start);
      while (System.currentTimeMillis() < start) {
        LockSupport.parkUntil(start);
      }
      ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();
      flusher.scheduleAtFixedRate(() -> recorder.flush(false), window / 4, window / 4, TimeUnit.MILLISECONDS);
      // The live heap before the measured windows: late in the warm-up, so that the pause of the full collection is
      // over before the first window times anything.
      Future<Long> liveAtStart = flusher.schedule(() -> recorder.liveHeap("start"),
          Math.max(0, measured - Math.min(2_000, warmup / 2) - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      ExecutorService pool2 = Executors.newFixedThreadPool(threads);
      List<Future<Long>> loops = new ArrayList<>();
      long interval = intervalNanos(threads);
      for (int t = 0; t < threads; t++) {
        int id = worker * 100 + t;
        loops.add(pool2.submit(() -> workload.loop(id, () -> System.currentTimeMillis() < end, interval)));
      }
      long ops = 0;
      for (Future<Long> f : loops) {
        ops += f.get();
      }
      pool2.shutdown();
      liveAtStart.get();
      recorder.liveHeap("end"); // the workload's state is still reachable: the live heap of the last window
      flusher.shutdown();
      flusher.awaitTermination(10, TimeUnit.SECONDS);
      recorder.flush(true);
      workload.close();
      recorder.close();
      out.println(String.format(Locale.ROOT, "DONE w=%d ops=%d", worker, ops));
      out.flush();
    } finally {
      workspace.close();
      if (pool != null) {
        pool.close();
      }
    }
  }

  /**
   * Each thread's time between the starts of two operations, from {@value Soak#RATE_PROPERTY} (operations per second
   * of this worker JVM, shared evenly by its threads); 0 when it is unset, so that every thread runs flat out.
   */
  static long intervalNanos(int threads) {
    String rate = System.getProperty(Soak.RATE_PROPERTY);
    if (rate == null || rate.isBlank()) {
      return 0;
    }
    double perSecond = Double.parseDouble(rate.strip());
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException(Soak.RATE_PROPERTY + " must be a positive number of operations per second, "
          + "got " + rate);
    }
    return Math.round(threads * 1e9 / perSecond);
  }

  /** Waits for the coordinator's start time; polls, since the file appears once. */
  private static long awaitStart(Path go) throws IOException {
    long deadline = System.currentTimeMillis() + 600_000;
    while (!Files.isRegularFile(go) || Files.readString(go).strip().isEmpty()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("no start time in " + go + " after 10 minutes; the coordinator is gone");
      }
      LockSupport.parkNanos(20_000_000L);
    }
    return Long.parseLong(Files.readString(go).strip());
  }

  private static long sizeOf(@Nullable Path file) {
    try {
      return file == null ? -1 : Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
