package dev.opskit.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.s3.S3ProxyServer;
import dev.opskit.store.BlobInfo;
import dev.opskit.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race the collection marks close: a collector judges a blob old, and before its delete a put of the same
 * content restamps the blob. The put must not lose its blob, whatever the delete does.
 */
class CollectorRaceTest {
  @TempDir
  Path dir;

  @Test
  void aBlobRestampedBetweenTheCollectorsLookAndItsDeleteSurvives() throws Exception {
    byte[] content = "content a job is about to name again".getBytes(StandardCharsets.UTF_8);
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (S3ProxyServer server = S3ProxyServer.start(dir);
         S3BlobStoreImpl store = (S3BlobStoreImpl) server.store(server.createBucket()).clock(clock).open()) {
      BlobInfo old = store.put(content);
      Instant restampedAt = clock.advance(Duration.ofHours(2));
      Instant cutoff = restampedAt.minus(Duration.ofHours(1));
      CountDownLatch putWaits = new CountDownLatch(1);
      AtomicReference<Future<BlobInfo>> put = new AtomicReference<>();
      store.marks().onWait = putWaits::countDown;
      store.beforeCollectorDeletes = () -> {
        // The collector has seen the old stamp twice; now a put of the same content restamps the blob.
        // The collector goes on once the put has restamped: then it either waits for the mark or is done.
        Future<BlobInfo> f = pool.submit(() -> store.put(content));
        put.set(f);
        try {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (!putWaits.await(20, TimeUnit.MILLISECONDS) && !f.isDone()) {
            assertThat(System.nanoTime()).as("the put restamped within 30 s").isLessThan(deadline);
          }
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      };

      store.deleteIfStoredBefore(old.id(), cutoff);
      BlobInfo again = put.get().get(60, TimeUnit.SECONDS);

      assertThat(again).isEqualTo(new BlobInfo(old.id(), content.length, restampedAt));
      assertThat(store.stat(old.id())).as("the blob the put confirmed").contains(again);
      assertThat(store.read(old.id())).isEqualTo(content);
      assertThat(server.client().listObjectsV2(b -> b.bucket(store.bucket()).prefix(CollectorMarks.FOLDER))
          .contents()).as("marks left").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCollectorDoesNotDeleteABlobAnotherCollectorHasMarked() throws Exception {
    ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
    try (S3ProxyServer server = S3ProxyServer.start(dir);
         S3BlobStoreImpl store = (S3BlobStoreImpl) server.store(server.createBucket()).clock(clock).open()) {
      BlobInfo old = store.put(new byte[] {1, 2, 3});
      Instant cutoff = clock.advance(Duration.ofHours(2));
      assertThat(store.marks().acquire(old.id())).isTrue();

      assertThat(store.deleteIfStoredBefore(old.id(), cutoff)).isFalse();
      assertThat(store.stat(old.id())).isPresent();

      store.marks().release(old.id());
      assertThat(store.deleteIfStoredBefore(old.id(), cutoff)).isTrue();
      assertThat(store.stat(old.id())).isEmpty();
    }
  }
}
