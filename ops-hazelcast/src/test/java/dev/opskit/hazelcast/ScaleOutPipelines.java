package dev.opskit.hazelcast;

import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.pipeline.StepContext;
import dev.opskit.run.PipelineRegistry;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The pipelines of the multi-JVM tests, which every JVM (the test's and its member processes) registers alike.
 *
 * <p>Each is {@code seed -> square -> add}: {@code seed} writes {@value #SEED}, {@code square} its square, {@code add}
 * the square plus one, all as JSON dataset versions, the only values that cross processes. A step talks to the test
 * through files in a control directory that every JVM is given:
 *
 * <ul>
 *   <li>each attempt creates {@code started-<step>-<attempt>-<pid>} when it starts;
 *   <li>if {@code hold-<step>-<attempt>} exists, the attempt then waits, polling, until {@code release-<step>} exists
 *       (at most {@link #HOLD_BOUND});
 *   <li>if {@code stale-<step>} exists when it goes on, it writes {@value #STALE} instead of its value: an attempt the
 *       runner gave up on that must not leave a version.
 * </ul>
 */
final class ScaleOutPipelines {
  /** A pipeline without a timeout, whose lost attempts fail only by the loss of their member. */
  static final String KILLABLE = "killable";
  /** A pipeline whose {@code square} times out after {@link #SQUARE_TIMEOUT}. */
  static final String STOPPABLE = "stoppable";
  static final int SEED = 7;
  static final int STALE = -1;
  /**
   * Longer than a stopped member takes to be dropped (5 to 6 seconds, see {@link ScaleOutNode#member}), with room for
   * a slow attempt on a busy machine: an attempt cut off while its member is still running it keeps that member's slot.
   */
  static final Duration SQUARE_TIMEOUT = Duration.ofSeconds(15);
  static final Duration HOLD_BOUND = Duration.ofSeconds(60);

  static final Dataset<Integer> BASE = Datasets.json("base", Integer.class);
  static final Dataset<Integer> SQUARED = Datasets.json("squared", Integer.class);
  static final Dataset<Integer> TOTAL = Datasets.json("total", Integer.class);

  private ScaleOutPipelines() {}

  /** Both pipelines, over a control directory. */
  static PipelineRegistry registry(Path control) {
    return PipelineRegistry.of(pipeline(KILLABLE, control), pipeline(STOPPABLE, control));
  }

  static Pipeline pipeline(String name, Path control) {
    RetryPolicy retry = RetryPolicy.fixed(3, Duration.ZERO);
    return Pipeline.builder(name)
        .step("seed", s -> s.outputs(BASE).retry(retry).codeVersion("1").run(ctx -> {
          enter(control, ctx);
          ctx.output(BASE, SEED);
        }))
        .step("square", s -> {
          s.inputs(BASE).outputs(SQUARED).retry(retry).codeVersion("1").run(ctx -> {
            enter(control, ctx);
            int base = ctx.input(BASE);
            ctx.output(SQUARED, Files.exists(control.resolve("stale-square")) ? STALE : base * base);
          });
          if (name.equals(STOPPABLE)) {
            s.timeout(SQUARE_TIMEOUT);
          }
        })
        .step("add", s -> s.inputs(SQUARED).outputs(TOTAL).retry(retry).codeVersion("1").run(ctx -> {
          enter(control, ctx);
          ctx.output(TOTAL, ctx.input(SQUARED) + 1);
        }))
        .build();
  }

  /** Signals the attempt's start, then holds it while the test asks to. */
  private static void enter(Path control, StepContext ctx) throws IOException, InterruptedException {
    touch(control.resolve("started-" + ctx.step() + "-" + ctx.attempt() + "-" + ProcessHandle.current().pid()));
    if (!Files.exists(control.resolve("hold-" + ctx.step() + "-" + ctx.attempt()))) {
      return;
    }
    Path release = control.resolve("release-" + ctx.step());
    long deadline = System.nanoTime() + HOLD_BOUND.toNanos();
    while (!Files.exists(release)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("step '" + ctx.step() + "' was held for " + HOLD_BOUND + " without " + release);
      }
      Thread.sleep(20); // polls a file another process creates
    }
  }

  static void touch(Path file) throws IOException {
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // already signalled
    }
  }
}
