package dev.opskit.benchmarks.data;

import dev.opskit.benchmarks.States;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.data.profile.Profiler;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Profiling a table of {@link #rows} rows and ten columns ({@link Event}), as the catalog profiles every tabular
 * version it commits: {@link #profile()} feeds every row to {@code Profiler.accept} and calls {@code finish()}; its
 * baseline {@link #iterate(Blackhole)} visits the same rows and every column's name and value, and does nothing else.
 * The rows are built once per trial as the column maps a codec reports ({@code LinkedHashMap}s sharing their key
 * instances), outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class ProfileBenchmark {
  /** The number of rows. */
  @Param({"1000000"})
  public int rows = 1_000_000;

  private @Nullable List<Map<String, Object>> table;

  /** Builds the rows. */
  @Setup(Level.Trial)
  public void build() {
    List<Map<String, Object>> t = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      t.add(Event.of(i).columns());
    }
    table = t;
  }

  /**
   * Profiles every row.
   *
   * @return the profile
   */
  @Benchmark
  public DatasetProfile profile() {
    Profiler profiler = Profiler.start();
    for (Map<String, Object> row : States.require(table)) {
      profiler.accept(row);
    }
    return profiler.finish();
  }

  /**
   * Visits every row's columns.
   *
   * @param bh consumes every name and value
   * @return the number of values visited
   */
  @Benchmark
  public long iterate(Blackhole bh) {
    long values = 0;
    for (Map<String, Object> row : States.require(table)) {
      for (Map.Entry<String, Object> e : row.entrySet()) {
        bh.consume(e.getKey());
        bh.consume(e.getValue());
        values++;
      }
    }
    return values;
  }
}
