package dev.opskit.core.internal;

import dev.opskit.run.StepProgress;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The progress the steps of one run report: each report is checked and recorded on its step, and the listeners hear
 * of it at most every {@link #EVERY} per step, and always of the last unit. Thread-safe: a step's state changes under
 * its monitor.
 */
final class ProgressReports {
  /** How often listeners hear of one step's progress, at most. */
  static final Duration EVERY = Duration.ofMillis(100);

  private final RunScope scope;
  /** The state of each pipeline position that this run executes, null for the others. */
  private final @Nullable StepState[] byPosition;

  ProgressReports(RunScope scope, @Nullable StepState[] byPosition) {
    this.scope = scope;
    this.byPosition = byPosition;
  }

  /** Records a step's progress and tells the listeners, at most every {@link #EVERY} and on the last unit. */
  void report(StepState s, int attempt, long done, long total) {
    Instant now = scope.now();
    StepProgress p;
    try {
      p = new StepProgress(done, total, now);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("step '" + s.step.name() + "' reported bad progress: " + e.getMessage(), e);
    }
    boolean tell;
    synchronized (s) {
      if (s.terminal) {
        return;
      }
      s.progress = p;
      Instant last = s.progressToldAt;
      tell = scope.listeners().onStepProgress && (last == null || done == total
          || Duration.between(last, now).compareTo(EVERY) >= 0);
      if (tell) {
        s.progressToldAt = now;
      }
    }
    if (tell) {
      scope.listeners().onStepProgress(scope.event(s.step, attempt, now), p);
    }
  }

  /** Reports progress for a step of this run by its position in the pipeline, as a worker in this process does. */
  void report(int position, int attempt, long done, long total) {
    StepState s = byPosition[position];
    if (s != null) {
      report(s, attempt, done, total);
    }
  }
}
