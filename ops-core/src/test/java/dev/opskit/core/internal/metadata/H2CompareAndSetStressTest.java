package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.core.internal.ConflictRetry;
import dev.opskit.store.StoredRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's write pattern (a tag edit), hammered on two records of an H2 file store: read a record,
 * compare-and-set it and its attribute, move a shared heads record, then append an audit record keyed by the sequence
 * read from the trail's head inside the transaction, and move that head. Every committed update must have read the
 * version it replaced, so each record's audit entries form one unbroken chain of versions and values. Without the
 * store's writer lock, H2 2.4.240 broke that chain about once in 40 s here (once in 43,696 commits). The default 3 s
 * run seldom meets it: {@link H2WritersTest} is the deterministic check, and {@code -Dopskit.h2.stressSeconds=60}
 * makes this one a real hunt.
 */
class H2CompareAndSetStressTest {
  private static final int THREADS = 16;
  private static final List<String> RECORDS = List.of("m", "m/1");

  @TempDir
  Path directory;

  @Test
  void everyCommittedCompareAndSetReadTheVersionItReplaced() throws Exception {
    long seconds = Long.getLong("opskit.h2.stressSeconds", 3);
    JdbcMetadataStore store = H2Store.open(directory.resolve("ws"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      store.transact(tx -> {
        for (String record : RECORDS) {
          tx.insert("models", record, "none", Map.of("tag", "none"));
        }
        tx.insert("heads", "m", "none", Map.of("updated", "none"));
        tx.insert("audit-head", "m", "0", Map.of());
        return null;
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int round = 0; System.nanoTime() < deadline; round++) {
            String value = "t" + thread + "-" + round;
            String record = RECORDS.get(round % RECORDS.size());
            ConflictRetry.run(() -> store.transact(tx -> {
              StoredRecord model = tx.require("models", record);
              tx.update(model, value, Map.of("tag", value));
              tx.update(tx.require("heads", "m"), value, Map.of("updated", value));
              StoredRecord head = tx.require("audit-head", "m");
              long sequence = Long.parseLong(head.body()) + 1;
              tx.insert("audit", key(sequence), record + "|" + model.version() + "|" + model.body() + "|" + value,
                  Map.of("model", "m"));
              return tx.update(head, Long.toString(sequence), Map.of());
            }));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(seconds + 60, TimeUnit.SECONDS);
      }
      long last = store.transact(tx -> Long.parseLong(tx.require("audit-head", "m").body()));
      List<String> breaks = new ArrayList<>();
      Map<String, Long> versions = new HashMap<>();
      Map<String, String> values = new HashMap<>();
      for (String record : RECORDS) {
        versions.put(record, 1L);
        values.put(record, "none");
      }
      for (long s = 1; s <= last; s++) {
        long sequence = s;
        String[] entry = store.transact(tx -> tx.require("audit", key(sequence))).body().split("\\|");
        String record = entry[0];
        if (Long.parseLong(entry[1]) != versions.get(record) || !entry[2].equals(values.get(record))) {
          breaks.add("audit " + sequence + " replaced " + record + " version " + entry[1] + " (" + entry[2]
              + "), but version " + versions.get(record) + " (" + values.get(record) + ") was the last committed");
        }
        versions.put(record, Long.parseLong(entry[1]) + 1);
        values.put(record, entry[3]);
      }
      assertThat(last).as("commits").isPositive();
      assertThat(breaks).as("lost updates in %d commits", last).isEmpty();
      for (String record : RECORDS) {
        StoredRecord model = store.transact(tx -> tx.require("models", record));
        assertThat(model.version()).isEqualTo(versions.get(record));
        assertThat(model.body()).isEqualTo(values.get(record));
        assertThat(model.attributes()).isEqualTo(Map.of("tag", values.get(record)));
      }
    } finally {
      pool.shutdownNow();
      store.close();
    }
  }

  private static String key(long sequence) {
    return String.format("%012d", sequence);
  }
}
