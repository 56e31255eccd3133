package dev.opskit.benchmarks.soak;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.data.Catalog;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.h2.mvstore.MVStoreTool;
import org.jspecify.annotations.Nullable;

/**
 * The soak's coordinator: prepares one workspace (an H2 file, or a PostgreSQL schema of its own with blobs in a local
 * directory), starts {@code jvms} worker JVMs ({@link SoakWorker}) with this JVM's class path and a bounded heap, lets
 * them run the {@link Workload} for the same time window, stops any that overrun, adds their windows up, and checks the
 * workspace's invariants at the end. The result ({@link SoakResult}) holds the figures and every violated rule.
 *
 * <pre>{@code
 * SoakResult r = Soak.run(new Soak.Plan("pg", 2, 3, Duration.ofSeconds(30), Duration.ofSeconds(5),
 *     Duration.ofSeconds(8), dir), log::println);
 * r.violations();          // empty when every rule held
 * }</pre>
 */
public final class Soak {
  /**
   * The worker JVMs' options: a bounded heap, so that growth shows and cannot take the machine, and a small initial
   * heap, so that the load's own young collections sample the heap in most windows. No collection is forced while
   * operations are timed (no {@code G1PeriodicGCInterval}, no {@code System.gc()} per window): a JFR recording of a paced
   * run found such collections, the harness's own, setting the 99th percentiles. The heap rule reads the live heap from
   * two full collections outside the timed windows instead ({@link Recorder#liveHeap(String)}).
   */
  static final List<String> WORKER_JVM = List.of("-Xms32m", "-Xmx256m", "-XX:+UseG1GC");

  /**
   * A system property: operations per second for each worker JVM, paced evenly over its threads (for example
   * {@code -Dopskit.soak.rate=300}); unset, every thread runs its operations back to back. Passed on to the workers.
   */
  public static final String RATE_PROPERTY = "opskit.soak.rate";

  private Soak() {}

  /**
   * What to run.
   *
   * @param store {@code h2} or {@code pg} (needs {@value PostgresSchema#URL_VARIABLE})
   * @param jvms how many worker JVMs (H2: 1, since one process at a time opens an H2 workspace)
   * @param threads threads per worker JVM
   * @param duration how long the measured part runs
   * @param window the length of a window; the duration should hold at least 3 (6 or more is better)
   * @param warmup how long the workload runs before the first window, unmeasured, so that the first windows do not
   *     measure the JIT compiling the workload's paths (its failures still count)
   * @param directory a scratch directory, replaced: the H2 workspace or the blobs, the workers' logs
   */
  public record Plan(String store, int jvms, int threads, Duration duration, Duration window, Duration warmup,
      Path directory) {
    /** Checks the plan. */
    public Plan {
      if (!store.equals("h2") && !store.equals("pg")) {
        throw new IllegalArgumentException("store '" + store + "' is not h2 or pg");
      }
      if (store.equals("h2") && jvms != 1) {
        throw new IllegalArgumentException("an H2 workspace is opened by one process at a time, so jvms must be 1, "
            + "got " + jvms);
      }
      if (jvms < 1 || threads < 1) {
        throw new IllegalArgumentException("jvms and threads must be at least 1, got " + jvms + " and " + threads);
      }
      if (duration.toMillis() < 3 * window.toMillis()) {
        throw new IllegalArgumentException("duration " + duration + " holds fewer than 3 windows of " + window);
      }
    }

    /**
     * Returns how many whole windows the run measures.
     *
     * @return the number of windows
     */
    public int windows() {
      return (int) (duration.toMillis() / window.toMillis());
    }
  }

  /** Something to measure on the workspace after the soak, before it is dropped (the PostgreSQL end-state figures). */
  @FunctionalInterface
  public interface AtEnd {
    /**
     * Measures.
     *
     * @param workspace the workspace, with every worker gone
     * @param registry a registry on it
     * @param postgres the PostgreSQL schema, or null on H2
     * @return figures for the report
     * @throws Exception if the measurement fails
     */
    Map<String, Object> measure(Workspace workspace, ModelRegistry registry, @Nullable PostgresSchema postgres)
        throws Exception;
  }

  /**
   * Runs a soak.
   *
   * @param plan what to run
   * @param log where progress goes
   * @return the result
   * @throws Exception if the workspace cannot be prepared or a worker cannot be started
   */
  public static SoakResult run(Plan plan, Consumer<String> log) throws Exception {
    return run(plan, log, null);
  }

