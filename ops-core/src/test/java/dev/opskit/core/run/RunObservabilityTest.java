package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepProgress;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What a run tells the host while it runs: its log lines, MDC keys, progress and the RETRYING status. */
class RunObservabilityTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final Dataset<Integer> a = Dataset.of("a", Integer.class);
  private final Dataset<Integer> b = Dataset.of("b", Integer.class);
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  private final Logger runLogger = (Logger) LoggerFactory.getLogger("dev.opskit.run");
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Workspace ws;

  @BeforeEach
  void open() {
    logged.start();
    runLogger.addAppender(logged);
    runLogger.setLevel(Level.INFO);
    ws = Workspace.builder().clock(clock).openInMemory();
  }

  @AfterEach
  void close() {
    ws.close();
    runLogger.detachAppender(logged);
    runLogger.setLevel(null);
  }

  private List<String> lines(Level level) {
    return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aRunLogsItsStartAndASummaryAtInfoAndNothingPerStep() {
    Pipeline p = Pipeline.builder("two").step("one", s -> s.writes(a).apply(() -> 1))
        .step("two", s -> s.reads(a).writes(b).apply(x -> x + 1)).build();
    Run run = ws.runner().run(p);

    assertThat(lines(Level.INFO)).containsExactly(
        "Run " + run.id() + " of pipeline 'two' started: 2 steps on the direct executor",
        "Run " + run.id() + " of pipeline 'two' SUCCEEDED in 0 ms: 2 SUCCEEDED");
    assertThat(lines(Level.DEBUG)).isEmpty();
    assertThat(logged.list).allSatisfy(e -> assertThat(e.getMDCPropertyMap())
        .containsEntry("opskit.run", run.id()).containsEntry("opskit.pipeline", "two"));
  }

  @Test
  void atDebugEachStepAndEachCacheDecisionIsLoggedWithTheStepInTheMdc() {
    runLogger.setLevel(Level.DEBUG);
    Pipeline p = Pipeline.builder("dbg").step("only", s -> s.writes(a).apply(() -> 1)).build();
    Run run = ws.runner().run(p);

    assertThat(lines(Level.DEBUG)).containsExactly("Step 'only' started, attempt 1",
        "Step 'only' SUCCEEDED after 1 attempt(s) in 0 ms");
    assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.DEBUG).allSatisfy(e ->
        assertThat(e.getMDCPropertyMap()).containsEntry("opskit.run", run.id()).containsEntry("opskit.step", "only"));
  }

  @Test
  void retriesAndFailuresAreWarningsWithTheirCause() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("flaky")
        .step("s", s -> s.writes(a).retry(RetryPolicy.fixed(2, Duration.ZERO)).apply(() -> {
          throw new IOException("disk " + calls.incrementAndGet());
        }))
        .build();
    Run run = ws.runner().start(p).await(BOUND).orElseThrow();

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "Step 's' failed on attempt 1 and is retried in 0 ms: java.io.IOException: disk 1",
        "Step 's' of run " + run.id() + " failed on attempt 2: java.io.IOException: disk 2");
    assertThat(warnings).allSatisfy(e -> {
      assertThat(e.getThrowableProxy()).isNotNull();
      assertThat(e.getMDCPropertyMap()).containsEntry("opskit.step", "s");
    });
    assertThat(lines(Level.INFO)).last().asString().contains("FAILED", "1 FAILED");
  }

  @Test
  void theStepFunctionSeesTheRunPipelineAndStepInTheMdcAndTheCallerGetsItsOwnBack() {
    AtomicReference<Map<String, String>> seen = new AtomicReference<>();
    MDC.put("opskit.step", "the caller's");
    try {
      Pipeline p = Pipeline.builder("mdc").step("look", s -> s.writes(a).apply(() -> {
        seen.set(MDC.getCopyOfContextMap());
        return 1;
      })).build();
      Run run = ws.runner().run(p);

      assertThat(seen.get()).containsEntry("opskit.run", run.id()).containsEntry("opskit.pipeline", "mdc")
          .containsEntry("opskit.step", "look");
      assertThat(MDC.get("opskit.step")).isEqualTo("the caller's");
      assertThat(MDC.get("opskit.run")).isNull();
    } finally {
      MDC.remove("opskit.step");
    }
  }

  @Test
  void aStepWaitingOutItsBackoffIsRetryingWithItsNextAttemptTime() throws Exception {
    BlockingQueue<String> retried = new LinkedBlockingQueue<>();
    try (Workspace w = Workspace.builder().clock(clock).listener(new RunListener() {
      @Override
      public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
        retried.add(event.step());
      }
    }).openInMemory()) {
      AtomicInteger calls = new AtomicInteger();
      Pipeline p = Pipeline.builder("backoff")
          .step("flaky", s -> s.writes(a).retry(RetryPolicy.fixed(2, Duration.ofSeconds(30))).apply(() -> {
            if (calls.incrementAndGet() == 1) {
              throw new IOException("transient");
            }
            return 1;
          }))
          .build();
      RunHandle handle = w.runner().start(p);
      assertThat(retried.poll(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("flaky");
      assertThat(clock.awaitPending(1, BOUND)).isTrue();

      StepRecord waiting = handle.snapshot().step("flaky");
      assertThat(waiting.status()).isEqualTo(StepStatus.RETRYING);
      assertThat(waiting.status().isTerminal()).isFalse();
      assertThat(waiting.nextAttempt()).contains(clock.instant().plusSeconds(30));

      clock.advance(Duration.ofSeconds(30));
      Run run = handle.await(BOUND).orElseThrow();
      assertThat(run.step("flaky").status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(run.step("flaky").nextAttempt()).isEmpty();
    }
  }

  @Test
  void progressShowsInTheSnapshotAndReachesListenersAtMostTenTimesASecondAndAlwaysAtTheEnd() throws Exception {
    List<StepProgress> heard = new CopyOnWriteArrayList<>();
    CountDownLatch reported = new CountDownLatch(1);
    CountDownLatch carryOn = new CountDownLatch(1);
    try (Workspace w = Workspace.builder().clock(clock).listener(new RunListener() {
      @Override
      public void onStepProgress(StepEvent event, StepProgress progress) {
        heard.add(progress);
      }
    }).openInMemory()) {
      Pipeline p = Pipeline.builder("progress").step("load", s -> s.outputs(a).run(ctx -> {
        for (int i = 1; i <= 5; i++) {
          ctx.progress(i, 10);                       // the clock stands still: only the first is heard
        }
        clock.advance(Duration.ofMillis(100));
        ctx.progress(6, 10);                         // 100 ms later: heard
        reported.countDown();
        carryOn.await(BOUND.toSeconds(), TimeUnit.SECONDS);
        ctx.progress(10, 10);                        // the last unit: always heard
        ctx.output(a, 10);
      })).build();
      RunHandle handle = w.runner().start(p);
      assertThat(reported.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

      StepRecord running = handle.snapshot().step("load");
      assertThat(running.lastProgress()).hasValueSatisfying(pr -> {
        assertThat(pr.done()).isEqualTo(6);
        assertThat(pr.total()).isEqualTo(10);
        assertThat(pr.fraction()).hasValue(0.6);
      });

      carryOn.countDown();
      assertThat(handle.await(BOUND).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(heard).extracting(StepProgress::done).containsExactly(1L, 6L, 10L);
    }
  }

  @Test
  void badProgressIsAnErrorNamingTheStep() throws Exception {
    Pipeline p = Pipeline.builder("bad").step("neg", s -> s.outputs(a).run(ctx -> ctx.progress(-1, 10))).build();
    Run run = ws.runner().start(p).await(BOUND).orElseThrow();
    assertThat(run.step("neg").error().message()).contains("step 'neg' reported bad progress",
        "done must not be negative, got -1");
  }
}
