package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checks of counters and concurrent writers that {@link MetadataStoreContract} runs: counters count from one and
 * a rollback gives the value back; sixteen threads incrementing never repeat or skip a value, updating one record lose
 * nothing and report every conflict, and inserting one key let exactly one win.
 */
final class MetadataConcurrencyChecks extends MetadataChecks {
  MetadataConcurrencyChecks(MetadataStore store) {
    super(store);
  }

  void countersCountFromOneAndARollbackGivesTheValueBack() {
    assertThat(increment("a")).isEqualTo(1);
    assertThat(increment("a")).isEqualTo(2);
    assertThat(increment("b")).isEqualTo(1);
    assertThatThrownBy(() -> store.transact(tx -> {
      tx.increment("a");
      throw new IllegalStateException("rollback");
    })).isInstanceOf(IllegalStateException.class);
    long sum = store.transact(tx -> tx.increment("a") + tx.increment("a"));
    assertThat(sum).isEqualTo(3 + 4);
  }

  void concurrentIncrementsNeverRepeatOrSkip() throws Exception {
    int threads = 16;
    int each = 25;
    Set<Long> values = ConcurrentHashMap.newKeySet();
    runConcurrently(threads, () -> {
      for (int i = 0; i < each; i++) {
        values.add(retrying(() -> store.transact(tx -> tx.increment("seq"))));
      }
    });
    Set<Long> expected = new HashSet<>();
    for (long v = 1; v <= threads * each; v++) {
      expected.add(v);
    }
    assertThat(values).isEqualTo(expected);
  }

  void concurrentConflictingUpdatesLoseNothingAndReportEveryConflict() throws Exception {
    int threads = 16;
    int each = 20;
    insert("counter", "c", "0", Map.of());
    AtomicInteger conflicts = new AtomicInteger();
    AtomicInteger attempts = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    runConcurrently(threads, () -> {
      go.countDown();
      for (int i = 0; i < each; i++) {
        while (true) {
          attempts.incrementAndGet();
          StoredRecord read = get("counter", "c");
          try {
            store.transact(tx -> tx.update(read, Integer.toString(Integer.parseInt(read.body()) + 1), Map.of()));
            break;
          } catch (StoreConflictException e) {
            assertThat(e.collection()).isEqualTo("counter");
            conflicts.incrementAndGet();
          }
        }
      }
    });
    StoredRecord last = get("counter", "c");
    assertThat(last.body()).isEqualTo(Integer.toString(threads * each));
    assertThat(last.version()).isEqualTo(1 + threads * each);
    assertThat(attempts.get()).isEqualTo(threads * each + conflicts.get());
  }

  void concurrentInsertsOfOneKeyLetExactlyOneWin() throws Exception {
    int threads = 16;
    AtomicInteger won = new AtomicInteger();
    AtomicInteger lost = new AtomicInteger();
    CountDownLatch ready = new CountDownLatch(threads);
    runConcurrently(threads, () -> {
      ready.countDown();
      try {
        ready.await(10, TimeUnit.SECONDS);
        store.transact(tx -> tx.insert("race", "only", Thread.currentThread().getName(), Map.of()));
        won.incrementAndGet();
      } catch (StoreConflictException e) {
        lost.incrementAndGet();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(won).hasValue(1);
    assertThat(lost).hasValue(threads - 1);
  }

  /** Runs a task on several threads at once and rethrows the first failure. */
  private static void runConcurrently(int threads, Runnable task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(task));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T retrying(java.util.function.Supplier<T> work) {
    while (true) {
      try {
        return work.get();
      } catch (StoreConflictException e) {
        // a conflict is retryable by contract
      }
    }
  }
}
