package dev.opskit.benchmarks.store;

import dev.opskit.store.StoredRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference point of the in-memory store, which has no database under it: a {@link ConcurrentHashMap} from key to
 * the same {@link StoredRecord} values, one {@code put} per write and one {@code get} per read. Sample-time mode like
 * {@link MetadataBenchmark}, whose timer adds some 20-30 ns to every sampled operation here; the comparison shows the
 * order of magnitude of the in-memory store's transaction machinery and has no target. The map is reset before every
 * iteration, outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class MapBaselineBenchmark {
  /** How many records are loaded for the reads. */
  @Param({"1000"})
  public int records = 1000;

  private final Map<String, StoredRecord> map = new ConcurrentHashMap<>();
  private long written;
  private int nextRead;

  /**
   * Loads the records the reads read; before every iteration, so that the map does not grow by the millions of records
   * the writes of a whole trial would add.
   */
  @Setup(Level.Iteration)
  public void open() {
    map.clear();
    for (int i = 0; i < records; i++) {
      String key = StoreRecords.readKey(i);
      map.put(key, new StoredRecord(StoreRecords.COLLECTION, key, 1, StoreRecords.BODY, Map.of()));
    }
  }

  /**
   * Puts one new record.
   *
   * @return the record
   */
  @Benchmark
  public StoredRecord write() {
    String key = StoreRecords.writeKey(written++);
    StoredRecord r = new StoredRecord(StoreRecords.COLLECTION, key, 1, StoreRecords.BODY, Map.of());
    map.put(key, r);
    return r;
  }

  /**
   * Gets one loaded record.
   *
   * @return the record
   */
  @Benchmark
  public StoredRecord read() {
    String key = StoreRecords.readKey(nextRead);
    nextRead = (nextRead + 1) % records;
    StoredRecord r = map.get(key);
    if (r == null) {
      throw new IllegalStateException("record " + key + " is missing");
    }
    return r;
  }

  /**
   * Returns how many records the map holds, for tests.
   *
   * @return the size
   */
  int size() {
    return map.size();
  }
}
