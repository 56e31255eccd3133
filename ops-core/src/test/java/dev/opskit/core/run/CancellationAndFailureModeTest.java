package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTask;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CancellationAndFailureModeTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final Dataset<Integer> a = Dataset.of("a", Integer.class);
  private final Dataset<Integer> b = Dataset.of("b", Integer.class);
  private final Dataset<Integer> c = Dataset.of("c", Integer.class);
  private final Dataset<Integer> d = Dataset.of("d", Integer.class);
  private final ManualClock clock = ManualClock.create();
  private final Workspace ws = Workspace.builder().clock(clock).openInMemory();
  private final Executor parallel = Executor.parallel(2);

  @AfterEach
  void close() {
    parallel.close();
    ws.close();
  }

  @Test
  void cancellingARunInterruptsStepsInFlightAndCancelsTheRest() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch wasInterrupted = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("cancel")
        .step("blocking", s -> s.writes(a).apply(() -> {
          started.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            wasInterrupted.countDown();
            throw e;
          }
          return 1;
        }))
        .step("after", s -> s.reads(a).writes(b).apply(x -> x))
        .build();
    RunHandle handle = ws.runner().plan(p).executor(parallel).start();
    assertThat(started.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertThat(handle.cancel()).isTrue();
    assertThat(handle.cancel()).isFalse();
    Run run = handle.await(BOUND).orElseThrow();

    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.step("blocking").status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(run.step("blocking").note()).contains("interrupted");
    assertThat(run.step("after").status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(run.step("after").attempts()).isZero();
    assertThatThrownBy(run::throwIfFailed).isInstanceOf(RunFailedException.class)
        .hasMessageContaining("was cancelled")
        .hasMessageContaining("resume(pipeline, \"" + run.id() + "\")");
    assertThat(wasInterrupted.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void cancellingARunThatWaitsForABackoffCancelsTheWait() throws Exception {
    CountDownLatch failedOnce = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("backoff-cancel")
        .step("flaky", s -> s.writes(a).retry(RetryPolicy.fixed(3, Duration.ofMinutes(10))).apply(() -> {
          failedOnce.countDown();
          throw new IllegalStateException("flaky");
        }))
        .build();
    RunHandle handle = ws.runner().start(p);
    assertThat(failedOnce.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(clock.awaitPending(1, BOUND)).isTrue();

    handle.cancel();
    Run run = handle.await(BOUND).orElseThrow();

    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.step("flaky").status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(run.step("flaky").attempts()).isEqualTo(1);
    assertThat(clock.pending()).isEmpty();
  }

  @Test
  void keepGoingFinishesIndependentBranchesAndSkipsDependents() {
    Pipeline p = Pipeline.builder("keep-going")
        .step("broken", s -> s.writes(a).apply(() -> {
          throw new IllegalStateException("broken");
        }))
        .step("needs-broken", s -> s.reads(a).writes(b).apply(x -> x))
        .step("needs-needs-broken", s -> s.reads(b).writes(c).apply(x -> x))
        .step("independent", s -> s.writes(d).apply(() -> 4))
        .build();
    RunFailedException failure = catchRunFailure(() -> ws.runner().run(p));
    Run run = failure.run();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.step("broken").status()).isEqualTo(StepStatus.FAILED);
    assertThat(run.step("needs-broken").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(run.step("needs-broken").note()).isEqualTo("upstream step 'broken' failed");
    assertThat(run.step("needs-needs-broken").status()).isEqualTo(StepStatus.SKIPPED);
    // transitive dependents name the step whose failure is the root cause
    assertThat(run.step("needs-needs-broken").note()).isEqualTo("upstream step 'broken' failed");
    assertThat(run.step("independent").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(run.output(d)).isEqualTo(4);
    assertThat(failure).hasMessageContaining("step 'broken' failed after 1 attempt with IllegalStateException: broken")
        .hasMessageContaining("2 skipped")
        .hasMessageContaining("Resume with: workspace.runner().resume(pipeline, \"" + run.id() + "\")")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(run.summary()).contains("FAILED", "SKIPPED", "upstream step 'broken' failed", "Resume with:");
  }

  /** A run on an executor of another kind than the in-process ones is to be resumed on an executor of that kind. */
  @Test
  void aFailedRunOnAnotherKindOfExecutorSuggestsResumingOnSuchAnExecutor() {
    Pipeline p = Pipeline.builder("elsewhere")
        .step("broken", s -> s.writes(a).apply(() -> {
          throw new IllegalStateException("broken");
        }))
        .build();
    Executor elsewhere = new Executor() {
      @Override
      public void execute(StepTask task) {
        Executor.direct().execute(task);
      }

      @Override
      public String name() {
        return "cluster(prod)";
      }
    };
    RunFailedException failure = catchRunFailure(() -> ws.runner().plan(p).executor(elsewhere).run());
    assertThat(failure).hasMessageContaining("Resume with: workspace.runner().plan(pipeline).resuming(\""
        + failure.run().id() + "\").executor(<an executor like cluster(prod)>).run()");
  }

  @Test
  void failFastInterruptsStepsInFlightAndSkipsStepsNotStarted() throws Exception {
    CountDownLatch slowStarted = new CountDownLatch(1);
    AtomicReference<Thread> slowThread = new AtomicReference<>();
    Pipeline p = Pipeline.builder("fail-fast")
        .step("slow", s -> s.writes(a).apply(() -> {
          slowThread.set(Thread.currentThread());
          slowStarted.countDown();
          new CountDownLatch(1).await();
          return 1;
        }))
        .step("after-slow", s -> s.reads(a).writes(b).apply(x -> x))
        .step("boom", s -> s.writes(c).apply(() -> {
          if (!slowStarted.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("slow never started");
          }
          throw new IllegalStateException("boom");
        }))
        .build();
    Run run = ws.runner().plan(p).executor(parallel).failFast().start().await(BOUND).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.step("boom").status()).isEqualTo(StepStatus.FAILED);
    assertThat(run.step("slow").status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(run.step("slow").note()).isEqualTo("interrupted: run failed fast after step 'boom' failed");
    assertThat(run.step("after-slow").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(run.step("after-slow").note()).isEqualTo("run failed fast after step 'boom' failed");
  }

  @Test
  void interruptingTheThreadWaitingInRunCancelsTheRun() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("interrupted-caller")
        .step("blocking", s -> s.writes(a).apply(() -> {
          started.countDown();
          new CountDownLatch(1).await();
          return 1;
        }))
        .build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagKept = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        ws.runner().plan(p).executor(parallel).run();
      } catch (Throwable t) {
        thrown.set(t);
      }
      flagKept.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    assertThat(started.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(BOUND.toMillis());
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(RunFailedException.class);
    assertThat(((RunFailedException) thrown.get()).run().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(flagKept).isTrue();
  }

  private static RunFailedException catchRunFailure(Runnable r) {
    try {
      r.run();
    } catch (RunFailedException e) {
      return e;
    }
    throw new AssertionError("expected the run to fail");
  }
}
