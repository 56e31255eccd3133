package dev.opskit.benchmarks.data;

import dev.opskit.Workspace;
import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Freshness;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs an unchanged pipeline twice on a local workspace (H2 and local blobs) and times both runs. The pipeline is a
 * chain of versioned datasets: step {@code s0} writes {@code Datasets.json("d0", Integer.class)}, and each step
 * {@code si} reads {@code d(i-1)} and writes {@code di}. The first run executes every step and commits every output;
 * the second finds every step's fingerprint with its outputs present and marks it {@code CACHED}.
 *
 * <p>A shorter chain runs twice first, in a workspace of its own, to warm the JIT and load the classes, so that the
 * first measured run is not also the JVM's first. Each repetition uses a fresh workspace, opened and deleted outside
 * the timing. It prints one line per repetition:
 *
 * <pre>
 * REP i=&lt;n&gt; firstMillis=&lt;ms&gt; secondMillis=&lt;ms&gt; steps=&lt;n&gt; firstSucceeded=&lt;n&gt;
 *     secondCached=&lt;n&gt;
 * </pre>
 */
public final class RerunProbe {
  private RerunProbe() {}

  /**
   * Entry point.
   *
   * @param args the work directory, the number of steps, of repetitions, and of warm-up steps
   * @throws IOException if a workspace cannot be deleted
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int steps = Integer.parseInt(args[1]);
    int reps = Integer.parseInt(args[2]);
    int warmupSteps = Integer.parseInt(args[3]);
    if (warmupSteps > 0) {
      Path warm = dir.resolve("warm-up");
      try (Workspace ws = Workspace.local(warm)) {
        Pipeline p = chain("rerun-warm-up", warmupSteps);
        ws.runner().run(p).throwIfFailed();
        ws.runner().run(p).throwIfFailed();
      }
      BenchFiles.deleteTree(warm);
    }
    Pipeline pipeline = chain("rerun", steps);
    for (int r = 0; r < reps; r++) {
      Path workspace = dir.resolve("rep-" + r);
      Result result;
      try (Workspace ws = Workspace.local(workspace)) {
        result = twice(ws, pipeline);
      }
      BenchFiles.deleteTree(workspace);
      System.out.println(String.format(Locale.ROOT,
          "REP i=%d firstMillis=%.3f secondMillis=%.3f steps=%d firstSucceeded=%d secondCached=%d", r,
          result.firstMillis(), result.secondMillis(), steps, result.firstSucceeded(), result.secondCached()));
    }
  }

  /**
   * Two runs of a pipeline and what their steps did.
   *
   * @param firstMillis the first run's time
   * @param secondMillis the second run's time
   * @param firstSucceeded steps the first run executed
   * @param secondCached steps the second run found cached
   */
  record Result(double firstMillis, double secondMillis, int firstSucceeded, int secondCached) {}

  /**
   * The measured work: runs the pipeline, then runs it again unchanged.
   *
   * @param ws a workspace that has not run it
   * @param pipeline the pipeline
   * @return the times and step counts
   */
  static Result twice(Workspace ws, Pipeline pipeline) {
    long t0 = System.nanoTime();
    Run first = ws.runner().run(pipeline).throwIfFailed();
    long t1 = System.nanoTime();
    Run second = ws.runner().run(pipeline).throwIfFailed();
    long t2 = System.nanoTime();
    return new Result((t1 - t0) / 1e6, (t2 - t1) / 1e6, count(first, StepStatus.SUCCEEDED),
        count(second, StepStatus.CACHED));
  }

  private static int count(Run run, StepStatus status) {
    int n = 0;
    for (StepRecord step : run.steps()) {
      if (step.status() == status) {
        n++;
      }
    }
    return n;
  }

  /**
   * The chain: {@code s0} writes 0 to {@code d0}; {@code si} adds 1 to {@code d(i-1)} and writes {@code di}.
   *
   * @param name the pipeline's name
   * @param steps the number of steps, at least 1
   * @return the pipeline
   */
  static Pipeline chain(String name, int steps) {
    PipelineBuilder b = Pipeline.builder(name);
    Dataset<Integer> previous = Datasets.json("d0", Integer.class);
    Dataset<Integer> first = previous;
    // A source runs every time unless it says what its freshness depends on; this one's data never changes, as a
    // file whose size and modification time stay the same, so an unchanged pipeline is cached from its first step.
    b.step("s0", s -> s.writes(first).freshness(Freshness.probe(() -> "unchanged")).apply(() -> 0));
    for (int i = 1; i < steps; i++) {
      Dataset<Integer> in = previous;
      Dataset<Integer> out = Datasets.json("d" + i, Integer.class);
      b.step("s" + i, s -> s.reads(in).writes(out).apply(x -> x + 1));
      previous = out;
    }
    return b.build();
  }
}
