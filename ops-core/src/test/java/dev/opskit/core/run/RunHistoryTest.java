package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Listing runs: newest first, filtered, paged, even when the clock does not move between runs. */
class RunHistoryTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-04-01T00:00:00Z"));
  private final Dataset<Integer> out = Dataset.of("out", Integer.class);
  private final Pipeline a = Pipeline.builder("a").step("s", s -> s.writes(out).apply(() -> 1)).build();
  private final Pipeline b = Pipeline.builder("b").step("s", s -> s.writes(out).apply(() -> 2)).build();

  @Test
  void runsAtOneInstantAreListedNewestFirst() {
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory()) {
      Run first = ws.runner().run(a);
      Run second = ws.runner().run(b);
      Run third = ws.runner().run(a);

      assertThat(ws.runs().list().items()).extracting(Run::id).containsExactly(third.id(), second.id(), first.id());
      assertThat(ws.runs().pipeline("a").list().items()).extracting(Run::id)
          .containsExactly(third.id(), first.id());
    }
  }

  @Test
  void runsAreFilteredByTimeAndStatusAndPaged() {
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory()) {
      Run early = ws.runner().run(a);
      clock.advance(Duration.ofHours(1));
      Instant midway = clock.instant();
      Run late = ws.runner().run(b);
      clock.advance(Duration.ofHours(1));
      Run latest = ws.runner().run(a);

      assertThat(ws.runs().startedAfter(midway).list().items()).extracting(Run::id)
          .containsExactly(latest.id(), late.id());
      assertThat(ws.runs().startedBefore(midway).list().items()).extracting(Run::id).containsExactly(early.id());
      assertThat(ws.runs().status(RunStatus.SUCCEEDED).count()).isEqualTo(3);
      List<Run> secondPage = ws.runs().limit(2).offset(2).list().items();
      assertThat(secondPage).extracting(Run::id).containsExactly(early.id());
    }
  }

  @TempDir Path dir;

  private final Pipeline failing = Pipeline.builder("a").step("s", s -> s.writes(out).apply(() -> {
    throw new IllegalStateException("no");
  })).build();

  @ParameterizedTest(name = "on H2: {0}")
  @ValueSource(booleans = {false, true})
  void pipelineStatusAndTimeFiltersCombineNewestFirst(boolean local) {
    try (Workspace ws = local ? Workspace.builder().clock(clock).openLocal(dir)
        : Workspace.builder().clock(clock).openInMemory()) {
      Run a1 = ws.runner().run(a);
      Run failed1 = failed(ws, failing);
      clock.advance(Duration.ofMinutes(1));
      Instant midway = clock.instant();
      Run b1 = ws.runner().run(b);
      Run failed2 = failed(ws, failing);
      Run a2 = ws.runner().run(a);
      clock.advance(Duration.ofMinutes(1));
      Run a3 = ws.runner().run(a);

      assertThat(ws.runs().pipeline("a").status(RunStatus.FAILED).list().items()).extracting(Run::id)
          .containsExactly(failed2.id(), failed1.id());
      assertThat(ws.runs().pipeline("a").status(RunStatus.SUCCEEDED).startedAfter(midway).list().items())
          .extracting(Run::id).containsExactly(a3.id(), a2.id());
      assertThat(ws.runs().pipeline("a").startedBefore(midway).list().items()).extracting(Run::id)
          .containsExactly(failed1.id(), a1.id());
      assertThat(ws.runs().status(RunStatus.FAILED).startedAfter(midway).startedBefore(clock.instant()).list().items())
          .extracting(Run::id).containsExactly(failed2.id());
      assertThat(ws.runs().status(RunStatus.SUCCEEDED).limit(2).offset(1).list().items()).extracting(Run::id)
          .containsExactly(a2.id(), b1.id());
      assertThat(ws.runs().pipeline("b").status(RunStatus.SUCCEEDED).count()).isEqualTo(1);
      assertThat(ws.runs().pipeline("c").list().items()).isEmpty();
      assertThat(ws.runs().pipeline("not a name").list().items()).isEmpty();
      assertThat(ws.runs().status(RunStatus.RUNNING).list().items()).isEmpty();
    }
  }

  /** Runs a pipeline that fails; returns its run. */
  private static Run failed(Workspace ws, Pipeline pipeline) {
    try {
      ws.runner().run(pipeline);
    } catch (dev.opskit.run.RunFailedException e) {
      return e.run();
    }
    throw new AssertionError(pipeline + " did not fail");
  }
}