  /**
   * Runs a soak, then measures its end state.
   *
   * @param plan what to run
   * @param log where progress goes
   * @param atEnd what to measure on the workspace at the end, or null
   * @return the result
   * @throws Exception if the workspace cannot be prepared or a worker cannot be started
   */
  public static SoakResult run(Plan plan, Consumer<String> log, @Nullable AtEnd atEnd) throws Exception {
    Path dir = plan.directory().toAbsolutePath();
    BenchFiles.deleteTree(dir);
    Files.createDirectories(dir.resolve("logs"));
    Path wsDir = dir.resolve("workspace");
    Path blobs = dir.resolve("blobs");
    PostgresSchema schema = plan.store().equals("pg") ? PostgresSchema.create("soak") : null;
    try {
      ByteArrayOutputStream prepared = new ByteArrayOutputStream();
      try (PrintStream acks = new PrintStream(prepared, true, StandardCharsets.UTF_8);
          Workspace ws = open(plan, wsDir, blobs, schema);
          ModelRegistry registry = ModelRegistry.in(ws)) {
        Workload.prepare(registry, Catalog.in(ws), ws, acks);
      }
      List<String> output = new ArrayList<>();
      output.add(prepared.toString(StandardCharsets.UTF_8));
      List<String> problems = new ArrayList<>();
      output.addAll(runWorkers(plan, dir, wsDir, blobs, schema, log, problems));
      log.accept("  soak " + plan.store() + ": workers done; checking the workspace");
      SoakResult.Builder result = SoakResult.parse(plan, String.join("\n", output));
      problems.forEach(result::workerProblem);
      Path h2File = wsDir.resolve("metadata.mv.db");
      if (schema == null && Files.exists(h2File)) {
        result.liveBytes(liveBytes(h2File));
      }
      try (Workspace ws = open(plan, wsDir, blobs, schema); ModelRegistry registry = ModelRegistry.in(ws)) {
        check(registry, Catalog.in(ws), result);
        if (atEnd != null) {
          result.atEnd(atEnd.measure(ws, registry, schema));
        }
      }
      return result.build();
    } finally {
      if (schema != null) {
        schema.close();
      }
    }
  }

