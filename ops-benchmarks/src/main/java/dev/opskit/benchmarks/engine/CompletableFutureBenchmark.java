package dev.opskit.benchmarks.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The baseline: a bare {@code CompletableFuture} DAG of the same shape as the opskit pipeline, on a dedicated pool of
 * two threads ({@code Executors.newFixedThreadPool(2)}, never the common pool), with the same trivial work per step.
 *
 * <p>The whole DAG is wired behind an incomplete start future and then released, as an orchestrator that knows its
 * graph up front would do; every step is an {@code *Async} stage, so each one is a task handed to the pool.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class CompletableFutureBenchmark {
  /** {@code chain} or {@code fanout}. */
  @Param({Shapes.CHAIN, Shapes.FANOUT})
  public String shape = Shapes.CHAIN;

  /** The chain length or fan-out width. */
  @Param({"10000"})
  public int size = 10_000;

  private @Nullable ExecutorService pool;

  /** Starts the pool. */
  @Setup(Level.Trial)
  public void setUp() {
    pool = Executors.newFixedThreadPool(2);
  }

  /** Stops the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /**
   * Runs the DAG once.
   *
   * @param bh consumes the result
   */
  @Benchmark
  public void run(Blackhole bh) {
    bh.consume(runOnce());
  }

  /** The measured work: wire the DAG, release it, wait for the last stage. */
  int runOnce() {
    ExecutorService p = Setups.require(pool);
    return shape.equals(Shapes.FANOUT) ? fanout(p) : chain(p);
  }

  private int chain(ExecutorService p) {
    CompletableFuture<Void> start = new CompletableFuture<>();
    CompletableFuture<Integer> last = start.thenApplyAsync(v -> 0, p);
    for (int i = 1; i < size; i++) {
      last = last.thenApplyAsync(x -> x + 1, p);
    }
    start.complete(null);
    return last.join();
  }

  private int fanout(ExecutorService p) {
    CompletableFuture<Void> start = new CompletableFuture<>();
    CompletableFuture<Integer> source = start.thenApplyAsync(v -> 0, p);
    List<CompletableFuture<Integer>> middles = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      middles.add(source.thenApplyAsync(x -> x + 1, p));
    }
    CompletableFuture<Integer> sink = CompletableFuture.allOf(middles.toArray(new CompletableFuture<?>[0]))
        .thenApplyAsync(v -> {
          int total = 0;
          for (CompletableFuture<Integer> m : middles) {
            total += m.join();
          }
          return total;
        }, p);
    start.complete(null);
    return sink.join();
  }
}
