package dev.opskit.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Pages read the store a fixed number of times, however many rows they show: paged queries, no read per row. */
class ConsoleReadsTest {
  private final CountingStore store = new CountingStore(MetadataStore.inMemory());
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theRunsPageReadsAsOftenForThirtyRunsAsForThree() throws Exception {
    try (Workspace ws = Workspace.builder().open(store, BlobStore.inMemory());
        ConsoleServer console = Console.serve(ws, 0)) {
      addRuns(ws, 3);
      int few = reads(console, "/runs");
      addRuns(ws, 27);
      assertThat(body(console, "/runs")).contains("1–30");
      assertThat(few).isPositive();
      assertThat(reads(console, "/runs")).as("reads for 30 runs vs 3").isEqualTo(few);
      String id = ws.runs().limit(1).list().items().get(0).id();
      assertThat(reads(console, "/runs/" + id)).as("reads for one run's page").isEqualTo(1);
    }
  }

  @Test
  void theRunsPagePagesByFiftyAndKeepsTheFilter() throws Exception {
    try (Workspace ws = Workspace.builder().open(store, BlobStore.inMemory());
        ConsoleServer console = Console.serve(ws, 0)) {
      addRuns(ws, 55);
      String first = body(console, "/runs?pipeline=demo");
      assertThat(ConsoleTest.count(first, "<tr><td><a class=\"mono\" href=\"/runs/")).isEqualTo(50);
      assertThat(first).contains("<a href=\"/runs?offset=50&amp;pipeline=demo\">Older →</a>", "1–50")
          .doesNotContain("Newer");
      String second = body(console, "/runs?offset=50&pipeline=demo");
      assertThat(ConsoleTest.count(second, "<tr><td><a class=\"mono\" href=\"/runs/")).isEqualTo(5);
      assertThat(second).contains("<a href=\"/runs?offset=0&amp;pipeline=demo\">← Newer</a>", "51–55")
          .doesNotContain("Older");
    }
  }

  @Test
  void theModelPageReadsAsOftenForTwentyEightVersionsAsForOne() throws Exception {
    try (Workspace ws = Workspace.builder().open(store, BlobStore.inMemory());
        ModelRegistry models = ModelRegistry.in(ws);
        ConsoleServer console = Console.serve(ws, 0)) {
      addModels(models, 0, 1);
      // The first view (and the first after the trail grows) waits for the audit trail's verification, whose reads
      // are the trail's length by design; it is off the request path after that, so the views measured here do not.
      body(console, "/models/m0");
      int few = reads(console, "/models/m0");
      for (int i = 0; i < 27; i++) {
        models.register("m0", (double) i, ModelCodecs.json(Double.class), Actor.of("ci"));
      }
      assertThat(body(console, "/models/m0")).contains(">v28<");
      assertThat(reads(console, "/models/m0")).as("reads for a model of 28 versions vs 1").isEqualTo(few);
    }
  }

  @Test
  void theModelsPageReadsAsOftenForThirtyModelsAsForThree() throws Exception {
    try (Workspace ws = Workspace.builder().open(store, BlobStore.inMemory());
        ModelRegistry models = ModelRegistry.in(ws);
        ConsoleServer console = Console.serve(ws, 0)) {
      addModels(models, 0, 3);
      int few = reads(console, "/models");
      addModels(models, 3, 30);
      assertThat(reads(console, "/models")).as("reads for 30 models vs 3").isEqualTo(few);
    }
  }

  private void addRuns(Workspace ws, int n) {
    for (int i = 0; i < n; i++) {
      ws.runner().run(ConsoleFixture.DEMO);
    }
  }

  private static void addModels(ModelRegistry models, int from, int to) {
    for (int i = from; i < to; i++) {
      models.register("m" + i, 1.0, ModelCodecs.json(Double.class), Actor.of("ci"));
    }
  }

  private String body(ConsoleServer console, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(console.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private int reads(ConsoleServer console, String path) throws Exception {
    int before = store.reads.get();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(console.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return store.reads.get() - before;
  }

  /** Counts every read (get, query, count) of the store it wraps. */
  static final class CountingStore implements MetadataStore {
    final AtomicInteger reads = new AtomicInteger();
    private final MetadataStore delegate;

    CountingStore(MetadataStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> T transact(TransactionWork<T> work) {
      return delegate.transact(tx -> work.run(new Counting(tx)));
    }

    @Override
    public String describe() {
      return "counting " + delegate.describe();
    }

    @Override
    public void close() {
      delegate.close();
    }

    private final class Counting implements Transaction {
      private final Transaction tx;

      Counting(Transaction tx) {
        this.tx = tx;
      }

      @Override
      public Optional<StoredRecord> get(String collection, String key) {
        reads.incrementAndGet();
        return tx.get(collection, key);
      }

      @Override
      public StoredRecord insert(String collection, String key, String body, Map<String, ?> attributes) {
        return tx.insert(collection, key, body, attributes);
      }

      @Override
      public StoredRecord update(StoredRecord previous, String body, Map<String, ?> attributes) {
        return tx.update(previous, body, attributes);
      }

      @Override
      public void delete(StoredRecord previous) {
        tx.delete(previous);
      }

      @Override
      public Page<StoredRecord> query(RecordQuery query) {
        reads.incrementAndGet();
        return tx.query(query);
      }

      @Override
      public long count(RecordQuery query) {
        reads.incrementAndGet();
        return tx.count(query);
      }

      @Override
      public long increment(String counter) {
        return tx.increment(counter);
      }
    }
  }
}
