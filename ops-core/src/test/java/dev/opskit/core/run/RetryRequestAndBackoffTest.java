package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.pipeline.RetryRequestedException;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepStatus;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Linear backoff, retries a step asks for, and an inclusion's retry override, in runs; driven by a manual clock. */
class RetryRequestAndBackoffTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final Dataset<Integer> out = Dataset.of("out", Integer.class);
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  private final BlockingQueue<String> retries = new LinkedBlockingQueue<>();
  private final Workspace ws = Workspace.builder().clock(clock).listener(new RunListener() {
    @Override
    public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
      retries.add(event.step() + "#" + event.attempt() + ":" + delay.toMillis());
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

  private void advanceWhenScheduled(Duration by) throws InterruptedException {
    assertThat(clock.awaitPending(1, BOUND)).isTrue();
    clock.advance(by);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void linearBackoffWaitsOneMoreStepBeforeEachRetry(boolean parallel) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("linear")
        .step("flaky", s -> s.writes(out).retry(RetryPolicy.linear(4, Duration.ofSeconds(3))).apply(() -> {
          if (calls.incrementAndGet() < 4) {
            throw new IllegalStateException("transient");
          }
          return calls.get();
        }))
        .build();
    try (Executor executor = parallel ? Executor.parallel(2) : Executor.direct()) {
      RunHandle handle = ws.runner().plan(p).executor(executor).start();

      assertThat(nextRetry()).isEqualTo("flaky#1:3000");
      advanceWhenScheduled(Duration.ofSeconds(3));
      assertThat(nextRetry()).isEqualTo("flaky#2:6000");
      advanceWhenScheduled(Duration.ofSeconds(6));
      assertThat(nextRetry()).isEqualTo("flaky#3:9000");
      advanceWhenScheduled(Duration.ofSeconds(9));

      Run run = handle.await(BOUND).orElseThrow();
      assertThat(run.output(out)).isEqualTo(4);
      assertThat(run.step("flaky").attempts()).isEqualTo(4);
    }
  }

  @Test
  void aStepCanAskForARetryAfterADelayItChoosesEvenWithoutARetryPolicy() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("rate-limited")
        .step("fetch", s -> s.writes(out).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            throw RetryRequestedException.after(Duration.ofSeconds(30), "rate-limited").upTo(2);
          }
          return 7;
        }))
        .build();
    RunHandle handle = ws.runner().start(p);

    assertThat(nextRetry()).isEqualTo("fetch#1:30000");
    assertThat(clock.awaitPending(1, BOUND)).isTrue();
    assertThat(clock.pending()).containsExactly(clock.instant().plusSeconds(30));
    clock.advance(Duration.ofSeconds(29));
    assertThat(calls).hasValue(1);
    clock.advance(Duration.ofSeconds(1));

    Run run = handle.await(BOUND).orElseThrow();
    assertThat(run.output(out)).isEqualTo(7);
    assertThat(run.step("fetch").attempts()).isEqualTo(2);
  }

  @Test
  void aRetryRequestIgnoresTheRetryOnPredicateButNotTheAttemptLimit() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("requests")
        .step("fetch", s -> s.writes(out)
            .retry(RetryPolicy.fixed(3, Duration.ZERO).retryOn(java.io.IOException.class))
            .apply(() -> {
              calls.incrementAndGet();
              throw RetryRequestedException.now("not yet");
            }))
        .build();

    RunFailedException e = catchThrowableOfType(RunFailedException.class, () -> ws.runner().run(p));

    assertThat(calls).hasValue(3);
    assertThat(e.run().step("fetch").status()).isEqualTo(StepStatus.FAILED);
    assertThat(e.run().step("fetch").error().type()).isEqualTo(RetryRequestedException.class.getName());
  }

  @Test
  void anInclusionOverridesTheIncludedStepsRetryPolicy() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Pipeline sub = Pipeline.builder("sub")
        .step("flaky", s -> s.writes(out).retry(RetryPolicy.none()).apply(() -> {
          if (calls.incrementAndGet() < 2) {
            throw new IllegalStateException("transient");
          }
          return 1;
        }))
        .build();
    Pipeline p = Pipeline.builder("outer")
        .include(sub, in -> in.namespace("eu").retry(RetryPolicy.linear(2, Duration.ofSeconds(5))))
        .build();
    RunHandle handle = ws.runner().start(p);

    assertThat(nextRetry()).isEqualTo("eu.flaky#1:5000");
    advanceWhenScheduled(Duration.ofSeconds(5));

    assertThat(handle.await(BOUND).orElseThrow().step("eu.flaky").status()).isEqualTo(StepStatus.SUCCEEDED);
  }
}
