package dev.opskit.benchmarks.soak;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.benchmarks.Suite;
import dev.opskit.benchmarks.SuiteContext;
import dev.opskit.benchmarks.Target;
import dev.opskit.ml.ModelVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code soak} suite (issue 21, "holds under sustained load"): the mixed workload of {@link Workload} on one
 * PostgreSQL workspace from several JVMs, and on one H2 file workspace from one JVM, for 10 minutes each (quick: 60 and
 * 40 s), reported per window; then the registry's lookups at 1,000 to 1,000,000 versions of one model on PostgreSQL
 * ({@link ScaleProbe}; quick: up to 10,000; {@code BENCH_SCALE_MAX} sets the largest size). {@code BENCH_SOAK_STORES}
 * ({@code pg}, {@code h2} or {@code pg,h2}, the default) chooses the stores; the scale probe runs with {@code pg}.
 *
 * <ul>
 *   <li>{@code soak.<pg|h2>.window.<i>}: ops/s in window i, against window 0;
 *   <li>{@code soak.<pg|h2>.throughput}: ops/s in the last third against the first third; target ratio at least 0.9;
 *   <li>{@code soak.<pg|h2>.<kind>.p99}: ms, a kind's 99th percentile in the last third against the first third;
 *       target ratio at most 1.5;
 *   <li>{@code soak.<pg|h2>.heap.w<n>}: MB, worker n's heap after collections, last third against first; ratio at
 *       most 1.5;
 *   <li>{@code soak.<pg|h2>.failures}: errors (not documented conflicts), broken invariants and worker problems; target
 *       none;
 *   <li>{@code soak.h2.file}: MB, the H2 file at the end, against the end of the first third;
 *   <li>{@code soak.h2.file.overLive}: MB, the H2 file at the end, against 3 times its live data (the size of a
 *       compacted copy) plus 512 MB; target ratio at most 1;
 *   <li>{@code soak.pg.end.<lookup>.p99}: ms, a lookup on the soaked workspace, against raw JDBC on a table of the same
 *       size;
 *   <li>{@code soak.scale.<n>.<lookup>.<p50|p99>}: ms at n versions, against raw JDBC; p99 target: under 5 ms for a
 *       resolution, 50 ms for versions and search.
 * </ul>
 */
public final class SoakSuite implements Suite {
  static final double RESOLVE_BUDGET_MS = 5;
  static final double SEARCH_BUDGET_MS = 50;
  /** The environment variable raising the largest scale size, for example to 1000000. */
  static final String SCALE_MAX = "BENCH_SCALE_MAX";
  /** The environment variable that chooses the stores: {@code pg}, {@code h2} or both, comma-separated. */
  static final String STORES = "BENCH_SOAK_STORES";

  @Override
  public String name() {
    return "soak";
  }

  @Override
  public String description() {
    return "mixed workload for 10 minutes on PostgreSQL (3 JVMs x 4 threads) and H2 (1 JVM x 8 threads), per window; "
        + "registry lookups at 1k-1m versions";
  }

  @Override
  public List<Figure> run(SuiteContext context) throws Exception {
    Path work = BenchFiles.workDirectory(context, name());
    List<Figure> figures = new ArrayList<>();
    List<String> stores = stores(System.getenv(STORES));
    Optional<String> noPostgres = stores.contains("pg") ? PostgresSchema.unavailable()
        : Optional.of(STORES + " leaves PostgreSQL out");
    noPostgres.ifPresent(context::note);
    boolean quick = context.quick();
    if (noPostgres.isEmpty()) {
      Soak.Plan pg = quick
          ? new Soak.Plan("pg", 2, 3, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(10),
              work.resolve("pg"))
          : new Soak.Plan("pg", 3, 4, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
              work.resolve("pg"));
      context.sampleLoad("before the PostgreSQL soak");
      SoakResult r = Soak.run(pg, context::log, (ws, registry, schema) -> endState(registry, schema,
          work.resolve("end-blobs")));
      keepLogs(context, pg);
      context.sampleLoad("after the PostgreSQL soak");
      figures.addAll(soakFigures(context, r));
    }
    if (!stores.contains("h2")) {
      if (noPostgres.isEmpty()) {
        figures.addAll(scaleFigures(context, work, quick));
      }
      BenchFiles.deleteTree(work);
      return figures;
    }
    Soak.Plan h2 = quick
        ? new Soak.Plan("h2", 1, 8, Duration.ofSeconds(40), Duration.ofSeconds(5), Duration.ofSeconds(10),
            work.resolve("h2"))
        : new Soak.Plan("h2", 1, 8, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
            work.resolve("h2"));
    context.sampleLoad("before the H2 soak");
    SoakResult r = Soak.run(h2, context::log);
    keepLogs(context, h2);
    context.sampleLoad("after the H2 soak");
    figures.addAll(soakFigures(context, r));
    if (noPostgres.isEmpty()) {
      figures.addAll(scaleFigures(context, work, quick));
    }
    BenchFiles.deleteTree(work);
    return figures;
  }

