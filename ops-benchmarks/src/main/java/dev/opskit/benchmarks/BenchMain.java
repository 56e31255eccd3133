package dev.opskit.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs benchmark suites and reports their figures. {@code bench/run} calls it; it can also be run by hand:
 *
 * <pre>
 * java -cp ops-benchmarks/target/benchmarks.jar dev.opskit.benchmarks.BenchMain [suite...] [--quick] [--strict]
 *     [--out DIR]
 * </pre>
 *
 * <p>Standard output carries exactly one line per figure,
 * {@code BENCH <suite>.<name> value=<v> unit=<u> baseline=<b> ratio=<v/b>}; progress, notes and the PASS/FAIL of each
 * target go to standard error. Each suite's figures are also written to {@code <out>/bench-<suite>.json}.
 *
 * <p>Exit status: 0 when every suite ran (whatever its targets say), 2 for a usage error, 3 with {@code --strict}
 * when a target failed.
 */
public final class BenchMain {
  private BenchMain() {}

  /**
   * Entry point.
   *
   * @param args suite names and options
   * @throws Exception if a suite fails to run
   */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    boolean strict = false;
    Path out = Path.of("ops-benchmarks", "target");
    List<Suite> suites = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--strict" -> strict = true;
        case "--out" -> {
          if (++i == args.length) {
            usage("--out needs a directory");
          }
          out = Path.of(args[i]);
        }
        case "--list" -> {
          for (Suite s : Suites.all()) {
            System.out.println(s.name() + "\t" + s.description());
          }
          return;
        }
        default -> {
          if (arg.startsWith("-")) {
            usage("unknown option " + arg);
          }
          Suite suite = Suites.named(arg).orElse(null);
          if (suite == null) {
            usage("no suite named '" + arg + "'");
          }
          suites.add(suite);
        }
      }
    }
    if (suites.isEmpty()) {
      suites.addAll(Suites.all());
    }
    PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    boolean anyFailed = false;
    for (Suite suite : suites) {
      anyFailed |= runSuite(suite, new SuiteContext(quick, out, log), log);
    }
    if (strict && anyFailed) {
      System.exit(3);
    }
  }

  /** Runs one suite and reports it; returns whether a target failed. */
  private static boolean runSuite(Suite suite, SuiteContext context, PrintStream log) throws Exception {
    long start = System.nanoTime();
    Instant started = Instant.now();
    context.log("suite " + suite.name() + " (" + (context.quick() ? "quick" : "full") + "): " + suite.description());
    context.sampleLoad("at the start of suite " + suite.name());
    List<Figure> figures = suite.run(context);
    context.sampleLoad("at the end of suite " + suite.name());
    double seconds = (System.nanoTime() - start) / 1e9;
    for (Figure f : figures) {
      if (!f.name().startsWith(suite.name() + ".")) {
        throw new IllegalStateException("figure " + f.name() + " of suite " + suite.name() + " must start with '"
            + suite.name() + ".'");
      }
      System.out.println(f.benchLine());
    }
    System.out.flush();
    boolean failed = false;
    log.println("targets of suite " + suite.name() + ":");
    for (Figure f : figures) {
      if (f.target() != null) {
        String status = f.status().orElseThrow();
        failed |= status.equals("FAIL");
        log.println("  " + status + "  " + f.name() + "  " + f.target().describe() + " (value " + Figure.format(
            f.value()) + " " + f.unit() + ", ratio " + Figure.format(f.ratio()) + ")");
      }
    }
    writeJson(suite, context, figures, started, seconds);
    log.println("suite " + suite.name() + " took " + Figure.format(seconds) + " s; report: "
        + context.outputDirectory().resolve("bench-" + suite.name() + ".json"));
    return failed;
  }

  private static void writeJson(Suite suite, SuiteContext context, List<Figure> figures, Instant started,
      double seconds) throws IOException {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("suite", suite.name());
    report.put("description", suite.description());
    report.put("mode", context.quick() ? "quick" : "full");
    report.put("started", started.toString());
    report.put("seconds", seconds);
    report.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("loadAverages", context.loads());
    report.put("jmh", settings(context.jmh()));
    report.put("jmhForSlowOperations", settings(context.jmh().slow()));
    List<Object> list = new ArrayList<>();
    for (Figure f : figures) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.name());
      m.put("value", f.value());
      m.put("unit", f.unit());
      m.put("baseline", f.baseline());
      m.put("baselineOf", f.baselineOf());
      m.put("ratio", f.ratio());
      m.put("target", f.target() == null ? null : f.target().describe());
      m.put("status", f.status().orElse(null));
      m.put("details", f.details());
      list.add(m);
    }
    report.put("figures", list);
    report.put("notes", context.notes());
    Files.createDirectories(context.outputDirectory());
    Files.writeString(context.outputDirectory().resolve("bench-" + suite.name() + ".json"), JsonReport.render(report));
  }

  private static Map<String, Object> settings(JmhSettings jmh) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("forks", jmh.forks());
    m.put("warmupIterations", jmh.warmupIterations());
    m.put("warmupMillis", jmh.warmupMillis());
    m.put("measurementIterations", jmh.measurementIterations());
    m.put("measurementMillis", jmh.measurementMillis());
    m.put("jvmArgs", jmh.jvmArgs());
    return m;
  }

  private static void usage(String problem) {
    System.err.println("bench: " + problem);
    System.err.println("usage: BenchMain [suite...] [--quick] [--strict] [--out DIR] | --list");
    StringBuilder names = new StringBuilder();
    for (Suite s : Suites.all()) {
      names.append(' ').append(s.name());
    }
    System.err.println("suites:" + names);
    System.exit(2);
  }
}
