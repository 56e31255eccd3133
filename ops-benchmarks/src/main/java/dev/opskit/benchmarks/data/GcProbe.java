package dev.opskit.benchmarks.data;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.data.GcReport;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.pipeline.Dataset;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Times garbage collection, {@code catalog.gc(RetentionPolicy.keepLast(1))}, over many small versions of an in-memory
 * workspace. The versions are committed through {@code Catalog.commit} in a loop, spread round-robin over some datasets
 * ({@code Datasets.json("gc/d<k>", Integer.class)}, version i holding the value i), on a {@link ManualClock} that moves
 * 1 ms per commit; then the clock moves two hours, past the policy's one-hour grace period, so that every version but
 * each dataset's latest is collectable. Dry runs first (they change nothing), then one real run, which may be stopped
 * at a time limit. It prints:
 *
 * <pre>
 * POPULATE seconds=&lt;s&gt; versions=&lt;n&gt; datasets=&lt;n&gt;
 * DRY i=&lt;n&gt; seconds=&lt;s&gt; versions=&lt;doomed&gt; blobs=&lt;n&gt;
 * RUN finished=true seconds=&lt;s&gt; versions=&lt;deleted&gt; blobs=&lt;n&gt; kept=&lt;n&gt;
 * RUN finished=false seconds=&lt;limit&gt;
 * </pre>
 */
public final class GcProbe {
  private GcProbe() {}

  /**
   * Entry point.
   *
   * @param args the number of versions, of datasets, of dry runs, and the time limit of the real run in seconds
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    int versions = Integer.parseInt(args[0]);
    int datasets = Integer.parseInt(args[1]);
    int dryRuns = Integer.parseInt(args[2]);
    long limit = Long.parseLong(args[3]);
    ManualClock clock = ManualClock.create();
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory()) {
      Catalog catalog = Catalog.in(ws);
      long t0 = System.nanoTime();
      populate(catalog, clock, versions, datasets);
      System.out.println(String.format(Locale.ROOT, "POPULATE seconds=%.6f versions=%d datasets=%d",
          (System.nanoTime() - t0) / 1e9, versions, datasets));
      clock.advance(Duration.ofHours(2));
      for (int i = 0; i < dryRuns; i++) {
        t0 = System.nanoTime();
        GcReport dry = catalog.gc(RetentionPolicy.keepLast(1)).dryRun();
        System.out.println(String.format(Locale.ROOT, "DRY i=%d seconds=%.6f versions=%d blobs=%d", i,
            (System.nanoTime() - t0) / 1e9, dry.versions().size(), dry.blobs().size()));
      }
      ExecutorService single = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gc-run");
        t.setDaemon(true);
        return t;
      });
      long start = System.nanoTime();
      Future<GcReport> run = single.submit(() -> catalog.gc(RetentionPolicy.keepLast(1)).run());
      try {
        GcReport report = run.get(limit, TimeUnit.SECONDS);
        System.out.println(String.format(Locale.ROOT, "RUN finished=true seconds=%.6f versions=%d blobs=%d kept=%d",
            (System.nanoTime() - start) / 1e9, report.versions().size(), report.blobs().size(),
            report.versionsKept()));
      } catch (TimeoutException e) {
        System.out.println(String.format(Locale.ROOT, "RUN finished=false seconds=%d", limit));
        System.out.flush();
        // The collection cannot be interrupted; stop the JVM rather than wait for it.
        Runtime.getRuntime().halt(0);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the collection failed", e.getCause());
      } finally {
        single.shutdownNow();
      }
    }
  }

  /**
   * Commits {@code versions} versions round-robin over {@code datasets} datasets, moving the clock 1 ms per commit.
   *
   * @param catalog the catalog
   * @param clock the workspace's clock
   * @param versions how many versions
   * @param datasets over how many datasets
   */
  static void populate(Catalog catalog, ManualClock clock, int versions, int datasets) {
    List<Dataset<Integer>> all = new ArrayList<>();
    for (int k = 0; k < datasets; k++) {
      all.add(Datasets.json("gc/d" + k, Integer.class));
    }
    for (int i = 0; i < versions; i++) {
      catalog.commit(all.get(i % datasets), i);
      clock.advance(Duration.ofMillis(1));
    }
  }
}