  /**
   * The stores a {@value #STORES} value names.
   *
   * @param value the variable's value, or null for both
   * @return {@code pg}, {@code h2} or both
   * @throws IllegalArgumentException naming the value if it names anything else, or nothing
   */
  static List<String> stores(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return List.of("pg", "h2");
    }
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String store = part.strip();
      if (!store.equals("pg") && !store.equals("h2")) {
        throw new IllegalArgumentException(STORES + "='" + value + "' names '" + store + "'; the stores are pg and h2, "
            + "comma-separated");
      }
      out.add(store);
    }
    return out;
  }

  /** The end state of the PostgreSQL soak: each lookup of the busiest model against raw JDBC at the same size. */
  private static Map<String, Object> endState(dev.opskit.ml.ModelRegistry registry, @Nullable PostgresSchema schema,
      Path blobs) throws Exception {
    if (schema == null) {
      return Map.of();
    }
    String model = Workload.MODELS.get(0);
    ModelVersion latest = registry.resolve("models:/" + model + "/latest");
    ScaleProbe.Sizes s = ScaleProbe.measure(schema, registry, model, latest.number(), blobs);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("versions", s.versions());
    out.put("opskit", s.opskit());
    out.put("raw", s.raw());
    return out;
  }

  /** Copies the workers' logs next to the report, as {@code bench-soak-<store>-worker-<n>.log}. */
  private static void keepLogs(SuiteContext context, Soak.Plan plan) throws java.io.IOException {
    for (int w = 1; w <= plan.jvms(); w++) {
      Path log = plan.directory().resolve("logs").resolve("worker-" + w + ".log");
      if (java.nio.file.Files.isRegularFile(log)) {
        java.nio.file.Files.copy(log, context.outputDirectory().resolve("bench-soak-" + plan.store() + "-worker-" + w
            + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static List<Figure> soakFigures(SuiteContext context, SoakResult r) {
    String store = r.plan().store();
    String prefix = "soak." + store;
    Map<String, Object> details = r.describe();
    context.log(String.format(Locale.ROOT, "  soak %s: %d JVM(s) x %d threads, %d windows of %d s (p99 per kind)",
        store, r.plan().jvms(), r.plan().threads(), r.windowCount(), r.plan().window().toSeconds()));
    r.windowLines().forEach(l -> context.log("    " + l));
    List<Figure> out = new ArrayList<>();
    for (int i = 0; i < r.windowCount(); i++) {
      out.add(new Figure(String.format(Locale.ROOT, "%s.window.%02d", prefix, i), r.throughput(i), "ops/s",
          r.throughput(0), "ops/s in window 0", null, Map.of()));
    }
    out.add(new Figure(prefix + ".throughput", r.throughputOfThird(true), "ops/s", r.throughputOfThird(false),
        "ops/s in the first third of the windows", Target.ratioAtLeast(SoakResult.THROUGHPUT), details));
    for (Kind k : Kind.values()) {
      out.add(new Figure(prefix + "." + k.label() + ".p99", r.p99OfThird(k, true), "ms", r.p99OfThird(k, false),
          "99th percentile in the first third", Target.ratioAtMost(SoakResult.P99), Map.of(
              "p50MsFirstThird", r.p50OfThird(k, false), "p50MsLastThird", r.p50OfThird(k, true))));
    }
    for (int w = 1; w <= r.plan().jvms(); w++) {
      out.add(new Figure(prefix + ".heap.w" + w, r.liveHeapMb(w, true), "MB", r.liveHeapMb(w, false),
          "live heap after a full collection before the first window (this one: after the last)",
          Target.ratioAtMost(SoakResult.HEAP), Map.of()));
    }
    int failures = r.errors().values().stream().mapToInt(Long::intValue).sum() + r.invariantViolations().size()
        + r.workerProblems().size();
    Map<String, Object> failureDetails = new LinkedHashMap<>();
    failureDetails.put("errors", r.errors());
    failureDetails.put("errorSamples", r.errorSamples());
    failureDetails.put("invariants", r.invariantViolations());
    failureDetails.put("workers", r.workerProblems());
    failureDetails.put("conflicts", r.conflicts());
    out.add(new Figure(prefix + ".failures", failures, "count", 1, "budget: none (value < 1)", Target.valueBelow(1),
        failureDetails));
    if (!r.fileBytes().isEmpty()) {
      int k = Math.max(1, r.windowCount() / 3);
      Long atFirstThird = r.fileBytes().get(k - 1);
      out.add(new Figure(prefix + ".file", r.fileBytes().lastEntry().getValue() / 1048576.0, "MB",
          atFirstThird == null ? Double.NaN : atFirstThird / 1048576.0, "the H2 file at the end of the first third",
          null, Map.of("growthLastThirdOverFirst", r.fileGrowthRatio(), "bytesByWindow", r.fileBytes())));
      if (r.liveBytes() > 0) {
        double file = r.fileBytes().lastEntry().getValue();
        double live = r.liveBytes();
        // The target as a ratio: the file over its allowance, which must stay at most 1.
        out.add(new Figure(prefix + ".file.overLive", file / 1048576.0, "MB",
            (SoakResult.FILE_OVER_LIVE * live + SoakResult.FILE_SLACK_BYTES) / 1048576.0, String.format(Locale.ROOT,
                "%.1f x the live data at the end (a compacted copy, %.1f MB) + %d MB", SoakResult.FILE_OVER_LIVE,
                live / 1048576.0, SoakResult.FILE_SLACK_BYTES >> 20), Target.ratioAtMost(1.0),
            Map.of("liveMb", live / 1048576.0, "fileOverLive", r.fileOverLive())));
      }
    }
    Object end = r.atEnd().get("opskit");
    if (end instanceof Map<?, ?> opskit && r.atEnd().get("raw") instanceof Map<?, ?> raw) {
      for (String op : ScaleProbe.OPS) {
        ScaleProbe.Timing o = (ScaleProbe.Timing) opskit.get(op);
        ScaleProbe.Timing j = (ScaleProbe.Timing) raw.get(op);
        out.add(new Figure(prefix + ".end." + op + ".p99", o.p99Ms(), "ms", j.p99Ms(), "raw JDBC, the same lookup on "
            + "a table of the same size (" + r.atEnd().get("versions") + " versions), one warm connection", null,
            Map.of("p50Ms", o.p50Ms(), "rawP50Ms", j.p50Ms(), "calls", o.calls())));
      }
    }
    return out;
  }

  private static List<Figure> scaleFigures(SuiteContext context, Path work, boolean quick) throws Exception {
    List<Integer> sizes = new ArrayList<>(quick ? List.of(1_000, 10_000) : List.of(1_000, 10_000, 100_000, 1_000_000));
    String max = System.getenv(SCALE_MAX);
    if (max != null && !max.isBlank()) {
      int m = Integer.parseInt(max.strip());
      sizes.removeIf(s -> s > m);
      if (m > sizes.get(sizes.size() - 1)) {
        sizes.add(m);
      }
    }
    if (quick) {
      context.note("quick run: the scale figures stop at " + sizes.get(sizes.size() - 1) + " versions (a full run "
          + "goes to 1,000,000; " + SCALE_MAX + " sets the largest size)");
    }
    context.sampleLoad("before loading the scale model");
    List<ScaleProbe.Sizes> measured = ScaleProbe.run(sizes, 4, work.resolve("scale-blobs"), context::log);
    List<Figure> out = new ArrayList<>();
    for (ScaleProbe.Sizes s : measured) {
      String label = s.versions() % 1_000_000 == 0 ? s.versions() / 1_000_000 + "m"
          : s.versions() % 1_000 == 0 ? s.versions() / 1_000 + "k" : Integer.toString(s.versions());
      for (String op : ScaleProbe.OPS) {
        ScaleProbe.Timing o = s.opskit().get(op);
        ScaleProbe.Timing j = s.raw().get(op);
        boolean lookup = !op.equals("search") && !op.equals("versions");
        double budget = lookup ? RESOLVE_BUDGET_MS : SEARCH_BUDGET_MS;
        String name = "soak.scale." + label + "." + op;
        String baselineOf = "raw JDBC: the same lookup as one prepared statement on a table of " + s.versions()
            + " rows, one warm connection";
        out.add(new Figure(name + ".p99", o.p99Ms(), "ms", j.p99Ms(), "99th percentile of " + baselineOf
            + "; budget " + Figure.format(budget) + " ms", Target.valueBelow(budget), Map.of("calls", o.calls(),
            "rawCalls", j.calls())));
        out.add(new Figure(name + ".p50", o.p50Ms(), "ms", j.p50Ms(), "median of " + baselineOf, null, Map.of()));
      }
    }
    return out;
  }
}
