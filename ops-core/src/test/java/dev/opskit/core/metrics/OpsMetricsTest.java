package dev.opskit.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.time.ManualClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpsMetricsTest {
  private final Dataset<Integer> a = Dataset.of("a", Integer.class);
  private final Dataset<Integer> b = Dataset.of("b", Integer.class);
  private final Dataset<Integer> c = Dataset.of("c", Integer.class);

  @Test
  void aRunWithARetryAndAFailureRecordsTheDocumentedMeters() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger flaky = new AtomicInteger();
    Pipeline p = Pipeline.builder("metered")
        .step("ok", s -> s.writes(a).apply(() -> 1))
        .step("flaky", s -> s.reads(a).writes(b).retries(3).apply(x -> {
          if (flaky.incrementAndGet() < 3) {
            throw new IllegalStateException("flaky");
          }
          return x;
        }))
        .step("broken", s -> s.reads(b).writes(c).apply(x -> {
          throw new IllegalStateException("broken");
        }))
        .build();
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(registry)).openInMemory()) {
      Run run = ws.runner().start(p).await();
      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    }

    Timer runTimer = registry.get(OpsMetrics.PIPELINE_RUN).tag("pipeline", "metered").tag("status", "FAILED").timer();
    assertThat(runTimer.count()).isEqualTo(1);

    assertThat(registry.get(OpsMetrics.STEP).tags("pipeline", "metered", "step", "ok", "status", "SUCCEEDED")
        .timer().count()).isEqualTo(1);
    assertThat(registry.get(OpsMetrics.STEP).tags("pipeline", "metered", "step", "flaky", "status", "SUCCEEDED")
        .timer().count()).isEqualTo(1);
    assertThat(registry.get(OpsMetrics.STEP).tags("pipeline", "metered", "step", "broken", "status", "FAILED")
        .timer().count()).isEqualTo(1);
    assertThat(registry.find(OpsMetrics.STEP).timers()).hasSize(3);

    assertThat(registry.get(OpsMetrics.STEP_RETRIES).tags("pipeline", "metered", "step", "flaky").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.find(OpsMetrics.STEP_RETRIES).counters()).hasSize(1);

    for (Gauge gauge : registry.find(OpsMetrics.STEP_ACTIVE).gauges()) {
      assertThat(gauge.value()).as("no attempt is active after the run").isZero();
    }
    assertThat(registry.find(OpsMetrics.STEP_ACTIVE).gauges()).hasSize(3);
  }

  @Test
  void runningAttemptsShowInTheGaugeAndDurationsComeFromTheClock() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ManualClock clock = ManualClock.create();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("long")
        .step("wait", s -> s.writes(a).apply(() -> {
          running.countDown();
          release.await();
          return 1;
        }))
        .build();
    try (Workspace ws = Workspace.builder().clock(clock).listener(OpsMetrics.of(registry)).openInMemory()) {
      var handle = ws.runner().start(p);
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(registry.get(OpsMetrics.STEP_ACTIVE).tags("step", "wait").gauge().value()).isEqualTo(1.0);
      clock.advance(Duration.ofSeconds(3));
      release.countDown();
      handle.await();
    }
    assertThat(registry.get(OpsMetrics.STEP_ACTIVE).tags("step", "wait").gauge().value()).isZero();
    assertThat(registry.get(OpsMetrics.STEP).tags("step", "wait").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
    assertThat(registry.get(OpsMetrics.PIPELINE_RUN).timer().totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
  }

  @Test
  void theSameStepRunningInTwoRunsAtOnceCountsTwice() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    Pipeline p = Pipeline.builder("twice")
        .step("wait", s -> s.writes(a).apply(() -> {
          running.countDown();
          release.await();
          return 1;
        }))
        .build();
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(registry)).openInMemory()) {
      var first = ws.runner().start(p);
      var second = ws.runner().start(p);
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(registry.get(OpsMetrics.STEP_ACTIVE).tags("step", "wait").gauge().value()).isEqualTo(2.0);
      release.countDown();
      first.await();
      second.await();
    }
    assertThat(registry.get(OpsMetrics.STEP_ACTIVE).tags("step", "wait").gauge().value()).isZero();
  }

  @Test
  void aWorkspaceWithoutTheListenerCreatesNoMeter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Workspace ws = Workspace.inMemory()) {
      ws.runner().run(Pipeline.builder("plain").step("x", s -> s.writes(a).apply(() -> 1)).build());
    }
    assertThat(registry.getMeters()).isEmpty();
  }
}
