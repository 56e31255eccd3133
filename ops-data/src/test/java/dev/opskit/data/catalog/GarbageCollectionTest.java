package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.GcReport;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectionTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-08-01T00:00:00Z"));
  private final Dataset<Rows<Customer>> customers = Datasets.jsonLines("crm/customers", Customer.class);

  private static Rows<Customer> rows(int seed) {
    List<Customer> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add(new Customer("c" + i + "-" + seed, i, seed, "pro"));
    }
    return Rows.of(out);
  }

  private static long blobCount(Workspace ws) {
    long[] n = new long[1];
    ws.blobs().forEach(b -> n[0]++);
    return n[0];
  }

  @Test
  void keepLastDeletesOlderVersionsAndTheirBlobsAndADryRunChangesNothing() {
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory()) {
      Catalog catalog = Catalog.in(ws);
      List<DatasetVersion> versions = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        versions.add(catalog.commit(customers, rows(i)));
        clock.advance(Duration.ofHours(1));
      }
      clock.advance(Duration.ofHours(2));
      RetentionPolicy policy = RetentionPolicy.keepLast(2);

      GcReport dry = catalog.gc(policy).dryRun();
      assertThat(dry.dryRun()).isTrue();
      assertThat(dry.versions()).hasSize(3);
      assertThat(dry.blobs()).hasSize(3);
      assertThat(catalog.history("crm/customers", 10, 0).items()).hasSize(5);
      assertThat(blobCount(ws)).isEqualTo(5);

      GcReport real = catalog.gc(policy).run();
      assertThat(real.versions()).containsExactlyInAnyOrderElementsOf(dry.versions());
      assertThat(real.blobs()).containsExactlyInAnyOrderElementsOf(dry.blobs());
      assertThat(real.bytes()).isPositive();
      assertThat(real.versionsKept()).isEqualTo(2);
      assertThat(catalog.history("crm/customers", 10, 0).items()).extracting(DatasetVersion::id)
          .containsExactly(versions.get(4).id(), versions.get(3).id());
      assertThat(blobCount(ws)).isEqualTo(2);
      assertThat(catalog.asOf("crm/customers", Instant.parse("2026-08-01T00:30:00Z"))).isEmpty();
    }
  }

  @Test
  void taggedPinnedAndRecentVersionsAreKept() {
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory()) {
      Catalog catalog = Catalog.in(ws);
      DatasetVersion tagged = catalog.commit(customers, rows(1));
      catalog.tag("crm/customers", "golden", tagged.id());
      DatasetVersion old = catalog.commit(customers, rows(2));
      clock.advance(Duration.ofHours(3));
      DatasetVersion recent = catalog.commit(customers, rows(3));

      GcReport report = catalog.gc(RetentionPolicy.keepLast(0).keepTagged()).run();
      assertThat(report.versions()).containsExactly("crm/customers@" + old.id());
      assertThat(catalog.version("crm/customers", tagged.id())).isNotNull();
      assertThat(catalog.version("crm/customers", recent.id())).isNotNull();
      assertThat(catalog.read(customers, tagged.id()).count()).isEqualTo(3);
    }
  }

  @Test
  void versionsAPipelineRunProducedAreKeptWhenRunsCount() {
    Dataset<Rows<Customer>> out = Datasets.jsonLines("crm/out", Customer.class);
    Pipeline p = Pipeline.builder("gc").step("make", s -> s.writes(out).apply(() -> rows(9))).build();
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory()) {
      String id = ws.runner().run(p).step("make").outputs().get("crm/out");
      clock.advance(Duration.ofDays(1));
      Catalog catalog = Catalog.in(ws);
      assertThat(catalog.gc(RetentionPolicy.keepLast(0).keepReferencedByRuns()).run().versions()).isEmpty();
      assertThat(catalog.gc(RetentionPolicy.keepLast(0)).run().versions()).containsExactly("crm/out@" + id);
    }
  }

  @Test
  void commitsRacingWithGarbageCollectionNeverLoseTheirBlobs(@TempDir Path dir) throws Exception {
    try (Workspace ws = Workspace.builder().clock(clock).openLocal(dir)) {
      Catalog catalog = Catalog.in(ws);
      for (int i = 0; i < 20; i++) {
        catalog.commit(customers, rows(i));
      }
      clock.advance(Duration.ofHours(2));
      RetentionPolicy policy = RetentionPolicy.keepLast(0).withGracePeriod(Duration.ofHours(1));
      AtomicBoolean stop = new AtomicBoolean();
      ReadWriteLock commitsInFlight = new ReentrantReadWriteLock();
      Set<String> committed = ConcurrentHashMap.newKeySet();
      CountDownLatch started = new CountDownLatch(2);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<?>> writers = new ArrayList<>();
        // One writer commits old content again (its blobs are judged old), one commits new content.
        writers.add(pool.submit(() -> {
          started.countDown();
          for (int i = 0; !stop.get(); i = (i + 1) % 20) {
            int n = i;
            committed.add(inFlight(commitsInFlight, () -> catalog.commit(customers, rows(n)).id()));
          }
        }));
        writers.add(pool.submit(() -> {
          started.countDown();
          for (int i = 100; !stop.get(); i++) {
            int n = i;
            committed.add(inFlight(commitsInFlight, () -> catalog.commit(customers, rows(n)).id()));
          }
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        long deleted = 0;
        for (int round = 0; round < 15; round++) {
          deleted += catalog.gc(policy).run().versions().size();
          // Time passes: what was committed a while ago becomes old while the writers keep committing. The grace
          // period is for commits in flight, so no commit may take longer: the clock moves between commits only
          // (collections still run during them). Without this, a writer stalled over two jumps on a loaded machine
          // made a commit of 80 minutes against a grace period of 60, which no collection protects.
          commitsInFlight.writeLock().lock();
          try {
            clock.advance(Duration.ofMinutes(40));
          } finally {
            commitsInFlight.writeLock().unlock();
          }
        }
        stop.set(true);
        for (Future<?> w : writers) {
          w.get(60, TimeUnit.SECONDS);
        }
        assertThat(committed).isNotEmpty();
        assertThat(deleted).as("the collections deleted old versions while commits ran").isPositive();
      } finally {
        pool.shutdownNow();
      }
      // Every version that survives has its content, and a last collection keeps everything committed recently.
      List<DatasetVersion> survivors = catalog.history("crm/customers", 1000, 0).items();
      assertThat(survivors).isNotEmpty();
      for (DatasetVersion v : survivors) {
        assertThat(catalog.read(customers, v.id()).count()).as("surviving %s", v).isEqualTo(3);
      }
      catalog.gc(policy).run();
      for (DatasetVersion v : catalog.history("crm/customers", 1000, 0).items()) {
        assertThat(catalog.read(customers, v.id()).count()).isEqualTo(3);
      }
    }
  }

  /** Runs a commit while holding the read side of a lock, so the clock cannot move while it is in flight. */
  private static String inFlight(ReadWriteLock lock, java.util.function.Supplier<String> commit) {
    lock.readLock().lock();
    try {
      return commit.get();
    } finally {
      lock.readLock().unlock();
    }
  }
}
