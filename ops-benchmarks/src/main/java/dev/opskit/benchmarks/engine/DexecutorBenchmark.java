package dev.opskit.benchmarks.engine;

import com.github.dexecutor.core.DefaultDexecutor;
import com.github.dexecutor.core.DexecutorConfig;
import com.github.dexecutor.core.ExecutionConfig;
import com.github.dexecutor.core.task.ExecutionResults;
import com.github.dexecutor.core.task.Task;
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
 * Peer: Dexecutor running a DAG of trivial tasks of the same shape on a fixed pool of two threads.
 *
 * <p>A Dexecutor instance executes its graph once, so the graph is declared before each invocation, outside the
 * measured method, just as the opskit pipeline is built outside its measured method. Its cost grows faster than
 * linearly with the graph (a 10,000-wide fan-out takes minutes), which is why the peers are compared at 1,000 steps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class DexecutorBenchmark {
  /** {@code chain} or {@code fanout}. */
  @Param({Shapes.CHAIN, Shapes.FANOUT})
  public String shape = Shapes.CHAIN;

  /** The chain length or fan-out width. */
  @Param({"1000"})
  public int size = 1_000;

  private @Nullable ExecutorService pool;
  private @Nullable DefaultDexecutor<Integer, Integer> dexecutor;

  /** Starts the pool. */
  @Setup(Level.Trial)
  public void setUp() {
    pool = Executors.newFixedThreadPool(2);
  }

  /** Declares the graph for the next execution. */
  @Setup(Level.Invocation)
  public void declare() {
    DefaultDexecutor<Integer, Integer> d =
        new DefaultDexecutor<>(new DexecutorConfig<>(Setups.require(pool), id -> new Trivial()));
    if (shape.equals(Shapes.FANOUT)) {
      int sink = size + 1;
      for (int i = 1; i <= size; i++) {
        d.addDependency(0, i);
        d.addDependency(i, sink);
      }
    } else if (size == 1) {
      d.addIndependent(0);
    } else {
      for (int i = 1; i < size; i++) {
        d.addDependency(i - 1, i);
      }
    }
    dexecutor = d;
  }

  /** Stops the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /**
   * Executes the graph once.
   *
   * @param bh consumes the results
   */
  @Benchmark
  public void run(Blackhole bh) {
    bh.consume(runOnce());
  }

  /** The measured work. */
  ExecutionResults<Integer, Integer> runOnce() {
    return Setups.require(dexecutor).execute(ExecutionConfig.TERMINATING);
  }

  /** A task as small as an opskit step's function: it returns its id plus one. */
  static final class Trivial extends Task<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer execute() {
      return getId() + 1;
    }
  }
}
