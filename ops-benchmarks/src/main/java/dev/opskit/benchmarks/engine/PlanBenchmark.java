package dev.opskit.benchmarks.engine;

import dev.opskit.Workspace;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Freshness;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.RunPlan;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning a run without running it: {@code runner().plan(pipeline).explain()} on a chain whose every step already ran.
 *
 * <ul>
 *   <li>{@code versioned}: every dataset has a JSON codec and the source a constant freshness probe, so every step is
 *       fingerprinted and looked up in the catalog's cache, and found: the worst case of a "nothing changed" plan,
 *       with the last executions of all steps read in one query.
 *   <li>{@code memory}: datasets without codec, so nothing can be cached; the cost of selection and reasons alone.
 * </ul>
 *
 * <p>The trial's setup builds the pipeline and runs it once in an in-memory workspace, which every invocation plans
 * against; explaining writes nothing, so invocations do not change what the next one sees.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class PlanBenchmark {
  /** {@code versioned} or {@code memory}. */
  @Param({"versioned", "memory"})
  public String datasets = "versioned";

  /** The chain length. */
  @Param({"10000"})
  public int size = 10_000;

  private Workspace workspace;
  private Pipeline pipeline;

  /** Builds the chain and runs it once, so that every step has an execution to be planned against. */
  @Setup(Level.Trial)
  public void setUp() {
    pipeline = chain(size, datasets.equals("versioned"));
    workspace = Workspace.inMemory();
    workspace.runner().run(pipeline);
  }

  /** Closes the workspace. */
  @TearDown(Level.Trial)
  public void tearDown() {
    workspace.close();
  }

  /**
   * Plans one run of every step.
   *
   * @return the plan
   */
  @Benchmark
  public RunPlan explain() {
    return workspace.runner().plan(pipeline).explain();
  }

  /**
   * A chain like {@link Shapes#chain}, its datasets versioned or not.
   *
   * @param n the number of steps
   * @param versioned whether the datasets have a codec (and the source a constant probe)
   * @return the pipeline
   */
  static Pipeline chain(int n, boolean versioned) {
    PipelineBuilder b = Pipeline.builder("plan-chain");
    Dataset<Integer> previous = dataset("d0", versioned);
    Dataset<Integer> first = previous;
    b.step("s0", s -> s.writes(first).freshness(versioned ? Freshness.probe(() -> "same") : Freshness.always())
        .apply(() -> 0));
    for (int i = 1; i < n; i++) {
      Dataset<Integer> in = previous;
      Dataset<Integer> out = dataset("d" + i, versioned);
      b.step("s" + i, s -> s.reads(in).writes(out).apply(x -> x + 1));
      previous = out;
    }
    return b.build();
  }

  private static Dataset<Integer> dataset(String name, boolean versioned) {
    return versioned ? Datasets.json(name, Integer.class) : Dataset.of(name, Integer.class);
  }
}
