package dev.opskit.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.Executor;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.time.ManualClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  void aStepAWorkerElsewhereRanIsTimedUnderItsMemberAndALocalStepUnderLocal() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Pipeline p = Pipeline.builder("spread")
        .step("one", s -> s.writes(a).apply(() -> 1))
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + 1))
        .build();
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(registry)).openInMemory()) {
      PipelineRegistry pipelines = PipelineRegistry.of(p);
      Executor shipping = task -> new Thread(() -> {
        if (task.started()) {
          StepOutcome outcome = ws.worker(pipelines).execute(task.invocation());
          task.complete(task.invocation().step().equals("one") ? outcome.withWorker("10.0.0.7:5701") : outcome);
        }
      }).start();
      assertThat(ws.runner().plan(p).executor(shipping).run().status()).isEqualTo(RunStatus.SUCCEEDED);
      ws.runner().run(p);
    }

    assertThat(registry.get(OpsMetrics.STEP).tags("step", "one", "member", "10.0.0.7:5701").timer().count())
        .isEqualTo(1);
    assertThat(registry.get(OpsMetrics.STEP).tags("step", "one", "member", OpsMetrics.LOCAL_MEMBER).timer().count())
        .as("the second run's, in this process").isEqualTo(1);
    assertThat(registry.get(OpsMetrics.STEP).tags("step", "two", "member", OpsMetrics.LOCAL_MEMBER).timer().count())
        .isEqualTo(2);
    assertThat(registry.find(OpsMetrics.STEP).timers()).allSatisfy(t -> assertThat(t.getId().getTag("member"))
        .as("every step timer has the member tag, as Prometheus wants one set of tag keys per name").isNotNull());
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

  @Test
  void pipelinesWithTheSameStepNamesKeepTheirOwnMetersWhateverOrderTheirStepsStartIn() throws Exception {
    // The same String instances name the steps of both pipelines, so only the pipeline tells their meters apart; on
    // two threads, with both pipelines running at once, steps start in a different order each run.
    String[] names = new String[40];
    for (int i = 0; i < names.length; i++) {
      names[i] = "s" + i;
    }
    Pipeline left = wide("left", names);
    Pipeline right = wide("right", names);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OpsMetrics metrics = OpsMetrics.of(registry);
    try (Workspace ws = Workspace.builder().listener(metrics).openInMemory();
         Executor two = Executor.parallel(2)) {
      for (int round = 0; round < 3; round++) {
        RunHandle l = ws.runner().plan(left).executor(two).start();
        RunHandle r = ws.runner().plan(right).executor(two).start();
        assertThat(l.await().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.await().status()).isEqualTo(RunStatus.SUCCEEDED);
      }
      assertThat(ws.runner().plan(left).executor(Executor.direct()).run().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    for (String name : names) {
      assertThat(stepTimer(registry, "left", name, "SUCCEEDED").count()).as("left/" + name).isEqualTo(4);
      assertThat(stepTimer(registry, "right", name, "SUCCEEDED").count()).as("right/" + name).isEqualTo(3);
    }
    assertThat(registry.find(OpsMetrics.STEP).timers()).hasSize(2 * names.length);
    assertThat(registry.find(OpsMetrics.STEP_ACTIVE).gauges()).hasSize(2 * names.length)
        .allSatisfy(g -> assertThat(g.value()).isZero());
    assertThat(registry.get(OpsMetrics.PIPELINE_RUN).tags("pipeline", "left").timer().count()).isEqualTo(4);
    assertThat(registry.get(OpsMetrics.PIPELINE_RUN).tags("pipeline", "right").timer().count()).isEqualTo(3);
  }

  @Test
  void aPipelineBuiltAgainWithEqualNamesRecordsIntoTheSameMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(registry)).openInMemory()) {
      for (int i = 0; i < 3; i++) {
        // New String instances each time: equal names, not the same references.
        ws.runner().run(Pipeline.builder(new String("again"))
            .step(new String("x"), s -> s.writes(a).apply(() -> 1))
            .step(new String("y"), s -> s.reads(a).writes(b).apply(v -> v + 1))
            .build());
      }
    }
    assertThat(stepTimer(registry, "again", "x", "SUCCEEDED").count()).isEqualTo(3);
    assertThat(stepTimer(registry, "again", "y", "SUCCEEDED").count()).isEqualTo(3);
    assertThat(registry.find(OpsMetrics.STEP).timers()).hasSize(2);
    assertThat(registry.find(OpsMetrics.STEP_ACTIVE).gauges()).hasSize(2);
  }

  @Test
  void aStepWithManyOutcomesHasATimerPerStatus() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger round = new AtomicInteger();
    Pipeline p = Pipeline.builder("moods")
        .step("first", s -> s.writes(a).apply(() -> {
          if (round.get() == 2) {
            throw new IllegalStateException("first fails in round 2");
          }
          return 1;
        }))
        .step("second", s -> s.reads(a).writes(b).apply(x -> {
          if (round.get() == 1) {
            throw new IllegalStateException("second fails in round 1");
          }
          return x;
        }))
        .build();
    List<StepStatus> seen = new ArrayList<>();
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(registry)).openInMemory()) {
      for (int r = 0; r < 4; r++) {
        round.set(r % 3);
        seen.add(ws.runner().start(p).await().step("second").status());
      }
    }
    assertThat(seen).containsExactly(StepStatus.SUCCEEDED, StepStatus.FAILED, StepStatus.SKIPPED,
        StepStatus.SUCCEEDED);
    assertThat(stepTimer(registry, "moods", "second", "SUCCEEDED").count()).isEqualTo(2);
    assertThat(stepTimer(registry, "moods", "second", "FAILED").count()).isEqualTo(1);
    Timer skipped = stepTimer(registry, "moods", "second", "SKIPPED");
    assertThat(skipped.count()).isEqualTo(1);
    assertThat(skipped.totalTime(TimeUnit.NANOSECONDS)).as("a step that never started takes no time").isZero();
    assertThat(stepTimer(registry, "moods", "first", "SUCCEEDED").count()).isEqualTo(3);
    assertThat(stepTimer(registry, "moods", "first", "FAILED").count()).isEqualTo(1);
    assertThat(registry.find(OpsMetrics.STEP).timers()).hasSize(5);
    assertThat(registry.get(OpsMetrics.PIPELINE_RUN).tags("status", "SUCCEEDED").timer().count()).isEqualTo(2);
    assertThat(registry.get(OpsMetrics.PIPELINE_RUN).tags("status", "FAILED").timer().count()).isEqualTo(2);
  }

  @Test
  void metersRemovedFromTheRegistryAreMadeAgainOnTheNextRun() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Pipeline p = Pipeline.builder("removed").step("x", s -> s.writes(a).apply(() -> 1)).build();
    // Two listeners of one registry: each must notice a removal.
    OpsMetrics first = OpsMetrics.of(registry);
    OpsMetrics second = OpsMetrics.of(registry);
    try (Workspace one = Workspace.builder().listener(first).openInMemory();
         Workspace two = Workspace.builder().listener(second).openInMemory()) {
      one.runner().run(p);
      two.runner().run(p);
      Timer before = stepTimer(registry, "removed", "x", "SUCCEEDED");
      assertThat(before.count()).isEqualTo(2);

      registry.remove(before);
      registry.remove(registry.get(OpsMetrics.STEP_ACTIVE).tags("step", "x").gauge());
      registry.remove(registry.get(OpsMetrics.PIPELINE_RUN).timer());
      one.runner().run(p);
      two.runner().run(p);
      Timer after = stepTimer(registry, "removed", "x", "SUCCEEDED");
      assertThat(after).isNotSameAs(before);
      assertThat(after.count()).isEqualTo(2);
      assertThat(before.count()).as("nothing more went to the removed timer").isEqualTo(2);
      assertThat(registry.get(OpsMetrics.PIPELINE_RUN).timer().count()).isEqualTo(2);
      assertThat(registry.get(OpsMetrics.STEP_ACTIVE).tags("step", "x").gauge().value()).isZero();

      registry.clear();
      one.runner().run(p);
      assertThat(stepTimer(registry, "removed", "x", "SUCCEEDED").count()).isEqualTo(1);
      assertThat(registry.find(OpsMetrics.STEP_ACTIVE).gauges()).hasSize(1);
    }
  }

  @Test
  void aClosedRegistryDoesNotBreakRuns() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OpsMetrics metrics = OpsMetrics.of(registry);
    Pipeline p = Pipeline.builder("open").step("x", s -> s.writes(a).apply(() -> 1)).build();
    Pipeline later = Pipeline.builder("later").step("y", s -> s.writes(a).apply(() -> 1)).build();
    try (Workspace ws = Workspace.builder().listener(metrics).openInMemory()) {
      ws.runner().run(p);
      registry.close();
      assertThat(ws.runner().run(p).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(ws.runner().run(later).status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    // Listeners' exceptions are logged, not thrown: call it directly to see that it throws none.
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    StepEvent event = new StepEvent("r1", "later", "y", 1, t);
    assertThatCode(() -> {
      metrics.beforeStepRun(event);
      metrics.onStepFinished(event, new StepRecord("y", StepStatus.SUCCEEDED, 1, t, t.plusMillis(5), null, "",
          Map.of(), null));
    }).doesNotThrowAnyException();
    // A closed registry keeps its meters and registers no new ones.
    assertThat(stepTimer(registry, "open", "x", "SUCCEEDED").count()).isEqualTo(2);
    assertThat(registry.find(OpsMetrics.STEP).tags("pipeline", "later").meters()).isEmpty();
  }

  @Test
  void stepDurationsAreTheNanosecondsBetweenStartAndEnd() {
    Instant start = Instant.ofEpochSecond(100, 900_000_000);
    assertThat(OpsMetrics.nanosBetween(start, Instant.ofEpochSecond(101, 100_000_000))).isEqualTo(200_000_000);
    assertThat(OpsMetrics.nanosBetween(start, start)).isZero();
    assertThat(OpsMetrics.nanosBetween(start, start.plus(Duration.ofDays(400))))
        .isEqualTo(Duration.ofDays(400).toNanos());
    assertThat(OpsMetrics.nanosBetween(null, start)).isZero();
    assertThat(OpsMetrics.nanosBetween(start, null)).isZero();
  }

  @Test
  void theGaugeCountsEachRunningAttemptOnceWhateverEventsEndIt() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OpsMetrics metrics = OpsMetrics.of(registry);
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    StepRecord failed = new StepRecord("x", StepStatus.FAILED, 2, t, t.plusSeconds(1), null, "", Map.of(), null);
    StepRecord skipped = new StepRecord("x", StepStatus.SKIPPED, 0, null, t, null, "", Map.of(), null);
    // Equal run ids in new String instances, as a listener may get them, are the same run.
    metrics.beforeStepRun(new StepEvent(new String("r1"), "p", "x", 1, t));
    metrics.beforeStepRun(new StepEvent(new String("r1"), "p", "x", 1, t));
    metrics.beforeStepRun(new StepEvent("r2", "p", "x", 1, t));
    assertThat(active(registry, "x")).isEqualTo(2.0);
    metrics.onStepRetry(new StepEvent(new String("r1"), "p", "x", 1, t), new IllegalStateException(), Duration.ZERO);
    assertThat(active(registry, "x")).isEqualTo(1.0);
    metrics.beforeStepRun(new StepEvent("r1", "p", "x", 2, t));
    metrics.onStepError(new StepEvent("r1", "p", "x", 2, t), new IllegalStateException());
    metrics.onStepFinished(new StepEvent("r1", "p", "x", 2, t), failed);
    assertThat(active(registry, "x")).as("an error and then the end count as one end").isEqualTo(1.0);
    metrics.onStepFinished(new StepEvent("r3", "p", "x", 0, t), skipped);
    assertThat(active(registry, "x")).as("a run that started nothing stops nothing").isEqualTo(1.0);
    metrics.onStepFinished(new StepEvent("r2", "p", "x", 1, t), failed);
    assertThat(active(registry, "x")).isZero();
    assertThat(registry.get(OpsMetrics.STEP_RETRIES).counter().count()).isEqualTo(1.0);
    assertThat(stepTimer(registry, "p", "x", "FAILED").count()).isEqualTo(2);
    assertThat(stepTimer(registry, "p", "x", "SKIPPED").count()).isEqualTo(1);
  }

  private static double active(SimpleMeterRegistry registry, String step) {
    return registry.get(OpsMetrics.STEP_ACTIVE).tags("step", step).gauge().value();
  }

  private static Pipeline wide(String name, String[] steps) {
    PipelineBuilder b = Pipeline.builder(name);
    for (String step : steps) {
      Dataset<Integer> out = Dataset.of(name + "-" + step, Integer.class);
      b.step(step, s -> s.writes(out).apply(() -> 1));
    }
    return b.build();
  }

  private static Timer stepTimer(SimpleMeterRegistry registry, String pipeline, String step, String status) {
    return registry.get(OpsMetrics.STEP).tags("pipeline", pipeline, "step", step, "status", status).timer();
  }
}
