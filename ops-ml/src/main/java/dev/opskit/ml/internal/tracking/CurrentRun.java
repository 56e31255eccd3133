package dev.opskit.ml.internal.tracking;

import dev.opskit.ml.tracking.TrackingRun;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The tracking run bound to each thread while it runs a step. Bindings stack, so that a step that runs a pipeline of
 * its own on the same thread gets its binding back when the inner steps end. A binding whose run has ended is ignored,
 * so a binding that a timed-out step left on its thread (the runner sends that step's callbacks from the scheduler's
 * thread) cannot outlive its run's usefulness.
 */
public final class CurrentRun {
  private static final ThreadLocal<@Nullable Binding> BOUND = new ThreadLocal<>();

  private CurrentRun() {}

  /** A run bound for one step of one pipeline run, over the binding it hides. */
  private record Binding(TrackingRun run, String pipelineRun, String step, @Nullable Binding previous) {
    boolean isFor(String pipelineRunId, String stepName) {
      return pipelineRun.equals(pipelineRunId) && step.equals(stepName);
    }
  }

  /**
   * Returns the run bound to the calling thread.
   *
   * @return the run, or empty if none is bound or it has ended
   */
  public static Optional<TrackingRun> get() {
    Binding b = BOUND.get();
    return b != null && b.run().isActive() ? Optional.of(b.run()) : Optional.empty();
  }

  /** Binds a run for a step; a binding left by an earlier attempt of the same step, or by an ended run, is dropped. */
  static void bind(TrackingRun run, String pipelineRun, String step) {
    Binding previous = BOUND.get();
    while (previous != null && (previous.isFor(pipelineRun, step) || !previous.run().isActive())) {
      previous = previous.previous();
    }
    BOUND.set(new Binding(run, pipelineRun, step, previous));
  }

  /** Removes the binding of a step, if it is the calling thread's current one. */
  static void unbind(String pipelineRun, String step) {
    Binding b = BOUND.get();
    if (b == null || !b.isFor(pipelineRun, step)) {
      return;
    }
    if (b.previous() == null) {
      BOUND.remove();
    } else {
      BOUND.set(b.previous());
    }
  }
}
