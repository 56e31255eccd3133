package dev.opskit.benchmarks.data;

import static dev.opskit.benchmarks.Jmh.params;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.HashAndCopy;
import dev.opskit.benchmarks.HeapWatch;
import dev.opskit.benchmarks.Jmh;
import dev.opskit.benchmarks.Measurement;
import dev.opskit.benchmarks.Scores;
import dev.opskit.benchmarks.Stats;
import dev.opskit.benchmarks.Suite;
import dev.opskit.benchmarks.SuiteContext;
import dev.opskit.benchmarks.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code data} suite. Every figure and its baseline are measured in the same run:
 *
 * <ul>
 *   <li>{@code data.profile.1m}: ms to profile a million rows of ten columns, against visiting the same rows' values.
 *   <li>{@code data.rerun.1k} (quick: {@code .250}): ms of the second run of an unchanged 1,000-step pipeline of
 *       versioned datasets on a local workspace, against the first run; target: ratio below 0.05.
 *   <li>{@code data.gc.<n>.run} and {@code .dry-run}: seconds of {@code gc(keepLast(1))} over n small versions of an
 *       in-memory workspace (10k and, in full runs, 100k), against ten times the same on n/10 versions.
 *   <li>{@code data.commit.1g.file} (quick: {@code .256m.file}): MB/s of committing the same file itself with
 *       {@code Catalog.commitFile}, against the same baseline, and its peak heap; with {@code .profile-after}, the
 *       same with {@code ProfileTiming.AFTER_COMMIT}, timed until the commit returns, the profile's wait in details;
 *   <li>{@code data.commit.1g} (quick: {@code .256m}): MB/s of committing a JSON Lines file as {@code Rows<Event>},
 *       against {@code openssl dgst -sha256} then {@code cp}; target: ratio at least 0.8. With {@code .peak-heap}: its
 *       heap in a JVM capped at 128 MB; target: under 128 MB.
 *   <li>{@code data.streaming.5g.*} (full runs only): committing and iterating 5 GB under a 128 MB cap; with
 *       {@code .iterate.chunk-checked}, the iteration (checked chunk by chunk) against the same read checked at the
 *       end only, in the same JVM, by the wall clock and ({@code .cpu}) by the reading thread's CPU time; target: ratio
 *       at least 0.9.
 * </ul>
 */
public final class DataSuite implements Suite {
  static final long HEAP_BUDGET_MB = 128;
  static final int RERUN_STEPS = 1_000;
  static final int RERUN_STEPS_QUICK = 250;
  /** The chain run twice first, so that the JIT has compiled the runner's and the catalog's paths. */
  static final int RERUN_WARMUP_STEPS = 300;
  static final long STREAMING_BYTES = 5_000_000_000L;
  private static final long MIB = 1L << 20;

  @Override
  public String name() {
    return "data";
  }

  @Override
  public String description() {
    return "JSON Lines commits against openssl + cp, the 5 GB streaming proof, cached re-runs, garbage collection and "
        + "profiles";
  }

  @Override
  public List<Figure> run(SuiteContext context) throws Exception {
    Jmh jmh = new Jmh(context, name());
    context.log("  JMH report: " + jmh.logFile());
    Path work = BenchFiles.workDirectory(context, name());
    List<Figure> figures = new ArrayList<>();

    List<Measurement> profile = jmh.run(ProfileBenchmark.class, params("rows", List.of(1_000_000)),
        context.jmh().slow());
    figures.add(profileFigure(profile));
    figures.add(rerunFigure(context, work));
    figures.addAll(gcFigures(context));
    CommitOutcome commit = commitFigures(context, work, figures);
    if (context.quick()) {
      context.note("the 5 GB streaming proof runs in full runs only");
    } else {
      figures.addAll(streamingFigures(context, work, commit));
    }
    BenchFiles.deleteTree(work);
    return figures;
  }

