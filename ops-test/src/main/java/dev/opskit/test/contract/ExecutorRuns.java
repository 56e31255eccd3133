package dev.opskit.test.contract;

import static dev.opskit.test.OpsAssertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.test.RecordingListener;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The runs of one test of {@link ExecutorContract}: it declares the test's pipelines, starts them with the executor
 * under test, keeping every intermediate output, and waits for a run, a latch or the clock's pending actions for at
 * most the contract's {@link ExecutorContract#bound() bound}, failing with what it waited for. Latches it hands out
 * are released when the test ends.
 */
final class ExecutorRuns {
  private final Workspace workspace;
  private final Executor executor;
  private final ManualClock clock;
  private final Supplier<Duration> bound;
  private final RecordingListener recorder;
  private final Map<String, Pipeline> declared;
  private final List<CountDownLatch> releases;

  ExecutorRuns(Workspace workspace, Executor executor, ManualClock clock, Supplier<Duration> bound,
      RecordingListener recorder, Map<String, Pipeline> declared, List<CountDownLatch> releases) {
    this.workspace = workspace;
    this.executor = executor;
    this.clock = clock;
    this.bound = bound;
    this.recorder = recorder;
    this.declared = declared;
    this.releases = releases;
  }

  /** The workspace of the test. */
  Workspace workspace() {
    return workspace;
  }

  /** The executor under test. */
  Executor executor() {
    return executor;
  }

  private Duration bound() {
    return bound.get();
  }

  Pipeline declare(Pipeline pipeline) {
    declared.put(pipeline.name(), pipeline);
    return pipeline;
  }

  RunHandle startWithExecutor(Pipeline pipeline) {
    // Every output is compared with the direct executor's, intermediates included.
    return workspace().runner().plan(pipeline).executor(executor()).keepIntermediates().start();
  }

  Run runWithExecutor(Pipeline pipeline) {
    return awaitEnd(startWithExecutor(pipeline));
  }

  Run awaitEnd(RunHandle handle) {
    Optional<Run> run;
    try {
      run = handle.await(bound());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for run " + handle.runId(), e);
    }
    if (run.isEmpty()) {
      String state = handle.snapshot().summary();
      handle.cancel();
      throw new AssertionError("run " + handle.runId() + " did not end within " + bound() + " under executor "
          + executor().name() + "; does it run every task it is given? Its state:\n" + state);
    }
    return run.get();
  }

  CountDownLatch release() {
    CountDownLatch latch = new CountDownLatch(1);
    releases.add(latch);
    return latch;
  }

  void awaitLatch(CountDownLatch latch, String what) {
    try {
      assertThat(latch.await(bound().toMillis(), TimeUnit.MILLISECONDS)).as("waited %s for %s", bound(), what)
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  void awaitPending(String what) {
    try {
      assertThat(clock.awaitPending(1, bound())).as("waited %s for %s on the clock", bound(), what).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  /** Checks the order of one run's callbacks, as {@link CallbackOrder} says. */
  void checkCallbackOrder(Run run, Pipeline pipeline) {
    CallbackOrder.check(recorder, run, pipeline);
  }
}
