package dev.opskit.benchmarks;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs JMH benchmarks through its Java API with a suite's settings and returns every measured iteration, so that
 * figures can be medians rather than JMH's means. JMH's own report is appended to a log file of the suite.
 */
public final class Jmh {
  private final SuiteContext context;
  private final Path logFile;

  /**
   * Creates a runner that logs to {@code <output>/bench-<suite>-jmh.log}, emptied first.
   *
   * @param context the suite's context
   * @param suite the suite name
   * @throws IOException if the log cannot be created
   */
  public Jmh(SuiteContext context, String suite) throws IOException {
    this.context = context;
    this.logFile = context.outputDirectory().resolve("bench-" + suite + "-jmh.log");
    Files.createDirectories(context.outputDirectory());
    Files.writeString(logFile, "");
  }

  /**
   * Returns where JMH's report goes.
   *
   * @return the log file
   */
  public Path logFile() {
    return logFile;
  }

  /**
   * Runs every {@code @Benchmark} method of a class, once per combination of the given parameter values, each in
   * fresh forked JVMs.
   *
   * @param benchmarkClass the class holding the benchmarks
   * @param params {@code @Param} values to use instead of the annotated ones; each key's values are crossed with the
   *     others'
   * @return one measurement per configuration
   * @throws RunnerException if JMH fails, including when a benchmark throws
   * @throws IOException if the log cannot be written
   */
  public List<Measurement> run(Class<?> benchmarkClass, Map<String, List<String>> params)
      throws RunnerException, IOException {
    return run(benchmarkClass, params, context.jmh());
  }

  /**
   * Runs benchmarks as {@link #run(Class, Map)} does, with other settings, such as {@link JmhSettings#slow()}.
   *
   * @param benchmarkClass the class holding the benchmarks
   * @param params {@code @Param} values, crossed
   * @param s the settings
   * @return one measurement per configuration
   * @throws RunnerException if JMH fails, including when a benchmark throws
   * @throws IOException if the log cannot be written
   */
  public List<Measurement> run(Class<?> benchmarkClass, Map<String, List<String>> params, JmhSettings s)
      throws RunnerException, IOException {
    return run(benchmarkClass, null, params, s);
  }

  /**
   * Runs one {@code @Benchmark} method of a class, as {@link #run(Class, Map, JmhSettings)} does. Suites that compare
   * two benchmarks run them method by method, each right after the other, so that a change in the machine's load
   * between the two is less likely than between whole classes.
   *
   * @param benchmarkClass the class holding the benchmark
   * @param method the method's name, or null for every method
   * @param params {@code @Param} values, crossed
   * @param s the settings
   * @return one measurement per configuration
   * @throws RunnerException if JMH fails, including when a benchmark throws
   * @throws IOException if the log cannot be written
   */
  public List<Measurement> run(Class<?> benchmarkClass, @Nullable String method, Map<String, List<String>> params,
      JmhSettings s) throws RunnerException, IOException {
    String include = "^" + Pattern.quote(benchmarkClass.getName()) + "\\."
        + (method == null ? "" : Pattern.quote(method) + "$");
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(include)
        .forks(s.forks())
        .warmupIterations(s.warmupIterations())
        .warmupTime(TimeValue.milliseconds(s.warmupMillis()))
        .measurementIterations(s.measurementIterations())
        .measurementTime(TimeValue.milliseconds(s.measurementMillis()))
        .timeUnit(TimeUnit.MICROSECONDS)
        .jvmArgs(s.jvmArgs().toArray(new String[0]))
        // No forced GC between iterations: JMH's full collections cost seconds per configuration, which the quick
        // budget cannot pay; the median absorbs the odd collection inside an iteration.
        .shouldDoGC(false)
        .shouldFailOnError(true);
    params.forEach((key, values) -> options.param(key, values.toArray(new String[0])));
    String what = benchmarkClass.getSimpleName() + (method == null ? "" : "." + method);
    context.log("  jmh " + what + " " + params + " (" + s.warmupIterations() + "x"
        + s.warmupMillis() + " ms warm-up, " + s.measurementIterations() + "x" + s.measurementMillis() + " ms)");
    context.sampleLoad("before " + what + " " + params);
    Collection<RunResult> results;
    try (PrintStream out = new PrintStream(new FileOutputStream(logFile.toFile(), true), true,
        StandardCharsets.UTF_8)) {
      results = new Runner(options.build(), OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL)).run();
    }
    List<Measurement> measurements = new ArrayList<>();
    for (RunResult result : results) {
      BenchmarkParams p = result.getParams();
      Map<String, String> values = new TreeMap<>();
      for (String key : p.getParamsKeys()) {
        values.put(key, p.getParam(key));
      }
      List<Double> scores = new ArrayList<>();
      for (BenchmarkResult fork : result.getBenchmarkResults()) {
        for (IterationResult iteration : fork.getIterationResults()) {
          scores.add(iteration.getPrimaryResult().getScore());
        }
      }
      String benchmark = p.getBenchmark();
      String simple = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      Map<String, Double> percentiles = new LinkedHashMap<>();
      long samples = 0;
      if (p.getMode() == Mode.SampleTime) {
        // Every sampled operation of every measured iteration and fork, merged by JMH into one histogram.
        Statistics all = result.getPrimaryResult().getStatistics();
        samples = all.getN();
        percentiles.put("p50", all.getPercentile(50));
        percentiles.put("p90", all.getPercentile(90));
        percentiles.put("p99", all.getPercentile(99));
        percentiles.put("p99.9", all.getPercentile(99.9));
        percentiles.put("max", all.getMax());
      }
      measurements.add(new Measurement(simple, values, result.getPrimaryResult().getScoreUnit(), scores, percentiles,
          samples));
    }
    return measurements;
  }

  /**
   * Builds a parameter map in declaration order: {@code params("shape", List.of("chain"), "size", List.of("10"))}.
   *
   * @param keyValues alternating keys ({@code String}) and value lists ({@code List<String>})
   * @return the map
   */
  public static Map<String, List<String>> params(Object... keyValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      List<String> values = new ArrayList<>();
      for (Object v : (List<?>) keyValues[i + 1]) {
        values.add(String.valueOf(v));
      }
      map.put((String) keyValues[i], values);
    }
    return map;
  }

  /**
   * Finds the one measurement whose parameters match.
   *
   * @param measurements the measurements to search
   * @param keyValues alternating parameter keys and values
   * @return the measurement
   * @throws IllegalStateException if none or several match
   */
  public static Measurement find(List<Measurement> measurements, String... keyValues) {
    List<Measurement> found = measurements.stream().filter(m -> m.matches(keyValues)).toList();
    if (found.size() != 1) {
      throw new IllegalStateException(found.size() + " measurements match " + List.of(keyValues) + " among "
          + measurements.stream().map(Measurement::params).toList());
    }
    return found.get(0);
  }
}
