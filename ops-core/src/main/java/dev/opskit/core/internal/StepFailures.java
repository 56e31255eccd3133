package dev.opskit.core.internal;

import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.pipeline.RetryRequestedException;
import dev.opskit.pipeline.Step;
import dev.opskit.run.FailureMode;
import dev.opskit.run.StepError;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTimeoutException;
import dev.opskit.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What becomes of a step whose attempt failed or outran its timeout: another attempt, at once or after the delay its
 * retry policy (or a {@link RetryRequestedException}) asks for; or the step fails, everything downstream of it is
 * skipped, and a fail-fast run stops. Keeps the run's first error. Thread-safe: an attempt's phase decides once who
 * ends it, and a step's state changes under its monitor.
 */
final class StepFailures {
  private final RunExecution run;
  private final RunScope scope;
  private final Listeners listeners;
  private final RunStop stop;
  private final FailureMode failureMode;
  /** The steps that run, by local number. */
  private final StepState[] active;
  /** The dependents of each step that runs, by local number. */
  private final int[][] dependents;
  private final AtomicReference<@Nullable Throwable> firstError = new AtomicReference<>();

  StepFailures(RunExecution run, RunScope scope, RunGraph graph, RunStop stop, FailureMode failureMode) {
    this.run = run;
    this.scope = scope;
    this.listeners = scope.listeners();
    this.active = graph.active;
    this.dependents = graph.dependents;
    this.stop = stop;
    this.failureMode = failureMode;
  }

  /** The error of the first step that failed, or null if none did. */
  @Nullable Throwable firstError() {
    return firstError.get();
  }

  /** Starts the timeout of an attempt that has started, if its step has one. */
  void startTimeout(Attempt a) {
    Duration limit = a.state.step.timeout().orElse(null);
    if (limit != null) {
      a.timeout = scope.env().scheduler().schedule(limit, () -> timedOut(a, limit));
    }
  }

  /** Fails an attempt that outran its step's timeout, unless it ended first, and interrupts its thread. */
  private void timedOut(Attempt a, Duration limit) {
    if (!a.advance(Attempt.RUNNING, Attempt.DONE)) {
      return;
    }
    a.interrupt();
    attemptFailed(a, new StepTimeoutException(a.state.step.name(), a.number, limit));
  }

  /** Retries a failed attempt if its policy allows, or fails the step and skips its dependents. */
  void attemptFailed(Attempt a, Throwable failure) {
    StepState s = a.state;
    Step step = s.step;
    RetryPolicy policy = scope.pipeline().retryOf(step);
    RetryRequestedException request = failure instanceof RetryRequestedException ? (RetryRequestedException) failure
        : null;
    boolean retry = request != null
        ? a.number < Math.max(policy.maxAttempts(), request.maxAttempts())
        : a.number < policy.maxAttempts() && policy.isRetryable(failure) && !(failure instanceof DatasetCheckException);
    if (!stop.isStopping() && retry) {
      Duration delay = request != null && request.delay().isPresent() ? request.delay().get()
          : a.number < policy.maxAttempts() ? policy.delayBefore(a.number + 1, scope.env().nextRandom())
          : Duration.ZERO;
      synchronized (s) {
        if (s.terminal) {
          return;
        }
        s.status = StepStatus.RETRYING;
        s.nextAttemptAt = scope.now().plus(delay);
      }
      if (listeners.onStepRetry) {
        listeners.onStepRetry(scope.event(step, a.number), failure, delay);
      }
      if (delay.isZero()) {
        run.dispatch(s, a.number + 1);
      } else {
        Scheduler.Scheduled handle = scope.env().scheduler().schedule(delay, () -> run.dispatch(s, a.number + 1));
        boolean stopNow = false;
        synchronized (s) {
          if (s.current == a && !s.terminal) {
            s.retry = handle;
            stopNow = stop.isStopping();
          }
        }
        // A stop that raced with scheduling may not have seen the handle; make sure the wait does not outlive it.
        if (stopNow && handle.cancel() && stop.stopped(s, false)) {
          run.stepFinished(s, a.number);
        }
      }
      return;
    }
    boolean first;
    synchronized (s) {
      first = s.markTerminal(StepStatus.FAILED, StepError.of(failure), "", scope.now());
    }
    if (!first) {
      return;
    }
    firstError.compareAndSet(null, failure);
    if (listeners.onStepError) {
      listeners.onStepError(scope.event(step, a.number), failure, new StepInputs(run.inputs(), step));
    }
    // The failed step finishes before its dependents are skipped, so listeners see producers finish first.
    run.stepFinished(s, a.number);
    skipDependents(s);
    if (failureMode == FailureMode.FAIL_FAST) {
      stop.stop(false, "run failed fast after step '" + step.name() + "' failed");
    }
  }

  /** Marks everything downstream of a failed step as skipped. None of it can have started. */
  private void skipDependents(StepState failed) {
    String why = "upstream step '" + failed.step.name() + "' failed";
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    for (int d : dependents[failed.local]) {
      todo.push(d);
    }
    while (!todo.isEmpty()) {
      StepState s = active[todo.pop()];
      boolean first;
      synchronized (s) {
        first = s.markTerminal(StepStatus.SKIPPED, null, why, scope.now());
      }
      if (first) {
        run.stepFinished(s, 0);
        for (int d : dependents[s.local]) {
          todo.push(d);
        }
      }
    }
  }
}
