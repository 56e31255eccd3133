package dev.opskit.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.RunHandle;
import dev.opskit.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final Dataset<Integer> a = Dataset.of("a", Integer.class);
  private final Dataset<Integer> b = Dataset.of("b", Integer.class);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainLinesAtTheStartPeriodicallyWithTheRunningStepAndItsProgressAndAtTheEnd() throws Exception {
    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch carryOn = new CountDownLatch(1);
    ConsoleProgress progress = ConsoleProgress.builder(out).live(false).every(Duration.ofSeconds(10)).clock(clock)
        .scheduler(clock).build();
    Pipeline p = Pipeline.builder("etl")
        .step("extract", s -> s.writes(a).apply(() -> 1))
        .step("load", s -> s.inputs(a).outputs(b).run(ctx -> {
          clock.advance(Duration.ofSeconds(4));
          ctx.progress(1, 4);
          halfway.countDown();
          carryOn.await(BOUND.toSeconds(), TimeUnit.SECONDS);
          ctx.output(b, 2);
        }))
        .build();
    try (Workspace ws = Workspace.builder().clock(clock).listener(progress).openInMemory()) {
      RunHandle handle = ws.runner().start(p);
      assertThat(halfway.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      clock.advance(Duration.ofSeconds(6));           // the 10 s tick: 1.25 of 2 steps done in 10 s
      carryOn.countDown();
      handle.await(BOUND).orElseThrow();
    }
    List<String> lines = printed().lines().toList();
    assertThat(lines.get(0)).startsWith("etl  started  2 steps  (run ");
    assertThat(lines.get(1)).isEqualTo("etl  1/2 steps  running: load 25%  ETA 0:06");
    assertThat(lines.get(2)).isEqualTo("etl  SUCCEEDED  2/2 steps in 10.0 s");
    assertThat(lines).hasSize(3);
    assertThat(printed()).doesNotContain("\u001b");
  }

  @Test
  void theLiveDisplayRedrawsOneLineInPlaceAndEndsWithTheOutcome() {
    ConsoleProgress progress = ConsoleProgress.builder(out).live(true).clock(clock).build();
    assertThat(progress.isLive()).isTrue();
    Pipeline p = Pipeline.builder("etl")
        .step("extract", s -> s.writes(a).apply(() -> {
          clock.advance(Duration.ofSeconds(1));
          return 1;
        }))
        .step("load", s -> s.inputs(a).outputs(b).run(ctx -> {
          clock.advance(Duration.ofSeconds(1));
          ctx.progress(1, 2);
          ctx.output(b, 2);
        }))
        .build();
    try (Workspace ws = Workspace.builder().clock(clock).listener(progress).openInMemory()) {
      ws.runner().run(p);
    }
    String shown = printed();
    assertThat(shown).startsWith("etl  0/2 steps\r\u001b[2Ketl  1/2 steps  ETA 0:01\r\u001b[2K"
        + "etl  1/2 steps  running: load 50%  ETA 0:00\r\u001b[2K");
    assertThat(shown).endsWith("\r\u001b[2Ketl  SUCCEEDED  2/2 steps in 2.0 s" + System.lineSeparator());
  }

  @Test
  void aCachedStepCountsAsDoneAndIsSaid() {
    ConsoleProgress progress = ConsoleProgress.builder(out).live(false).clock(clock).scheduler(clock).build();
    Pipeline p = Pipeline.builder("one").step("s", s -> s.writes(a).apply(() -> 1)).build();
    try (Workspace ws = Workspace.builder().clock(clock).listener(progress).openInMemory()) {
      ws.runner().run(p);
    }
    assertThat(printed().lines().toList()).last().isEqualTo("one  SUCCEEDED  1/1 steps in 0 ms");
  }

  @Test
  void aPeriodThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> ConsoleProgress.builder(out).every(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every must be positive, got PT0S");
  }
}
