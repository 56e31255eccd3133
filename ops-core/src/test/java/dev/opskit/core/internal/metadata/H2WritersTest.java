package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.store.StoredRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 2.4.240 loses compare-and-set updates when write transactions overlap (see {@link H2Connections}), so the
 * embedded store's transactions write one at a time. A write on another record must wait for the open writer, while
 * reads go on; each wait here is on a latch or on the lock's queue, bounded.
 */
class H2WritersTest {
  private static final long BOUND_SECONDS = 10;

  @TempDir
  Path directory;

  /** Each transaction on a thread of its own (the common pool may have a single thread). */
  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @Test
  void aSecondTransactionWaitsAtItsFirstWriteUntilTheOpenWriterHasCommittedWhileItsReadsGoOn() throws Exception {
    Path file = directory.resolve("ws").toAbsolutePath();
    H2Connections connections = new H2Connections("jdbc:h2:file:" + file, "test H2 store");
    JdbcMetadataStore store = JdbcMetadataStore.h2(connections, "test H2 store",
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    try {
      store.transact(tx -> {
        tx.insert("c", "a", "a0", Map.of());
        tx.insert("c", "b", "b0", Map.of());
        return null;
      });
      CountDownLatch firstWrote = new CountDownLatch(1);
      CountDownLatch firstMayCommit = new CountDownLatch(1);
      CountDownLatch secondRead = new CountDownLatch(1);
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> store.transact(tx -> {
        tx.update(tx.require("c", "a"), "a1", Map.of());
        firstWrote.countDown();
        await(firstMayCommit);
        return null;
      }), threads);
      assertThat(firstWrote.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

      CompletableFuture<StoredRecord> second = CompletableFuture.supplyAsync(() -> store.transact(tx -> {
        StoredRecord b = tx.require("c", "b");
        secondRead.countDown();
        return tx.update(b, "b1", Map.of());
      }), threads);
      assertThat(secondRead.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("a read is not held up by the writer").isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      while (!connections.writers().hasWaiters() && !second.isDone() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(second).as("the second transaction's write, while the first is open").isNotDone();
      assertThat(connections.writers().hasWaiters()).isTrue();

      firstMayCommit.countDown();
      first.get(BOUND_SECONDS, TimeUnit.SECONDS);
      assertThat(second.get(BOUND_SECONDS, TimeUnit.SECONDS).version()).isEqualTo(2);
      String bodies = store.transact(tx -> tx.require("c", "a").body() + tx.require("c", "b").body());
      assertThat(bodies).isEqualTo("a1b1");
      assertThat(connections.writers().hasWaiters()).isFalse();
    } finally {
      store.close();
      threads.shutdownNow();
    }
  }

  @Test
  void aTransactionThatFailsAfterItsFirstWriteGivesTheLockBack() throws Exception {
    Path file = directory.resolve("ws2").toAbsolutePath();
    H2Connections connections = new H2Connections("jdbc:h2:file:" + file, "test H2 store");
    JdbcMetadataStore store = JdbcMetadataStore.h2(connections, "test H2 store",
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    try {
      store.transact(tx -> tx.insert("c", "a", "a0", Map.of()));
      try {
        store.transact(tx -> {
          tx.update(tx.require("c", "a"), "a1", Map.of());
          throw new IllegalStateException("the work fails");
        });
      } catch (IllegalStateException expected) {
        // rolled back
      }
      // another thread can write at once: the lock was given back, not kept by the failed transaction's thread
      StoredRecord written = CompletableFuture.supplyAsync(() -> store.transact(
          tx -> tx.update(tx.require("c", "a"), "a2", Map.of())), threads).get(BOUND_SECONDS, TimeUnit.SECONDS);
      assertThat(written.version()).isEqualTo(2);
    } finally {
      store.close();
      threads.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released within " + BOUND_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoStoresOnOneDatabaseInOneJvmShareTheirWriterLockAndTheLastToCloseForgetsIt() throws Exception {
    String url = "jdbc:h2:file:" + directory.resolve("shared").toAbsolutePath();
    H2Connections one = new H2Connections(url, "first store");
    H2Connections two = new H2Connections(url, "second store");
    H2Connections other = new H2Connections(url + "-other", "a store of another database");
    try {
      // embedded H2 opens one database per URL in a JVM: both stores write to it, so they must take one lock
      assertThat(two.writers()).isSameAs(one.writers());
      assertThat(other.writers()).isNotSameAs(one.writers());
      WriterLock before = one.writers();
      one.close();
      one.close(); // closing twice gives back one hold only
      assertThat(two.writers()).isSameAs(before);
      H2Connections three = new H2Connections(url, "third store");
      assertThat(three.writers()).as("still shared while the second store is open").isSameAs(before);
      two.close();
      three.close();
      H2Connections again = new H2Connections(url, "store opened after all closed");
      assertThat(again.writers()).isNotSameAs(before);
      again.close();
    } finally {
      other.close();
    }
  }
}
