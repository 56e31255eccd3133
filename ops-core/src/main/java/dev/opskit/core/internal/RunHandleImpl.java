package dev.opskit.core.internal;

import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A handle on a started run. Thread-safe. */
final class RunHandleImpl implements RunHandle {
  private final RunExecution execution;

  RunHandleImpl(RunExecution execution) {
    this.execution = execution;
  }

  @Override
  public String runId() {
    return execution.runId();
  }

  @Override
  public boolean cancel() {
    return !isDone() && execution.stop(true, "the run was cancelled");
  }

  @Override
  public boolean isDone() {
    return execution.completion().isDone();
  }

  @Override
  public Run await() throws InterruptedException {
    try {
      return execution.completion().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("run " + runId() + " ended abnormally", e.getCause());
    }
  }

  @Override
  public Optional<Run> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(execution.completion().get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("run " + runId() + " ended abnormally", e.getCause());
    }
  }

  @Override
  public Run snapshot() {
    return execution.snapshot();
  }

  @Override
  public CompletionStage<Run> completion() {
    return execution.completion().minimalCompletionStage();
  }

  @Override
  public String toString() {
    return "RunHandle[" + runId() + (isDone() ? ", done]" : ", running]");
  }
}
