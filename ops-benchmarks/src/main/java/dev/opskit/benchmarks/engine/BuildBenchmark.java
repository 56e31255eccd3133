package dev.opskit.benchmarks.engine;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Declaring, building and validating a chain pipeline: the datasets, one {@code step(...)} call per step, and
 * {@code build()}, which checks names, producers, types and cycles. Peak heap is measured separately, by
 * {@link BuildHeapProbe} in a JVM of its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class BuildBenchmark {
  /** The number of steps. */
  @Param({"100000"})
  public int size = 100_000;

  /**
   * Builds the pipeline once.
   *
   * @param bh consumes the pipeline
   */
  @Benchmark
  public void build(Blackhole bh) {
    bh.consume(buildOnce());
  }

  /** The measured work. */
  Shapes.Built buildOnce() {
    return Shapes.chain(size);
  }
}
