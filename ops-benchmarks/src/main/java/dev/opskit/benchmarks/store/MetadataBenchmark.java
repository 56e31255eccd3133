package dev.opskit.benchmarks.store;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.benchmarks.States;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoredRecord;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One opskit metadata transaction: inserting one record ({@link #write()}) or reading one by key ({@link #read()}), on
 * the in-memory store, an H2 file ({@code MetadataStore.h2}) or PostgreSQL ({@code MetadataStore.postgres} over a
 * HikariCP pool, in a schema of its own). Sample-time mode: JMH times single operations, which gives both the mean
 * (throughput, one thread) and the percentiles of a single write.
 *
 * <p>Each trial opens a fresh store and loads {@link #records} records for the reads, 100 per transaction, outside the
 * measurement. Writes insert new keys in increasing order, each in its own transaction, with a 200-character body and
 * no attributes; reads cycle through the loaded keys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class MetadataBenchmark {
  /** {@code memory}, {@code h2} or {@code pg} (needs {@value PostgresSchema#URL_VARIABLE}). */
  @Param({"memory", "h2", "pg"})
  public String store = "memory";

  /** How many records are loaded for the reads. */
  @Param({"1000"})
  public int records = 1000;

  private @Nullable MetadataStore metadata;
  private @Nullable Path directory;
  private @Nullable PostgresSchema postgres;
  private long written;
  private int nextRead;

  /** Opens the store and loads the records the reads read. */
  @Setup(Level.Trial)
  public void open() {
    metadata = switch (store) {
      case "memory" -> MetadataStore.inMemory();
      case "h2" -> {
        directory = BenchFiles.forkDirectory("metadata-h2");
        yield MetadataStore.h2(directory.resolve("store"));
      }
      case "pg" -> {
        postgres = PostgresSchema.create("bench_store");
        yield MetadataStore.postgres(postgres.dataSource());
      }
      default -> throw new IllegalArgumentException("unknown store '" + store + "'; use memory, h2 or pg");
    };
    MetadataStore m = metadata;
    for (int from = 0; from < records; from += 100) {
      int start = from;
      m.transact(tx -> {
        for (int i = start; i < Math.min(records, start + 100); i++) {
          tx.insert(StoreRecords.COLLECTION, StoreRecords.readKey(i), StoreRecords.BODY, Map.of());
        }
        return null;
      });
    }
  }

  /** Closes the store and deletes what it wrote. */
  @TearDown(Level.Trial)
  public void close() {
    if (metadata != null) {
      metadata.close();
      metadata = null;
    }
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
    if (directory != null) {
      BenchFiles.deleteQuietly(directory);
      directory = null;
    }
  }

  /**
   * Inserts one new record in a transaction of its own.
   *
   * @return the record
   */
  @Benchmark
  public StoredRecord write() {
    String key = StoreRecords.writeKey(written++);
    return States.require(metadata).transact(tx -> tx.insert(StoreRecords.COLLECTION, key, StoreRecords.BODY,
        Map.of()));
  }

  /**
   * Reads one loaded record by key in a transaction of its own.
   *
   * @return the record
   */
  @Benchmark
  public StoredRecord read() {
    String key = StoreRecords.readKey(nextRead);
    nextRead = (nextRead + 1) % records;
    return States.require(metadata).transact(tx -> tx.get(StoreRecords.COLLECTION, key)).orElseThrow(
        () -> new IllegalStateException("record " + key + " is missing"));
  }
}
