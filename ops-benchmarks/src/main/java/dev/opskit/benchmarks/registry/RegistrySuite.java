package dev.opskit.benchmarks.registry;

import static dev.opskit.benchmarks.Jmh.params;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.Jmh;
import dev.opskit.benchmarks.JmhSettings;
import dev.opskit.benchmarks.Measurement;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.benchmarks.Scores;
import dev.opskit.benchmarks.Suite;
import dev.opskit.benchmarks.SuiteContext;
import dev.opskit.benchmarks.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code registry} suite. Every figure and its baseline are measured in the same run:
 *
 * <ul>
 *   <li>{@code registry.<register|promote>.<h2|pg>.p99}, {@code .p50} and {@code .throughput}: latency percentiles (ms)
 *       and operations per second of registering and promoting through the API, against raw JDBC doing the equivalent
 *       inserts and updates on the same kind of database; target on H2, the embedded store: p99 under 5 ms.
 *   <li>{@code registry.search.100k.p99}: ms, 99th percentile of a filtered, ordered, limited search over 100,000
 *       versions on H2 (quick runs without the cached workspace: 2,000); target under 50 ms, the baseline; and
 *       {@code registry.search.<form>.100k.p99} for the other forms of {@link SearchBenchmark#FORMS};
 *       {@code registry.search.pg.<form>.100k.p99} the same on PostgreSQL;
 *   <li>{@code registry.models.<form>.10k[.pg].p99}: ms, 99th percentile of a model search over 10,000 models, for
 *       each form of {@link ModelSearchBenchmark#FORMS}; target under 50 ms.
 *   <li>{@code registry.live.get}: ns per {@code LiveModel.get()}, against a plain volatile read; target: ratio at most
 *       2.
 * </ul>
 */
public final class RegistrySuite implements Suite {
  static final int SEARCH_VERSIONS = 100_000;
  static final int SEARCH_VERSIONS_QUICK = 2_000;
  static final double P99_BUDGET_MS = 5;
  static final double SEARCH_BUDGET_MS = 50;

  @Override
  public String name() {
    return "registry";
  }

  @Override
  public String description() {
    return "register and promote latency against raw JDBC, search over 100,000 versions, live-model reads";
  }

  @Override
  public List<Figure> run(SuiteContext context) throws Exception {
    Jmh jmh = new Jmh(context, name());
    context.log("  JMH report: " + jmh.logFile());
    Path work = BenchFiles.workDirectory(context, name());
    JmhSettings settings = context.jmh().withJvmArgs("-D" + BenchFiles.WORK_PROPERTY + "=" + work);
    Optional<String> noPostgres = PostgresSchema.unavailable();
    noPostgres.ifPresent(context::note);
    List<String> stores = noPostgres.isEmpty() ? List.of("h2", "pg") : List.of("h2");

    // Each figure's two benchmarks run one right after the other, so that the machine's load changes less between
    // them than between whole classes.
    // A full run warms these up for 10 s rather than the mode's 2.5 s: with 2.5 s, the per-iteration means kept
    // falling through the measured iterations (1.88 ms in the first, 1.19 ms in the seventh, in one run), because C2
    // was still compiling H2's and Jackson's paths on the same two cores, and that compilation was most of the tail
    // the 99th percentile reports. The opskit benchmark and its JDBC baseline get the same warm-up.
    JmhSettings latency = context.quick() ? settings : settings.withIterations(10, 1_000, 10, 500);
    List<Measurement> opskit = new ArrayList<>();
    List<Measurement> jdbc = new ArrayList<>();
    for (String op : List.of("register", "promote")) {
      for (String store : stores) {
        opskit.addAll(jmh.run(RegistryBenchmark.class, op, params("store", List.of(store)), latency));
        jdbc.addAll(jmh.run(JdbcRegistryBaseline.class, op, params("db", List.of(store)), latency));
      }
    }
    // A read of about half a nanosecond: one JVM's JIT and code layout move it by more than its iterations differ
    // (the ratio ranged from 0.98x to 2.48x over nine single-fork runs, and from 1.51x to 2.11x over six three-fork
    // runs), so a full run takes the median of five forks.
    List<Measurement> live = jmh.run(LiveModelBenchmark.class, params(), context.quick() ? settings
        : settings.withForks(5));

    List<Figure> figures = new ArrayList<>();
    for (String op : List.of("register", "promote")) {
      for (String store : stores) {
        Measurement m = pick(opskit, op, "store", store);
        Measurement base = pick(jdbc, op, "db", store);
        String where = store.equals("h2") ? "a separate H2 file with opskit's settings" : "the same PostgreSQL server";
        String baselineOf = "raw JDBC on " + where + ": " + (op.equals("register")
            ? "counter UPDATE + SELECT + version INSERT in one transaction"
            : "two UPDATEs (archive, promote) + audit INSERT in one transaction");
        Map<String, Object> details = new LinkedHashMap<>(Scores.describe("", m));
        details.putAll(Scores.describe("baseline", base));
        String prefix = "registry." + op + "." + store;
        figures.add(new Figure(prefix + ".p99", Scores.percentileMicros(m, "p99") / 1_000, "ms",
            Scores.percentileMicros(base, "p99") / 1_000, "99th percentile of " + baselineOf,
            store.equals("h2") ? Target.valueBelow(P99_BUDGET_MS) : null, details));
        figures.add(new Figure(prefix + ".p50", Scores.percentileMicros(m, "p50") / 1_000, "ms",
            Scores.percentileMicros(base, "p50") / 1_000, "median of " + baselineOf, null, details));
        figures.add(new Figure(prefix + ".throughput", Scores.opsPerSecond(m), "ops/s", Scores.opsPerSecond(base),
            baselineOf + ", one thread", null, details));
      }
    }

    for (String store : stores) {
      figures.addAll(searchFigures(context, jmh, store));
    }

    Measurement get = pick(live, "live");
    Measurement plain = pick(live, "volatileRead");
    Map<String, Object> liveDetails = new LinkedHashMap<>(Scores.describe("", get));
    liveDetails.putAll(Scores.describe("baseline", plain));
    figures.add(new Figure("registry.live.get", Scores.medianMicros(get) * 1_000, "ns/op",
        Scores.medianMicros(plain) * 1_000, "a plain volatile read of the same model object", Target.ratioAtMost(2),
        liveDetails));
    BenchFiles.deleteTree(work);
    return figures;
  }

  private static Measurement pick(List<Measurement> all, String method, String... keyValues) {
    List<Measurement> found = all.stream()
        .filter(m -> m.benchmark().endsWith("." + method) && m.matches(keyValues)).toList();
    if (found.size() != 1) {
      throw new IllegalStateException(found.size() + " measurements of " + method + " " + List.of(keyValues));
    }
    return found.get(0);
  }

  /**
   * The search figures of one store, one per form of {@link SearchBenchmark#FORMS} and of
   * {@link ModelSearchBenchmark#FORMS}, on the cached workspace; builds the cache first if it is missing.
   */
  private static List<Figure> searchFigures(SuiteContext context, Jmh jmh, String store) throws Exception {
    Path out = context.outputDirectory();
    boolean pg = store.equals("pg");
    Path large = pg ? SearchCache.postgresFolder(out, SEARCH_VERSIONS) : SearchCache.folder(out, SEARCH_VERSIONS);
    int versions = context.quick() && !complete(large, SEARCH_VERSIONS, pg) ? SEARCH_VERSIONS_QUICK : SEARCH_VERSIONS;
    int models = SearchCache.defaultModels(versions);
    if (versions != SEARCH_VERSIONS) {
      context.note("quick run: the " + store + " search runs over " + versions + " versions and " + models
          + " models, since the cached " + SEARCH_VERSIONS + "-version workspace is not built yet (a full run builds "
          + "it)");
    }
    Path folder = pg ? SearchCache.postgresFolder(out, versions) : SearchCache.folder(out, versions);
    Map<String, Object> details = new LinkedHashMap<>();
    if (complete(folder, versions, pg)) {
      details.put("cache", "reused " + folder + (pg ? " and schema " + SearchCache.schema(versions) : ""));
    } else {
      context.log("  search: registering " + versions + " versions and creating " + models + " models through the "
          + "API into " + folder + (pg ? " and schema " + SearchCache.schema(versions) : "")
          + " (once; later runs reuse it)");
      context.sampleLoad("before building the " + store + " search workspace");
      Forked.Result built = Forked.run(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"), SearchCache.class,
          List.of(folder.toString(), Integer.toString(versions), "2", Integer.toString(models), store),
          out.resolve("bench-registry-search-cache" + (pg ? "-pg" : "") + ".log"), Duration.ofHours(2));
      if (!built.succeeded()) {
        context.note("could not build the " + store + " search workspace, so its search figures are missing: "
            + built.problem());
        return List.of();
      }
      double seconds = built.last("BUILT").map(b -> Double.parseDouble(b.get("seconds"))).orElse(Double.NaN);
      context.note(String.format("built the %,d-version %s search workspace in %.0f s (one time: later runs reuse it)",
          versions, store, seconds));
      details.put("cache", "built in this run in " + Math.round(seconds) + " s: " + folder);
    }
    details.put("workspace", (pg ? "Workspace.postgres on the kept schema " + SearchCache.schema(versions)
        : "Workspace.local on the cached directory") + ": " + versions + " versions of churn, each registered through "
        + "ModelRegistry.registration(...).register(), auc spread evenly over [0.5, 1), a seed parameter, a run id and "
        + "a team tag; " + models + " models created through createModel with a description and two tags");
    details.put("query", "search().model(\"churn\").filter(\"metrics.auc > 0.8\").orderByMetric(\"auc\", false)"
        + ".limit(20).list(), the threshold moving from 0.800 to 0.896 by 0.001 from call to call; the other forms "
        + "are described in SearchBenchmark.form and ModelSearchBenchmark.form");
    // A search takes from tens of milliseconds to seconds, and an iteration always finishes the one in progress:
    // 1 s iterations, few of them, so that a slow search does not take the suite past its time budget. The JSON
    // records how many searches the percentiles are over.
    JmhSettings settings = (context.quick() ? context.jmh().withIterations(1, 1_000, 3, 1_000)
        : context.jmh().withIterations(2, 1_000, 5, 1_000))
        .withJvmArgs("-D" + (pg ? SearchBenchmark.POSTGRES_PROPERTY : SearchBenchmark.WORKSPACE_PROPERTY) + "="
            + SearchCache.workspace(folder));
    List<Measurement> search = jmh.run(SearchBenchmark.class, params("versions", List.of(versions), "store",
        List.of(store), "form", SearchBenchmark.FORMS), settings);
    List<Measurement> modelSearch = jmh.run(ModelSearchBenchmark.class, params("versions", List.of(versions),
        "models", List.of(models), "store", List.of(store), "form", ModelSearchBenchmark.FORMS), settings);
    String label = label(versions);
    List<Figure> figures = new ArrayList<>();
    for (String form : SearchBenchmark.FORMS) {
      Measurement m = pick(search, "search", "form", form);
      Map<String, Object> formDetails = new LinkedHashMap<>(details);
      formDetails.putAll(Scores.describe("", m));
      // on H2 the first form keeps the figure's name from before the forms existed, so runs stay comparable
      String name = "registry.search." + (pg ? "pg." : "") + (form.equals("metric") && !pg ? "" : form + ".") + label;
      figures.add(new Figure(name + ".p99", Scores.percentileMicros(m, "p99") / 1_000, "ms", SEARCH_BUDGET_MS,
          "budget: 50 ms", Target.valueBelow(SEARCH_BUDGET_MS), formDetails));
    }
    for (String form : ModelSearchBenchmark.FORMS) {
      Measurement m = pick(modelSearch, "search", "form", form);
      Map<String, Object> formDetails = new LinkedHashMap<>(details);
      formDetails.putAll(Scores.describe("", m));
      String name = "registry.models." + form + "." + label(models) + (pg ? ".pg" : "");
      figures.add(new Figure(name + ".p99", Scores.percentileMicros(m, "p99") / 1_000, "ms", SEARCH_BUDGET_MS,
          "budget: 50 ms", Target.valueBelow(SEARCH_BUDGET_MS), formDetails));
    }
    return figures;
  }

  private static boolean complete(Path folder, int versions, boolean pg) {
    return pg ? SearchCache.completeOnPostgres(folder, versions) : SearchCache.complete(folder, versions);
  }

  private static String label(int n) {
    return n >= 1_000 && n % 1_000 == 0 ? n / 1_000 + "k" : Integer.toString(n);
  }
}
