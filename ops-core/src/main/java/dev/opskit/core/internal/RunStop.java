package dev.opskit.core.internal;

import dev.opskit.run.StepStatus;
import dev.opskit.time.Scheduler;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stopping one run, when it is cancelled or fails fast: steps in flight are interrupted and recorded as cancelled,
 * steps not started are cancelled or skipped, and whoever later finds the run stopping records its step the same
 * way. Thread-safe: the first {@link #stop} wins by compare-and-set, and a step's state changes under its monitor.
 */
final class RunStop {
  private final RunExecution run;
  private final RunScope scope;
  /** The steps that run, by local number. */
  private final StepState[] active;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile boolean cancelled;
  private volatile String note = "";

  RunStop(RunExecution run, RunScope scope, StepState[] active) {
    this.run = run;
    this.scope = scope;
    this.active = active;
  }

  /** Whether the run is stopping: no step starts any more. */
  boolean isStopping() {
    return stopping.get();
  }

  /** Whether the run was stopped by a cancellation, rather than by failing fast. */
  boolean cancelled() {
    return cancelled;
  }

  /** Why the run was stopped; empty while it runs. */
  String note() {
    return note;
  }

  /**
   * Stops the run: steps in flight are interrupted and recorded as cancelled; steps not started are cancelled (when
   * the run is cancelled) or skipped (when it fails fast).
   *
   * @return true if this call stopped the run
   */
  boolean stop(boolean cancel, String note) {
    if (!stopping.compareAndSet(false, true)) {
      return false;
    }
    cancelled = cancel;
    this.note = note;
    for (StepState s : active) {
      boolean again = true;
      while (again) {
        again = false;
        Attempt a;
        Scheduler.Scheduled retry;
        boolean marked = false;
        synchronized (s) {
          if (s.terminal) {
            break;
          }
          a = s.current;
          retry = s.retry;
          if (a == null && retry == null) {
            marked = markStopped(s, false);
          }
        }
        if (marked) {
          run.stepFinished(s, 0);
          continue;
        }
        if (retry != null && retry.cancel()) {
          if (stopped(s, false)) {
            run.stepFinished(s, s.attemptsSoFar());
          }
        } else if (a != null && a.advance(Attempt.QUEUED, Attempt.DONE)) {
          if (stopped(s, false)) {
            run.stepFinished(s, s.attemptsSoFar());
          }
        } else if (a != null && a.advance(Attempt.RUNNING, Attempt.DONE)) {
          a.interrupt();
          if (stopped(s, true)) {
            run.stepFinished(s, a.number);
          }
        } else if (a == null) {
          again = true;
        }
        // Otherwise the attempt is done and its own thread is finishing the step; it sees that the run is stopping.
      }
    }
    return true;
  }

  /**
   * Records a step stopped by {@link #stop}. The caller holds the step's monitor.
   *
   * @return true if this call made the step terminal
   */
  boolean markStopped(StepState s, boolean wasRunning) {
    StepStatus status = cancelled || wasRunning ? StepStatus.CANCELLED : StepStatus.SKIPPED;
    String why = wasRunning ? "interrupted: " + note : note;
    return s.markTerminal(status, null, why, scope.now());
  }

  /**
   * Records a step stopped by {@link #stop}, under its monitor.
   *
   * @return true if this call made the step terminal; the caller then counts it finished
   */
  boolean stopped(StepState s, boolean wasRunning) {
    synchronized (s) {
      return markStopped(s, wasRunning);
    }
  }
}
