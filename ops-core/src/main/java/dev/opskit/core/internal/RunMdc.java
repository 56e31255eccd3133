package dev.opskit.core.internal;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts a run's id, pipeline and step in SLF4J's MDC while a step runs, so that what the step and opskit log carries
 * them, and puts back what the thread had before. The keys are documented in {@code docs/configuration.md}.
 */
final class RunMdc {
  /** MDC key of the run id. */
  static final String RUN = "opskit.run";
  /** MDC key of the pipeline name. */
  static final String PIPELINE = "opskit.pipeline";
  /** MDC key of the step name. */
  static final String STEP = "opskit.step";

  private final @Nullable String run;
  private final @Nullable String pipeline;
  private final @Nullable String step;

  private RunMdc(@Nullable String run, @Nullable String pipeline, @Nullable String step) {
    this.run = run;
    this.pipeline = pipeline;
    this.step = step;
  }

  /** Sets the keys for a step; {@link #exit()} restores the thread's earlier values. */
  static RunMdc enter(String runId, String pipelineName, @Nullable String stepName) {
    RunMdc previous = new RunMdc(MDC.get(RUN), MDC.get(PIPELINE), MDC.get(STEP));
    MDC.put(RUN, runId);
    MDC.put(PIPELINE, pipelineName);
    if (stepName != null) {
      MDC.put(STEP, stepName);
    } else {
      MDC.remove(STEP);
    }
    return previous;
  }

  /** Restores what the thread had before {@link #enter}. */
  void exit() {
    restore(RUN, run);
    restore(PIPELINE, pipeline);
    restore(STEP, step);
  }

  private static void restore(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
