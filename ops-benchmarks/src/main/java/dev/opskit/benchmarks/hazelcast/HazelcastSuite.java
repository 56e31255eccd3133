package dev.opskit.benchmarks.hazelcast;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.Stats;
import dev.opskit.benchmarks.Suite;
import dev.opskit.benchmarks.SuiteContext;
import dev.opskit.benchmarks.Target;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code hazelcast} suite: the scale-out executor on a cluster of the coordinator (a member without a worker, in a
 * JVM of its own) and two worker JVMs on the loopback address, started by {@link ClusterProbe}:
 *
 * <ul>
 *   <li>{@code hazelcast.overhead.fanout.1k.no-outputs}: ms per run of 1,000 independent steps with no inputs and no
 *       outputs, the workers recording each step on a shared PostgreSQL workspace; against the same number of no-op
 *       tasks sent with raw {@code IExecutorService.submitToMember} to the same members, all at once; target: ratio at
 *       most 1.5 (issue 19's per-step overhead: a no-op step against a no-op task). Needs {@code OPSKIT_TEST_PG_URL}.
 *   <li>{@code .same-concurrency}: the same steps against raw tasks sent at most as many at once as the workers have
 *       slots, as opskit sends steps; reported without a target.
 *   <li>{@code hazelcast.overhead.fanout.1k}: a source and 1,000 steps that each read its JSON output and write a JSON
 *       dataset of their own on the PostgreSQL workspace (what real steps add: a commit each); {@code .in-memory}: the
 *       empty steps with every JVM on an in-memory workspace of its own (nothing stored: the executor, runner and
 *       worker alone). Same baseline as the first; reported without a target.
 *   <li>{@code hazelcast.scaling.cpu.16x200ms}: ms per run of 16 steps of about 200 ms of SHA-256 each on two worker
 *       JVMs of one slot each, against the same steps placed on one of them.
 * </ul>
 */
public final class HazelcastSuite implements Suite {
  static final int WIDTH = 1000;
  static final int HASH_STEPS = 16;
  static final int HASH_MILLIS = 200;
  static final int SLOTS = 2;

  @Override
  public String name() {
    return "hazelcast";
  }

  @Override
  public String description() {
    return "Hazelcast executor: 1,000-step fan-out over 2 worker JVMs against raw IExecutorService no-op tasks, "
        + "and CPU-bound steps on 1 worker JVM against 2";
  }

  @Override
  public List<Figure> run(SuiteContext context) throws Exception {
    Path work = BenchFiles.workDirectory(context, name());
    int warmups = context.quick() ? 1 : 2;
    int rounds = context.quick() ? 3 : 7;
    context.log("  coordinator JVM and 2 worker JVMs on 127.0.0.1; fan-out of " + WIDTH + ", " + SLOTS
        + " slots per worker; " + HASH_STEPS + " steps of ~" + HASH_MILLIS + " ms on 1 slot per worker; " + warmups
        + " + " + rounds + " rounds");
    context.sampleLoad("before the hazelcast probe");
    List<String> jvm = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"));
    jvm.addAll(ClusterProbe.HAZELCAST_FLAGS);
    Forked.Result probe;
    try {
      probe = Forked.run(jvm, ClusterProbe.class, List.of(work.toString(), Integer.toString(WIDTH),
          Integer.toString(warmups), Integer.toString(rounds), Integer.toString(SLOTS), Integer.toString(HASH_STEPS),
          Integer.toString(HASH_MILLIS)), context.outputDirectory().resolve("bench-hazelcast.log"),
          Duration.ofMinutes(30));
    } finally {
      context.sampleLoad("after the hazelcast probe");
    }
    for (String line : probe.output().split("\n")) {
      if (line.startsWith("NOTE ")) {
        context.note(line.substring(5).strip());
      }
    }
    if (!probe.succeeded()) {
      context.note("the hazelcast probe failed: " + probe.problem());
    }
    keepWorkerLogs(work, context.outputDirectory());
    BenchFiles.deleteQuietly(work);
    return figures(probe, context);
  }

  /** Copies the worker JVMs' logs next to the report, as {@code bench-hazelcast-worker-<phase>-<n>.log}. */
  private static void keepWorkerLogs(Path work, Path out) throws IOException {
    if (!Files.isDirectory(work)) {
      return;
    }
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(work, "worker-*.log")) {
      for (Path log : logs) {
        Files.copy(log, out.resolve("bench-hazelcast-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Builds the figures from the probe's output; a figure whose rounds are missing is NaN, and PostgreSQL's left out. */
  static List<Figure> figures(Forked.Result probe, SuiteContext context) {
    List<Map<String, String>> overhead = measured(probe, "overhead");
    List<Map<String, String>> scaling = measured(probe, "scaling");
    List<Double> raw = column(overhead, "raw");
    String rawOf = "raw IExecutorService.submitToMember of " + WIDTH + " no-op tasks from the coordinator, all at "
        + "once, alternating between the same 2 worker members (their pool: " + SLOTS + " threads each, the service "
        + "opskit's steps use), until the last answer; same cluster, same rounds";
    List<Figure> figures = new ArrayList<>();
    boolean postgres = overhead.stream().anyMatch(r -> r.containsKey(ClusterPipelines.FANOUT));
    if (postgres) {
      String empty = "1,000 independent steps with no inputs and no outputs; HazelcastExecutor, " + SLOTS + " slots per "
          + "worker; the workers share a PostgreSQL workspace (a schema of its own, HikariCP), and each still records "
          + "in one transaction that the run's step committed its (no) outputs; ms from the runner's call to its "
          + "return, forceAll()";
      List<Double> emptyPg = column(overhead, ClusterPipelines.EMPTY_PG);
      figures.add(overhead("hazelcast.overhead.fanout.1k.no-outputs", emptyPg, raw, rawOf, Target.ratioAtMost(1.5),
          probe, ClusterPipelines.EMPTY_PG, empty));
      figures.add(overhead("hazelcast.overhead.fanout.1k.no-outputs.same-concurrency", emptyPg,
          column(overhead, ClusterProbe.RAW_SLOTS), "the same raw no-op tasks, at most " + 2 * SLOTS + " in flight "
              + "(the workers' slots), each sent when an answer frees one", null, probe, ClusterPipelines.EMPTY_PG,
          empty));
      figures.add(overhead("hazelcast.overhead.fanout.1k", column(overhead, ClusterPipelines.FANOUT), raw, rawOf,
          null, probe, ClusterPipelines.FANOUT,
          "a source writes a JSON dataset and 1,000 steps each read it and write a JSON dataset of their own; "
              + "HazelcastExecutor, " + SLOTS + " slots per worker; the workers commit on a PostgreSQL workspace "
              + "(a schema of its own, HikariCP) with blobs in a local directory both share; ms from the runner's "
              + "call to its return, forceAll()"));
    } else {
      context.note("the PostgreSQL figures hazelcast.overhead.fanout.1k and .no-outputs are left out: no measured "
          + "round has them (see the notes above). A step in a worker JVM commits its outputs to a workspace the "
          + "coordinator shares, and two JVMs cannot share an H2 file; they need OPSKIT_TEST_PG_URL");
    }
    figures.add(overhead("hazelcast.overhead.fanout.1k.in-memory", column(overhead, ClusterPipelines.EMPTY_MEM), raw,
        rawOf, null, probe, ClusterPipelines.EMPTY_MEM,
        "1,000 independent steps with no inputs and no outputs, every JVM on an in-memory workspace of its own: the "
            + "runner, the executor, what travels and the worker, with nothing stored"));

    List<Double> one = column(scaling, ClusterPipelines.HASH_SOLO);
    List<Double> two = column(scaling, ClusterPipelines.HASH_ALL);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("method", HASH_STEPS + " independent steps, each hashing 64 KiB blocks with SHA-256 for about "
        + HASH_MILLIS + " ms (calibrated in the coordinator's JVM), no inputs or outputs; each worker JVM with 1 "
        + "slot; baseline: the same steps tagged member.solo, which only the first worker carries; the machine has "
        + Runtime.getRuntime().availableProcessors() + " cores, shared with the coordinator");
    details.put("speedup", Stats.median(one) / Stats.median(two));
    details.put("ms", two);
    details.put("baselineMs", one);
    probe.last("CALIBRATE").ifPresent(c -> details.put("calibration", c));
    details.put("split", splits(probe, "scaling"));
    figures.add(new Figure("hazelcast.scaling.cpu.16x200ms", Stats.median(two), "ms", Stats.median(one),
        "the same steps on 1 worker JVM (1 slot), the other idle", null, details));
    context.log(String.format(Locale.ROOT, "  scaling: %s ms on 2 workers, %s ms on 1: speedup %sx",
        Figure.format(Stats.median(two)), Figure.format(Stats.median(one)),
        Figure.format(Stats.median(one) / Stats.median(two))));
    return figures;
  }

  private static Figure overhead(String name, List<Double> values, List<Double> raw, String rawOf,
      @Nullable Target target, Forked.Result probe, String pipeline, String method) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("method", method);
    details.put("ms", values);
    details.put("baselineMs", raw);
    details.put("msPerStep", Stats.median(values) / WIDTH);
    details.put("baselineMsPerStep", Stats.median(raw) / WIDTH);
    details.put("minMax", Stats.minMax(values));
    Map<String, String> split = splits(probe, "overhead").get(pipeline);
    if (split != null) {
      details.put("split", split);
    }
    details.put("log", "bench-hazelcast.log");
    return new Figure(name, Stats.median(values), "ms", Stats.median(raw), rawOf, target, details);
  }

  private static List<Map<String, String>> measured(Forked.Result probe, String phase) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, String> r : probe.lines("ROUND")) {
      if (phase.equals(r.get("phase")) && "false".equals(r.get("warmup"))) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<Double> column(List<Map<String, String>> rounds, String key) {
    List<Double> out = new ArrayList<>();
    for (Map<String, String> r : rounds) {
      String v = r.get(key);
      if (v != null) {
        out.add(Double.parseDouble(v));
      }
    }
    return out;
  }

  private static Map<String, Map<String, String>> splits(Forked.Result probe, String phase) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Map<String, String> s : probe.lines("SPLIT")) {
      if (phase.equals(s.get("phase"))) {
        Map<String, String> counts = new LinkedHashMap<>(s);
        counts.remove("phase");
        out.put(counts.remove("pipeline"), counts);
      }
    }
    return out;
  }
}
