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
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
