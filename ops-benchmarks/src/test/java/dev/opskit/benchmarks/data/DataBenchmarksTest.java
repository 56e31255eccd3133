package dev.opskit.benchmarks.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.benchmarks.Forked;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.GcReport;
import dev.opskit.data.RetentionPolicy;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Runs every benchmark body and probe of the data suite once, at a tiny size, and checks what it computed. No timing.
 */
class DataBenchmarksTest {
  private final Blackhole blackhole = new Blackhole(
      "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

  @Test
  void jsonLinesFileReadsBackTheRowsItWasWrittenFrom(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    long rows = JsonlFile.write(file, 10_000);
    assertThat(Files.size(file)).isGreaterThanOrEqualTo(10_000);
    try (Stream<Event> read = JsonlFile.read(file)) {
      List<Event> events = read.toList();
      assertThat(events).hasSize((int) rows);
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i)).isEqualTo(Event.of(i));
      }
    }
  }

  @Test
  void commitStoresEveryRowOfTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    long rows = JsonlFile.write(file, 20_000);
    try (Workspace ws = Workspace.local(dir.resolve("ws"))) {
      DatasetVersion v = CommitProbe.commit(Catalog.in(ws), file, Long.MAX_VALUE);
      assertThat(v.rows()).isEqualTo(rows);
      assertThat(Catalog.in(ws).read(CommitProbe.EVENTS, v.id()).count()).isEqualTo(rows);
    }
  }

  @Test
  void commitProbeReportsEachRoundAndTheHeap(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    long rows = JsonlFile.write(file, 20_000);
    Forked.Result out = captured(() -> CommitProbe.main(new String[] {file.toString(), dir.resolve("work").toString(),
        "1", "10", "1"}));
    List<Map<String, String>> rounds = out.lines("ROUND");
    assertThat(rounds).hasSize(2);
    assertThat(rounds.get(0).get("warmup")).isEqualTo("true");
    assertThat(rounds.get(0).get("rows")).isEqualTo("10");
    assertThat(rounds.get(1).get("rows")).isEqualTo(Long.toString(rows));
    assertThat(out.last("HEAP")).isPresent();
  }

  @Test
  void commitProbeWithTheProfileAfterTheCommitWaitsForItOutsideTheTiming(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    long rows = JsonlFile.write(file, 200_000);
    Forked.Result out = captured(() -> CommitProbe.main(new String[] {file.toString(), dir.resolve("work").toString(),
        "1", "10", "2", "file-after"}));
    List<Map<String, String>> rounds = out.lines("ROUND");
    assertThat(rounds).hasSize(3);
    assertThat(rounds.get(0).get("rows")).isEqualTo("10");
    assertThat(rounds.subList(1, 3)).allSatisfy(r -> {
      assertThat(r.get("rows")).isEqualTo(Long.toString(rows));
      assertThat(Double.parseDouble(r.get("profileSeconds"))).isPositive();
    });
  }

  @Test
  void streamingProofCommitsAndReadsBackEveryRow(@TempDir Path dir) {
    try (Workspace ws = Workspace.local(dir)) {
      StreamingProbe.Result r = StreamingProbe.run(ws, 300_000, 2);
      assertThat(r.verified()).isTrue();
      assertThat(r.chunkCheckedSeconds()).hasSize(2).allSatisfy(t -> assertThat(t).isPositive());
      assertThat(r.endCheckedSeconds()).hasSize(2).allSatisfy(t -> assertThat(t).isPositive());
      assertThat(r.count()).isEqualTo(r.rows()).isPositive();
      assertThat(r.bytes()).isBetween(200_000L, 400_000L);
    }
  }

  @Test
  void rerunFindsEveryStepCachedTheSecondTime(@TempDir Path dir) {
    try (Workspace ws = Workspace.local(dir)) {
      RerunProbe.Result r = RerunProbe.twice(ws, RerunProbe.chain("rerun", 5));
      assertThat(r.firstSucceeded()).isEqualTo(5);
      assertThat(r.secondCached()).isEqualTo(5);
    }
  }

  @Test
  void rerunProbeReportsEachRepetition(@TempDir Path dir) throws Exception {
    Forked.Result out = captured(() -> RerunProbe.main(new String[] {dir.toString(), "4", "2", "3"}));
    assertThat(out.lines("REP")).hasSize(2).allSatisfy(r -> {
      assertThat(r.get("firstSucceeded")).isEqualTo("4");
      assertThat(r.get("secondCached")).isEqualTo("4");
    });
  }

  @Test
  void gcKeepsTheLatestVersionOfEachDatasetOnceTheGracePeriodPassed() {
    ManualClock clock = ManualClock.create();
    try (Workspace ws = Workspace.builder().clock(clock).openInMemory()) {
      Catalog catalog = Catalog.in(ws);
      GcProbe.populate(catalog, clock, 30, 3);
      assertThat(catalog.gc(RetentionPolicy.keepLast(1)).dryRun().versions()).isEmpty();
      clock.advance(Duration.ofHours(2));
      assertThat(catalog.gc(RetentionPolicy.keepLast(1)).dryRun().versions()).hasSize(27);
      GcReport run = catalog.gc(RetentionPolicy.keepLast(1)).run();
      assertThat(run.versions()).hasSize(27);
      assertThat(run.versionsKept()).isEqualTo(3);
    }
  }

  @Test
  void gcProbeReportsPopulationDryRunsAndTheRun() throws Exception {
    Forked.Result out = captured(() -> GcProbe.main(new String[] {"40", "4", "2", "60"}));
    assertThat(out.lines("DRY")).hasSize(2).allSatisfy(d -> assertThat(d.get("versions")).isEqualTo("36"));
    Map<String, String> run = out.last("RUN").orElseThrow();
    assertThat(run.get("finished")).isEqualTo("true");
    assertThat(run.get("versions")).isEqualTo("36");
    assertThat(run.get("kept")).isEqualTo("4");
  }

  @Test
  void profileSeesEveryRowAndIterationEveryValue() {
    ProfileBenchmark b = new ProfileBenchmark();
    b.rows = 100;
    b.build();
    DatasetProfile p = b.profile();
    assertThat(p.rows()).isEqualTo(100);
    assertThat(p.columns()).hasSize(Event.COLUMNS.length);
    assertThat(b.iterate(blackhole)).isEqualTo(100L * Event.COLUMNS.length);
  }

  /** Runs a probe's main in this JVM and parses what it printed. */
  static Forked.Result captured(Body body) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    return new Forked.Result(0, false, bytes.toString(StandardCharsets.UTF_8), 0);
  }

  /** A probe's main. */
  interface Body {
    void run() throws Exception;
  }
}