  /**
   * The live data of an H2 file, closed: the size of a compacted copy, made by H2's own tool (which writes only the
   * pages the newest version reaches).
   */
  static long liveBytes(Path file) throws IOException {
    Path copy = file.resolveSibling("live-copy.mv.db");
    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
    try {
      MVStoreTool.compact(copy.toString(), false);
      return Files.size(copy);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private static Workspace open(Plan plan, Path wsDir, Path blobs, @Nullable PostgresSchema schema) {
    return schema == null ? Workspace.local(wsDir) : Workspace.postgres(schema.dataSource(), blobs);
  }

  /** Starts the workers, waits until every one is ready, starts the clock, and waits for them; returns their output. */
  private static List<String> runWorkers(Plan plan, Path dir, Path wsDir, Path blobs, @Nullable PostgresSchema schema,
      Consumer<String> log, List<String> problems) throws Exception {
    Path go = dir.resolve("start-time");
    List<Process> processes = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (int w = 1; w <= plan.jvms(); w++) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(WORKER_JVM);
      String rate = System.getProperty(RATE_PROPERTY);
      if (rate != null && !rate.isBlank()) {
        command.add("-D" + RATE_PROPERTY + "=" + rate.strip());
      }
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(SoakWorker.class.getName());
      if (schema == null) {
        command.addAll(List.of("h2", wsDir.toString()));
      } else {
        command.addAll(List.of("pg", PostgresSchema.configuredUrl().orElseThrow(), schema.schema(), blobs.toString()));
      }
      command.addAll(List.of(Integer.toString(w), Integer.toString(plan.threads()), go.toString(),
          Long.toString(plan.duration().toSeconds()), Long.toString(plan.window().toMillis()),
          Long.toString(plan.warmup().toMillis())));
      Path logFile = dir.resolve("logs").resolve("worker-" + w + ".log");
      logs.add(logFile);
      processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start());
    }
    try {
      long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (int w = 0; w < processes.size(); w++) {
        while (!Files.readString(logs.get(w), StandardCharsets.UTF_8).contains("READY w=")) {
          if (!processes.get(w).isAlive() || System.nanoTime() > readyBy) {
            throw new IllegalStateException("soak worker " + (w + 1) + " did not get ready: "
                + new Forked.Result(processes.get(w).isAlive() ? -1 : processes.get(w).exitValue(),
                    processes.get(w).isAlive(), Files.readString(logs.get(w), StandardCharsets.UTF_8), 0).problem());
          }
          processes.get(w).waitFor(50, TimeUnit.MILLISECONDS);
        }
      }
      Path tmp = dir.resolve("start-time.tmp");
      Files.writeString(tmp, Long.toString(System.currentTimeMillis() + 500), StandardCharsets.UTF_8);
      Files.move(tmp, go, StandardCopyOption.ATOMIC_MOVE);
      log.accept("  soak " + plan.store() + ": " + plan.jvms() + " JVM(s) x " + plan.threads() + " threads, "
          + plan.warmup().toSeconds() + " s warm-up, " + plan.duration().toSeconds() + " s measured");
      long limit = System.nanoTime() + plan.warmup().toNanos() + plan.duration().toNanos()
          + TimeUnit.SECONDS.toNanos(90);
      for (int w = 0; w < processes.size(); w++) {
        Process p = processes.get(w);
        long left = Math.max(0, limit - System.nanoTime());
        if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly().waitFor();
          problems.add("worker " + (w + 1) + " overran its time limit and was killed");
        } else if (p.exitValue() != 0) {
          problems.add("worker " + (w + 1) + " exited with " + p.exitValue() + "; see " + logs.get(w));
        }
      }
    } finally {
      for (Process p : processes) {
        if (p.isAlive()) {
          p.destroyForcibly().waitFor();
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (int w = 0; w < logs.size(); w++) {
      String text = Files.readString(logs.get(w), StandardCharsets.UTF_8);
      if (!text.contains("DONE w=" + (w + 1) + " ")) {
        problems.add("worker " + (w + 1) + " did not finish its run; see " + logs.get(w));
      }
      out.add(text);
    }
    return out;
  }

  /** Checks every invariant on the workspace, with every worker gone. */
  private static void check(ModelRegistry registry, Catalog catalog, SoakResult.Builder result) {
    for (String m : Workload.MODELS) {
      TreeSet<Integer> numbers = new TreeSet<>();
      int production = 0;
      for (long offset = 0; ; ) {
        Page<ModelVersion> page = registry.versions(m, 1_000, offset);
        for (ModelVersion v : page.items()) {
          numbers.add(v.number());
          if (v.stage() == Stage.PRODUCTION) {
            production++;
          }
        }
        if (page.items().isEmpty()) {
          break;
        }
        offset += page.items().size();
      }
      result.versions(m, numbers.size());
      if (numbers.isEmpty() || numbers.first() != 1 || numbers.last() != numbers.size()) {
        result.invariant("model " + m + " is not numbered 1.." + numbers.size() + " without gaps: "
            + (numbers.isEmpty() ? "no versions" : "from " + numbers.first() + " to " + numbers.last()));
      }
      if (production > 1) {
        result.invariant("model " + m + " has " + production + " versions in PRODUCTION");
      }
      Optional<String> audit = registry.audit(m).verify();
      audit.ifPresent(p -> result.invariant("the audit log of " + m + " does not verify: " + p));
      Set<Integer> promoted = new HashSet<>();
      for (AuditRecord r : registry.audit(m).records()) {
        if (r.action().equals("PROMOTE")) {
          promoted.add(r.version());
        }
      }
      for (int n : result.acknowledged("register", m)) {
        if (!numbers.contains(n)) {
          result.invariant("acknowledged registration " + m + " v" + n + " is missing");
        }
      }
      for (int n : result.acknowledged("promote", m)) {
        if (!promoted.contains(n)) {
          result.invariant("acknowledged promotion of " + m + " v" + n + " is not in the audit log");
        }
      }
    }
    for (Map.Entry<String, List<String>> e : result.commits().entrySet()) {
      for (String id : e.getValue()) {
        try {
          catalog.version(e.getKey(), id);
        } catch (RuntimeException ex) {
          result.invariant("acknowledged commit " + e.getKey() + "@" + id + " is missing: " + ex.getMessage());
        }
      }
    }
  }
}
