package dev.opskit.benchmarks.console;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.Suite;
import dev.opskit.benchmarks.SuiteContext;
import dev.opskit.benchmarks.Target;
import dev.opskit.benchmarks.registry.SearchCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code console} suite: the 99th percentile of each page of {@code ops-console}, served by
 * {@code Console.builder(ws).port(0)} in a JVM of its own and requested over HTTP/1.1 on loopback, on a local (H2)
 * workspace of 10,000 runs and 100,000 versions of one model; target: under 100 ms each (issue 20). Quick runs use
 * 1,000 runs over 2,000 versions.
 *
 * <p>The workspace is built once and kept under {@code bench-cache/console-<versions>-<runs>/}: a copy of the registry
 * suite's search workspace ({@link SearchCache}: versions registered through the public API; built here first if
 * missing), to which {@link ConsoleProbe} adds the runs through the runner (three pipelines of four steps, a tenth of
 * the runs failed). A file {@code complete.properties} marks it finished; delete the folder to rebuild it.
 */
public final class ConsoleSuite implements Suite {
  static final int VERSIONS = 100_000;
  static final int VERSIONS_QUICK = 2_000;
  static final int RUNS = 10_000;
  static final int RUNS_QUICK = 1_000;
  static final double BUDGET_MS = 100;

  @Override
  public String name() {
    return "console";
  }

  @Override
  public String description() {
    return "p99 of every console page over HTTP on a workspace of 10,000 runs and 100,000 model versions";
  }

  @Override
  public List<Figure> run(SuiteContext context) throws Exception {
    boolean quick = context.quick();
    int versions = quick ? VERSIONS_QUICK : VERSIONS;
    int runs = quick ? RUNS_QUICK : RUNS;
    Path out = context.outputDirectory();
    Path folder = out.resolve("bench-cache").resolve("console-" + versions + "-" + runs).toAbsolutePath();
    Map<String, Object> details = new LinkedHashMap<>();
    if (!Files.isRegularFile(folder.resolve("complete.properties"))) {
      if (!build(context, folder, versions, runs)) {
        return List.of();
      }
      details.put("cache", "built in this run: " + folder);
    } else {
      details.put("cache", "reused " + folder);
    }
    int warmUp = quick ? 10 : 30;
    int measured = quick ? 100 : 300;
    context.sampleLoad("before the console pages");
    Forked.Result pages = Forked.run(List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC"), ConsoleProbe.class,
        List.of("pages", folder.resolve("workspace").toString(), Integer.toString(warmUp),
            Integer.toString(measured), Integer.toString(versions)),
        out.resolve("bench-console-pages.log"), Duration.ofMinutes(20));
    if (!pages.succeeded()) {
      context.note("the console page probe failed: " + pages.problem());
      return List.of();
    }
    details.put("workspace", "Workspace.local: " + versions + " versions of model churn registered through the API, "
        + runs + " runs of three 4-step pipelines (a tenth failed), one JSON dataset written by every run");
    details.put("method", "Console.builder(ws).port(0).pipelines(...) in a JVM with -Xmx512m; java.net.http client "
        + "on loopback, HTTP/1.1, one request at a time; " + warmUp + " unmeasured then " + measured
        + " measured requests per page; nearest-rank percentiles");
    List<Figure> figures = new ArrayList<>();
    for (Map<String, String> page : pages.lines("PAGE")) {
      Map<String, Object> d = new LinkedHashMap<>(details);
      d.put("path", page.get("path"));
      d.put("p50Ms", Double.parseDouble(page.get("p50")));
      d.put("maxMs", Double.parseDouble(page.get("max")));
      d.put("bytes", Long.parseLong(page.get("bytes")));
      d.put("requests", Integer.parseInt(page.get("requests")));
      figures.add(new Figure("console.page." + page.get("kind") + ".p99", Double.parseDouble(page.get("p99")), "ms",
          BUDGET_MS, "budget: 100 ms", Target.valueBelow(BUDGET_MS), d));
    }
    return figures;
  }

  /** Copies the registry's search workspace (building it if missing), adds the runs, and marks the folder done. */
  private static boolean build(SuiteContext context, Path folder, int versions, int runs) throws Exception {
    Path out = context.outputDirectory();
    Path search = SearchCache.folder(out, versions);
    if (!SearchCache.complete(search, versions)) {
      context.log("  console: registering " + versions + " versions through the API into " + search
          + " (once; the registry suite reuses it too)");
      Forked.Result built = Forked.run(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"), SearchCache.class,
          List.of(search.toString(), Integer.toString(versions), "2"), out.resolve("bench-registry-search-cache.log"),
          Duration.ofHours(2));
      if (!built.succeeded()) {
        context.note("could not build the registry workspace, so the console figures are missing: "
            + built.problem());
        return false;
      }
    }
    BenchFiles.deleteTree(folder);
    Path building = folder.resolve("workspace.building");
    copyTree(SearchCache.workspace(search), building);
    context.log("  console: adding " + runs + " runs to a copy of " + search + " (once; later runs reuse it)");
    Forked.Result added = Forked.run(List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC"), ConsoleProbe.class,
        List.of("runs", building.toString(), Integer.toString(runs)), out.resolve("bench-console-runs.log"),
        Duration.ofHours(1));
    if (!added.succeeded()) {
      context.note("could not add the runs, so the console figures are missing: " + added.problem());
      return false;
    }
    Files.move(building, folder.resolve("workspace"), StandardCopyOption.ATOMIC_MOVE);
    double seconds = added.last("BUILT").map(b -> Double.parseDouble(b.get("seconds"))).orElse(Double.NaN);
    Files.writeString(folder.resolve("complete.properties"), String.format(Locale.ROOT,
        "# the registry search workspace of %d versions plus %d runs; delete this folder to rebuild%n"
            + "versions=%d%nruns=%d%nrunSeconds=%.3f%n", versions, runs, versions, runs, seconds),
        StandardCharsets.UTF_8);
    context.note(String.format(Locale.ROOT, "built the console workspace (%,d runs added in %.0f s; later runs "
        + "reuse it)", runs, seconds));
    return true;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      all.forEach(p -> {
        try {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
