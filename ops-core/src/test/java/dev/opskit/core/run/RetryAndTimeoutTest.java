package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTimeoutException;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retry, backoff and timeouts, driven by a manual clock and latches; nothing here sleeps to wait. */
class RetryAndTimeoutTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final Dataset<Integer> out = Dataset.of("out", Integer.class);
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  private final BlockingQueue<String> retries = new LinkedBlockingQueue<>();
  private final Workspace ws = Workspace.builder().clock(clock).listener(new RunListener() {
    @Override
    public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
      retries.add(event.attempt() + ":" + error.getClass().getSimpleName() + ":" + delay.toMillis());
    }
  }).openInMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  private String nextRetry() throws InterruptedException {
    String r = retries.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(r).as("a retry within %s", BOUND).isNotNull();
    return r;
  }

  @Test
  void exponentialBackoffWaitsOnTheInjectedClockBeforeEachRetry() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("backoff")
        .step("flaky", s -> s.writes(out).retry(RetryPolicy.exponential(4, Duration.ofSeconds(1))).apply(() -> {
          if (calls.incrementAndGet() < 4) {
            throw new IOException("transient " + calls.get());
          }
          return calls.get();
        }))
        .build();
    RunHandle handle = ws.runner().start(p);

    assertThat(nextRetry()).isEqualTo("1:IOException:1000");
    assertThat(clock.awaitPending(1, BOUND)).isTrue();
    assertThat(clock.pending()).containsExactly(clock.instant().plusSeconds(1));
    clock.advance(Duration.ofMillis(999));
    assertThat(calls).hasValue(1);
    clock.advance(Duration.ofMillis(1));

    assertThat(nextRetry()).isEqualTo("2:IOException:2000");
    assertThat(calls).hasValue(2);
    assertThat(clock.awaitPending(1, BOUND)).isTrue();
    clock.advance(Duration.ofSeconds(2));

    assertThat(nextRetry()).isEqualTo("3:IOException:4000");
    assertThat(handle.isDone()).isFalse();
    assertThat(clock.awaitPending(1, BOUND)).isTrue();
    clock.advance(Duration.ofSeconds(4));

    Run run = handle.await(BOUND).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.step("flaky").attempts()).isEqualTo(4);
    assertThat(run.output(out)).isEqualTo(4);
    assertThat(run.step("flaky").duration()).contains(Duration.ofSeconds(7));
  }

  @Test
  void aStepFailsOnceItsAttemptsAreSpent() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("spent")
        .step("always", s -> s.writes(out).retries(3).apply(() -> {
          calls.incrementAndGet();
          throw new IllegalStateException("nope");
        }))
        .build();
    Run run = awaitQuietly(ws.runner().plan(p));
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.step("always").attempts()).isEqualTo(3);
    assertThat(run.step("always").error().type()).isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void failuresTheRetryOnPredicateRejectsAreNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("selective")
        .step("s", s -> s.writes(out).retry(RetryPolicy.fixed(5, Duration.ZERO).retryOn(IOException.class)).apply(() -> {
          calls.incrementAndGet();
          throw new IllegalArgumentException("bad input is not transient");
        }))
        .build();
    Run run = awaitQuietly(ws.runner().plan(p));
    assertThat(calls).hasValue(1);
    assertThat(run.step("s").status()).isEqualTo(StepStatus.FAILED);
    assertThat(run.step("s").attempts()).isEqualTo(1);
  }

  @Test
  void errorsAreNotRetriedByDefault() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("errors")
        .step("s", s -> s.writes(out).retries(5).apply(() -> {
          calls.incrementAndGet();
          throw new AssertionError("a bug");
        }))
        .build();
    Run run = awaitQuietly(ws.runner().plan(p));
    assertThat(calls).hasValue(1);
    assertThat(run.step("s").error().type()).isEqualTo(AssertionError.class.getName());
  }

  @Test
  void thePipelineDefaultRetryAppliesToStepsWithoutTheirOwn() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("defaulted")
        .defaultRetry(RetryPolicy.fixed(3, Duration.ZERO))
        .step("s", s -> s.writes(out).apply(() -> {
          if (calls.incrementAndGet() < 3) {
            throw new UncheckedIOException(new IOException("flaky"));
          }
          return 1;
        }))
        .build();
    Run run = ws.runner().run(p);
    assertThat(run.step("s").attempts()).isEqualTo(3);
  }

  @Test
  void aTimedOutAttemptIsInterruptedAndRetried() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch interrupted = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("timeouts")
        .step("slow", s -> s.writes(out).timeout(Duration.ofSeconds(30)).retries(2).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            started.countDown();
            try {
              new CountDownLatch(1).await();
            } catch (InterruptedException e) {
              interrupted.countDown();
              throw e;
            }
          }
          return 42;
        }))
        .build();
    try (Executor executor = Executor.parallel(2)) {
      RunHandle handle = ws.runner().plan(p).executor(executor).start();
      assertThat(started.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(clock.awaitPending(1, BOUND)).isTrue();
      clock.advance(Duration.ofSeconds(29));
      assertThat(handle.isDone()).isFalse();
      clock.advance(Duration.ofSeconds(1));
      assertThat(nextRetry()).isEqualTo("1:StepTimeoutException:0");
      Run run = handle.await(BOUND).orElseThrow();
      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.step("slow").attempts()).isEqualTo(2);
      assertThat(run.output(out)).isEqualTo(42);
      // The timed-out attempt's thread sees the interrupt on its own schedule; wait for it with a bound.
      assertThat(interrupted.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aStepThatIgnoresInterruptsStillTimesOutAndItsLateResultIsDiscarded() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch returned = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("stubborn")
        .step("stubborn", s -> s.writes(out).timeout(Duration.ofSeconds(5)).apply(() -> {
          started.countDown();
          boolean done = false;
          while (!done) {
            try {
              done = release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
              // this step ignores interrupts on purpose
            }
          }
          returned.countDown();
          return 1;
        }))
        .build();
    try (Executor executor = Executor.parallel(2)) {
      RunHandle handle = ws.runner().plan(p).executor(executor).start();
      assertThat(started.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      clock.advance(Duration.ofSeconds(5));
      Run run = handle.await(BOUND).orElseThrow();
      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.step("stubborn").error().type()).isEqualTo(StepTimeoutException.class.getName());
      assertThat(run.step("stubborn").error().message()).contains("timed out after PT5S");
      release.countDown();
      assertThat(returned.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(handle.snapshot().step("stubborn").status()).isEqualTo(StepStatus.FAILED);
    }
  }

  @Test
  void timeoutsWorkOnTheDirectExecutorToo() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("direct-timeout")
        .step("slow", s -> s.writes(out).timeout(Duration.ofMinutes(1)).apply(() -> {
          started.countDown();
          new CountDownLatch(1).await();
          return 1;
        }))
        .build();
    RunHandle handle = ws.runner().start(p);
    assertThat(started.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    clock.advance(Duration.ofMinutes(1));
    Run run = handle.await(BOUND).orElseThrow();
    assertThat(run.step("slow").status()).isEqualTo(StepStatus.FAILED);
    assertThat(run.step("slow").error().type()).isEqualTo(StepTimeoutException.class.getName());
  }

  private static Run awaitQuietly(dev.opskit.run.RunRequest request) {
    try {
      return request.start().await(BOUND).orElseThrow();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