  private static Figure profileFigure(List<Measurement> profile) {
    Measurement p = pick(profile, "profile");
    Measurement it = pick(profile, "iterate");
    Map<String, Object> details = new LinkedHashMap<>(Scores.describe("", p));
    details.putAll(Scores.describe("baseline", it));
    details.put("rows", 1_000_000);
    details.put("columns", Event.COLUMNS.length);
    return new Figure("data.profile.1m", Scores.medianMicros(p) / 1_000, "ms", Scores.medianMicros(it) / 1_000,
        "visiting every value of the same rows (a Blackhole consumes each name and value)", null, details);
  }

  private static Measurement pick(List<Measurement> all, String method) {
    return all.stream().filter(m -> m.benchmark().endsWith("." + method)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no measurement of " + method));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static Figure rerunFigure(SuiteContext context, Path work) throws IOException, InterruptedException {
    int reps = context.quick() ? 1 : 3;
    int steps = context.quick() ? RERUN_STEPS_QUICK : RERUN_STEPS;
    context.log("  re-run: " + steps + "-step chain on a local workspace, " + reps
        + " repetition(s) after a " + RERUN_WARMUP_STEPS + "-step warm-up, in a forked JVM");
    context.sampleLoad("before the re-run probe");
    Forked.Result probe = Forked.run(List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC"), RerunProbe.class,
        List.of(work.resolve("rerun").toString(), Integer.toString(steps), Integer.toString(reps),
            Integer.toString(RERUN_WARMUP_STEPS)),
        context.outputDirectory().resolve("bench-data-rerun.log"), Duration.ofMinutes(10));
    List<Double> first = new ArrayList<>();
    List<Double> second = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    for (Map<String, String> rep : probe.lines("REP")) {
      first.add(Double.parseDouble(rep.get("firstMillis")));
      second.add(Double.parseDouble(rep.get("secondMillis")));
      counts.add(rep.get("firstSucceeded") + " succeeded, then " + rep.get("secondCached") + " cached of "
          + rep.get("steps"));
    }
    if (!probe.succeeded()) {
      context.note("the re-run probe failed: " + probe.problem());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("steps", steps);
    details.put("workspace", "Workspace.local(dir): H2 metadata and local blobs; a fresh one per repetition");
    details.put("firstRunMillis", first);
    details.put("secondRunMillis", second);
    details.put("stepOutcomes", counts);
    details.put("probeLog", "bench-data-rerun.log");
    boolean ok = probe.succeeded() && !first.isEmpty();
    String label = steps == RERUN_STEPS ? "1k" : Integer.toString(steps);
    return new Figure("data.rerun." + label, ok ? Stats.median(second) : Double.NaN, "ms",
        ok ? Stats.median(first) : Double.NaN, "first run of the same pipeline in the same workspace",
        Target.ratioBelow(0.05), details);
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** The GC probe's outcome at one size. */
  private record Gc(int versions, List<Double> drySeconds, double runSeconds, boolean finished, double populateSeconds,
      Map<String, String> run, String problem) {}

  private static List<Figure> gcFigures(SuiteContext context) throws IOException, InterruptedException {
    List<Integer> sizes = context.quick() ? List.of(1_000, 10_000) : List.of(10_000, 100_000);
    List<Gc> results = new ArrayList<>();
    for (int versions : sizes) {
      int dryRuns = versions >= 100_000 ? 1 : 3;
      long limit = versions >= 100_000 ? 45 : 120;
      context.log("  gc: " + versions + " versions in an in-memory workspace over 10 datasets; " + dryRuns
          + " dry run(s), then one run stopped after " + limit + " s");
      context.sampleLoad("before the gc probe at " + versions);
      Forked.Result probe = Forked.run(List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC"), GcProbe.class,
          List.of(Integer.toString(versions), "10", Integer.toString(dryRuns), Long.toString(limit)),
          context.outputDirectory().resolve("bench-data-gc-" + versions + ".log"), Duration.ofSeconds(limit + 300));
      List<Double> dry = new ArrayList<>();
      for (Map<String, String> d : probe.lines("DRY")) {
        dry.add(Double.parseDouble(d.get("seconds")));
      }
      Map<String, String> run = probe.last("RUN").orElse(Map.of());
      boolean finished = "true".equals(run.get("finished"));
      double populate = probe.last("POPULATE").map(p -> Double.parseDouble(p.get("seconds"))).orElse(Double.NaN);
      String problem = probe.succeeded() ? "" : probe.problem();
      if (!problem.isEmpty()) {
        context.note("the gc probe at " + versions + " versions failed: " + problem);
      } else if (!finished) {
        context.note("gc(keepLast(1)).run() over " + versions + " versions did not finish within " + limit
            + " s; its figure is NaN");
      }
      results.add(new Gc(versions, dry, finished ? Double.parseDouble(run.get("seconds")) : Double.NaN, finished,
          populate, run, problem.isEmpty() && !finished ? "did not finish within " + limit + " s" : problem));
    }
    Gc small = results.get(0);
    Gc large = results.get(1);
    String size = large.versions() >= 100_000 ? "100k" : "10k";
    String baselineOf = "10 x the same on " + String.format("%,d", small.versions())
        + " versions (linear scaling; a ratio above 1 grows faster than linearly)";
    List<Figure> figures = new ArrayList<>();
    figures.add(new Figure("data.gc." + size + ".dry-run", Stats.median(large.drySeconds()), "s",
        10 * Stats.median(small.drySeconds()), baselineOf, null, gcDetails(large, small)));
    figures.add(new Figure("data.gc." + size + ".run", large.runSeconds(), "s", 10 * small.runSeconds(), baselineOf,
        null, gcDetails(large, small)));
    return figures;
  }

  private static Map<String, Object> gcDetails(Gc large, Gc small) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("workspace", "Workspace.builder().clock(manualClock).openInMemory(); versions committed through "
        + "Catalog.commit in a loop over 10 datasets, the clock moved 1 ms per commit and then 2 h, past the "
        + "default 1 h grace period");
    d.put("policy", "RetentionPolicy.keepLast(1)");
    d.put("versions", large.versions());
    d.put("populateSeconds", large.populateSeconds());
    d.put("drySeconds", large.drySeconds());
    d.put("runFinished", large.finished());
    d.put("run", large.run());
    if (!large.problem().isEmpty()) {
      d.put("problem", large.problem());
    }
    d.put("baselineVersions", small.versions());
    d.put("baselineDrySeconds", small.drySeconds());
    d.put("baselineRunSeconds", small.runSeconds());
    d.put("probeLogs", List.of("bench-data-gc-" + small.versions() + ".log", "bench-data-gc-" + large.versions()
        + ".log"));
    return d;
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** What the streaming figures reuse from the commit figures: the baseline's throughputs. */
  private record CommitOutcome(double baselineMbPerSecond, double opensslMbPerSecond) {}

  private static CommitOutcome commitFigures(SuiteContext context, Path work, List<Figure> figures)
      throws IOException, InterruptedException {
    boolean quick = context.quick();
    long size = quick ? 256 * MIB : 1024 * MIB;
    String label = quick ? "256m" : "1g";
    int rounds = quick ? 1 : 3;
    context.log("  commit: " + label + " JSON Lines file; baseline openssl dgst -sha256 + cp, 1 + " + (quick ? 3 : 5)
        + " runs; opskit in a JVM with -Xmx" + HEAP_BUDGET_MB + "m, a 300,000-row warm-up commit, then " + rounds
        + " commit(s)");
    context.sampleLoad("before the commit");
    Path input = work.resolve("events.jsonl");
    long rows = JsonlFile.write(input, size);
    long bytes = Files.size(input);
    HashAndCopy.Result base = HashAndCopy.measure(input, work.resolve("copies"), 1, quick ? 3 : 5);
    Forked.Result probe = Forked.run(List.of("-Xmx" + HEAP_BUDGET_MB + "m", "-XX:+UseG1GC"), CommitProbe.class,
        List.of(input.toString(), work.resolve("commit").toString(), "1", "300000", Integer.toString(rounds)),
        context.outputDirectory().resolve("bench-data-commit.log"), Duration.ofMinutes(15));
    Forked.Result fileProbe = Forked.run(List.of("-Xmx" + HEAP_BUDGET_MB + "m", "-XX:+UseG1GC"), CommitProbe.class,
        List.of(input.toString(), work.resolve("commit-file").toString(), "1", "300000", Integer.toString(rounds),
            "file"), context.outputDirectory().resolve("bench-data-commit-file.log"), Duration.ofMinutes(15));
    Forked.Result afterProbe = Forked.run(List.of("-Xmx" + HEAP_BUDGET_MB + "m", "-XX:+UseG1GC"), CommitProbe.class,
        List.of(input.toString(), work.resolve("commit-file-after").toString(), "1", "300000",
            Integer.toString(quick ? 1 : 5), "file-after"), context.outputDirectory().resolve(
            "bench-data-commit-file-after.log"), Duration.ofMinutes(15));
    Files.delete(input);
    figures.addAll(commitFileFigures(context, label, bytes, rows, fileProbe, base, false));
    figures.addAll(commitFileFigures(context, label, bytes, rows, afterProbe, base, true));
    Rounds measured = Rounds.of(context, "commit", probe);
    List<Double> seconds = measured.seconds();
    Map<String, String> last = measured.last();
    double mbs = bytes / (double) MIB;
    double baselineRate = mbs / base.medianSeconds();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("bytes", bytes);
    details.put("rows", rows);
    details.put("method", "Catalog.in(Workspace.local(dir)).commit(Datasets.jsonLines(name, Event.class), "
        + "Rows.from(() -> BufferedReader.lines() parsed by Jackson into Event records)) in a JVM with -Xmx128m "
        + "-XX:+UseG1GC; a fresh workspace per commit; the file in the page cache");
    details.put("commitSeconds", seconds);
    details.put("committedRows", last.getOrDefault("rows", ""));
    details.put("versionBytes", last.getOrDefault("versionBytes", ""));
    details.put("baselineSeconds", base.seconds());
    details.put("baselineOpensslMedianSeconds", Stats.median(base.hashSeconds()));
    details.put("baselineCpMedianSeconds", Stats.median(base.copySeconds()));
    details.put("untimedSyncOfCopyMedianSeconds", Stats.median(base.syncSeconds()));
    details.put("probeLog", "bench-data-commit.log");
    boolean ok = probe.succeeded() && !seconds.isEmpty();
    figures.add(new Figure("data.commit." + label, ok ? mbs / Stats.median(seconds) : Double.NaN, "MB/s",
        baselineRate, "openssl dgst -sha256 FILE then cp FILE DEST (no fsync), same file, same run",
        Target.ratioAtLeast(0.8), details));
    figures.add(heapFigure("data.commit." + label + ".peak-heap", probe, ok));
    return new CommitOutcome(baselineRate, mbs / Stats.median(base.hashSeconds()));
  }

  /** A commit probe's measured rounds: their seconds, and its last round's line. */
  private record Rounds(List<Double> seconds, Map<String, String> last) {
    static Rounds of(SuiteContext context, String what, Forked.Result probe) {
      List<Double> seconds = new ArrayList<>();
      Map<String, String> last = Map.of();
      for (Map<String, String> round : probe.lines("ROUND")) {
        if (round.get("warmup").equals("false")) {
          seconds.add(Double.parseDouble(round.get("seconds")));
        }
        last = round;
      }
      if (!probe.succeeded()) {
        context.note("the " + what + " probe failed: " + probe.problem());
      }
      return new Rounds(seconds, last);
    }
  }

  /**
   * The figures of committing the file itself, with {@code Catalog.commitFile}, against the same baseline: with its
   * profile in the commit, or after it.
   */
  private static List<Figure> commitFileFigures(SuiteContext context, String label, long bytes, long rows,
      Forked.Result probe, HashAndCopy.Result base, boolean profileAfter) {
    String name = "data.commit." + label + ".file" + (profileAfter ? ".profile-after" : "");
    Rounds measured = Rounds.of(context, profileAfter ? "commitFile (profile after)" : "commitFile", probe);
    List<Double> seconds = measured.seconds();
    Map<String, String> last = measured.last();
    double mbs = bytes / (double) MIB;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("bytes", bytes);
    details.put("rows", rows);
    details.put("method", profileAfter
        ? "Catalog.in(Workspace.local(dir)).commitFile(Datasets.jsonLines(name, Event.class), file, Map.of(), "
            + "ProfileTiming.AFTER_COMMIT) in a JVM with -Xmx128m -XX:+UseG1GC, timed until it returns: the file's "
            + "bytes stored as they are, its lines counted and framed, the first 1,000 bound to Event; the profile, "
            + "computed in the background from the stored version, is then waited for outside the timing "
            + "(profileSeconds); a fresh workspace per commit; the file in the page cache"
        : "Catalog.in(Workspace.local(dir)).commitFile(Datasets.jsonLines(name, Event.class), file) "
            + "in a JVM with -Xmx128m -XX:+UseG1GC: the file's bytes stored as they are, every row read for the "
            + "profile, the first 1,000 bound to Event; a fresh workspace per commit; the file in the page cache");
    details.put("commitSeconds", seconds);
    if (profileAfter) {
      details.put("profileSecondsAfterReturn", probe.lines("ROUND").stream()
          .filter(r -> r.get("warmup").equals("false")).map(r -> Double.parseDouble(r.get("profileSeconds")))
          .toList());
    }
    details.put("committedRows", last.getOrDefault("rows", ""));
    details.put("versionBytes", last.getOrDefault("versionBytes", ""));
    details.put("baselineSeconds", base.seconds());
    details.put("probeLog", profileAfter ? "bench-data-commit-file-after.log" : "bench-data-commit-file.log");
    boolean ok = probe.succeeded() && !seconds.isEmpty();
    return List.of(
        new Figure(name, ok ? mbs / Stats.median(seconds) : Double.NaN, "MB/s",
            mbs / base.medianSeconds(), "openssl dgst -sha256 FILE then cp FILE DEST (no fsync), same file, same run",
            Target.ratioAtLeast(0.8), details),
        heapFigure(name + ".peak-heap", probe, ok));
  }

  private static Figure heapFigure(String name, Forked.Result probe, boolean ok) {
    Optional<Map<String, String>> heap = probe.last("HEAP");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("method", "forked JVM capped at -Xmx128m: completing proves the work fits; value = largest heap "
        + "occupancy seen just before any collection or at the end, garbage included");
    details.put("completedUnderCap", ok);
    heap.ifPresent(h -> details.putAll(HeapWatch.describe(h)));
    double peak = ok && heap.isPresent() ? Stats.mb(Long.parseLong(heap.get().get("peak"))) : Double.NaN;
    return new Figure(name, peak, "MB", HEAP_BUDGET_MB, "budget: 128 MB", Target.valueBelow(HEAP_BUDGET_MB),
        details);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static List<Double> cpuSeconds(Forked.Result probe, String check) {
    return probe.lines("READ").stream().filter(r -> check.equals(r.get("check")))
        .map(r -> Double.parseDouble(r.get("cpuSeconds"))).toList();
  }

  private static List<Figure> streamingFigures(SuiteContext context, Path work, CommitOutcome commit)
      throws IOException, InterruptedException {
    long free = BenchFiles.usableSpace(work);
    long needed = STREAMING_BYTES * 2 + (2L << 30);
    if (free < needed) {
      context.note(String.format("the 5 GB streaming proof is skipped: %,d MB free under %s, %,d MB needed",
          free >> 20, work, needed >> 20));
      return List.of();
    }
    context.log("  streaming proof: commit and iterate 5 GB of JSON Lines in a JVM with -Xmx" + HEAP_BUDGET_MB + "m");
    context.sampleLoad("before the streaming proof");
    Forked.Result probe = Forked.run(List.of("-Xmx" + HEAP_BUDGET_MB + "m", "-XX:+UseG1GC"), StreamingProbe.class,
        List.of(work.resolve("streaming").toString(), Long.toString(STREAMING_BYTES)),
        context.outputDirectory().resolve("bench-data-streaming.log"), Duration.ofMinutes(30));
    BenchFiles.deleteTree(work.resolve("streaming"));
    if (!probe.succeeded()) {
      context.note("the streaming proof failed: " + probe.problem());
    }
    Map<String, String> c = probe.last("COMMIT").orElse(Map.of());
    Map<String, String> it = probe.last("ITERATE").orElse(Map.of());
    boolean ok = probe.succeeded() && !c.isEmpty() && !it.isEmpty();
    double bytes = ok ? Long.parseLong(c.get("bytes")) / (double) MIB : Double.NaN;
    double commitSeconds = ok ? Double.parseDouble(c.get("seconds")) : Double.NaN;
    double iterateSeconds = ok ? Double.parseDouble(it.get("seconds")) : Double.NaN;
    double endCheckedSeconds = ok ? Double.parseDouble(it.get("endCheckedSeconds")) : Double.NaN;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("method", "generated LogLine rows (about 480 bytes each) committed with Catalog.commit to "
        + "Datasets.jsonLines on Workspace.local(dir), then read back with Catalog.read (checked chunk by chunk against "
        + "the manifest recorded at the commit) and iterated, counting rows and summing ids; each of 3 rounds also "
        + "iterates the version through the codec over BlobStore.open(id) (checked at the end only, as before chunks "
        + "were checked), alternating which goes first; medians; one JVM with -Xmx128m -XX:+UseG1GC");
    details.put("versionBytes", c.getOrDefault("bytes", ""));
    details.put("rows", c.getOrDefault("rows", ""));
    details.put("commitSeconds", commitSeconds);
    details.put("iterateSeconds", iterateSeconds);
    details.put("endCheckedIterateSeconds", endCheckedSeconds);
    details.put("chunkCheckedRounds", probe.lines("READ").stream().filter(r -> "chunks".equals(r.get("check")))
        .map(r -> Double.parseDouble(r.get("seconds"))).toList());
    details.put("endCheckedRounds", probe.lines("READ").stream().filter(r -> "end".equals(r.get("check")))
        .map(r -> Double.parseDouble(r.get("seconds"))).toList());
    // The reading thread's CPU time: steadier than the wall clock when other work shares the cores.
    List<Double> chunkCpu = cpuSeconds(probe, "chunks");
    List<Double> endCpu = cpuSeconds(probe, "end");
    details.put("chunkCheckedCpuSeconds", chunkCpu);
    details.put("endCheckedCpuSeconds", endCpu);
    details.put("verified", it.getOrDefault("verified", "false"));
    details.put("probeLog", "bench-data-streaming.log");
    List<Figure> figures = new ArrayList<>();
    figures.add(new Figure("data.streaming.5g.commit", bytes / commitSeconds, "MB/s",
        commit.baselineMbPerSecond(), "openssl dgst -sha256 + cp throughput on the commit figure's file, same run",
        null, details));
    figures.add(new Figure("data.streaming.5g.iterate", bytes / iterateSeconds, "MB/s", commit.opensslMbPerSecond(),
        "openssl dgst -sha256 alone (reading and hashing, the least a verified read does), same run", null,
        details));
    figures.add(new Figure("data.streaming.5g.iterate.chunk-checked", bytes / iterateSeconds, "MB/s",
        bytes / endCheckedSeconds, "the same read checked at the end only (BlobStore.open(id) under the codec), same "
        + "JVM, rounds alternating", Target.ratioAtLeast(0.9), details));
    figures.add(new Figure("data.streaming.5g.iterate.chunk-checked.cpu",
        ok ? bytes / Stats.median(chunkCpu) : Double.NaN, "MB/cpu-s", ok ? bytes / Stats.median(endCpu) : Double.NaN,
        "the same read checked at the end only, per second of the reading thread's CPU time, same JVM",
        Target.ratioAtLeast(0.9), details));
    Figure heap = heapFigure("data.streaming.5g.peak-heap", probe, ok && "true".equals(it.get("verified")));
    Map<String, Object> heapDetails = new LinkedHashMap<>(heap.details());
    heapDetails.put("totalSeconds", commitSeconds + iterateSeconds);
    figures.add(new Figure(heap.name(), heap.value(), heap.unit(), heap.baseline(), heap.baselineOf(), heap.target(),
        heapDetails));
    return figures;
  }
}
