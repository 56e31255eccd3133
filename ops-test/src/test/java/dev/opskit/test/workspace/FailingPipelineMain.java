package dev.opskit.test.workspace;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.RunFailedException;
import java.nio.file.Path;

/**
 * Another process: runs the shared pipeline in a workspace with step "two" broken, and prints the failed run's id.
 * Usage: {@code FailingPipelineMain <workspace-dir>}.
 */
public final class FailingPipelineMain {
  private FailingPipelineMain() {}

  static final Dataset<String> RAW = Dataset.of("raw", String.class);
  static final Dataset<String> ONE = Dataset.of("one", String.class);
  static final Dataset<String> TWO = Dataset.of("two", String.class);

  /** The pipeline both processes declare; step two fails while {@code broken} is true. */
  static Pipeline pipeline(boolean broken) {
    return Pipeline.builder("shared")
        .external(RAW)
        .step("one", s -> s.reads(RAW).writes(ONE).apply(x -> x + ">one"))
        .step("two", s -> s.reads(ONE).writes(TWO).apply(x -> {
          if (broken) {
            throw new IllegalStateException("two is broken in this process");
          }
          return x + ">two";
        }))
        .build();
  }

  /**
   * Runs the failing pipeline.
   *
   * @param args the workspace directory
   */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.local(Path.of(args[0]))) {
      ws.runner().plan(pipeline(true)).input(RAW, "raw").run();
      System.out.println("UNEXPECTED SUCCESS");
      System.exit(1);
    } catch (RunFailedException e) {
      System.out.println("FAILED " + e.run().id());
    }
  }
}
