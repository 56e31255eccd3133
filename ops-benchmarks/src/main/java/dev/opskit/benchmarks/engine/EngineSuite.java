package dev.opskit.benchmarks.engine;

import static dev.opskit.benchmarks.Jmh.find;
import static dev.opskit.benchmarks.Jmh.params;

import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.Jmh;
import dev.opskit.benchmarks.JmhSettings;
import dev.opskit.benchmarks.Measurement;
import dev.opskit.benchmarks.Suite;
import dev.opskit.benchmarks.SuiteContext;
import dev.opskit.benchmarks.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code engine} suite. Every figure and its baseline are measured in the same run:
 *
 * <ul>
 *   <li>{@code engine.overhead.<shape>.10k.<executor>}: µs per step of a 10,000-step chain and a 10,000-wide
 *       fan-out/fan-in on {@code direct} and {@code parallel(2)}, against a bare {@code CompletableFuture} DAG of the
 *       same shape on two threads; target: ratio at most 5.
 *   <li>{@code engine.overhead.<shape>.10k.<executor>.metrics}: the same with the Micrometer adapter {@code OpsMetrics}
 *       recording into a {@code SimpleMeterRegistry}, against the same run without it; target: ratio at most 2.
 *   <li>{@code engine.overhead.chain.10k.direct.logging}: the chain on {@code direct} with opskit's loggers at INFO
 *       through Logback (pattern with the MDC keys, bytes discarded), against the same run logged at WARN; target:
 *       ratio at most 1.1.
 *   <li>{@code engine.flatness.chain.direct}: µs per step of a 100,000-step chain against a 1,000-step chain; target:
 *       ratio at most 1.5.
 *   <li>{@code engine.build.100k.time} and {@code engine.build.100k.peak-heap}: building and validating a 100,000-step
 *       pipeline; targets: under 1,000 ms and under 256 MB (the baseline is the budget).
 *   <li>{@code engine.plan.10k.time}: {@code explain()} of a 10,000-step chain of versioned datasets that all ran
 *       before, so every step is fingerprinted and found in the cache; target: under 200 ms (the baseline is the
 *       budget). The details give the same plan over datasets without codec.
 *   <li>{@code engine.peers.<shape>.1k.vs-<peer>}: opskit's µs per step against Dexecutor's and Spring Batch's at 1,000
 *       steps, each peer against the opskit executor that runs steps the way it does; target: ratio below 1.
 * </ul>
 */
public final class EngineSuite implements Suite {
  static final int OVERHEAD_SIZE = 10_000;
  static final int FLAT_SMALL = 1_000;
  static final int FLAT_LARGE = 100_000;
  static final int BUILD_SIZE = 100_000;
  static final int PEER_SIZE = 1_000;
  static final long BUILD_MILLIS_BUDGET = 1_000;
  static final long BUILD_HEAP_MB_BUDGET = 256;
  static final int PLAN_SIZE = 10_000;
  static final long PLAN_MILLIS_BUDGET = 200;

  private static final String US_PER_STEP = "us/step";
  static final Pattern HEAP_LINE = Pattern.compile(
      "HEAP peak=(\\d+) afterGc=(\\d+) retained=(-?\\d+) allocated=(\\d+) idle=(\\d+) millis=([0-9.]+) max=(\\d+)");

  @Override
  public String name() {
    return "engine";
  }

  @Override
  public String description() {
    return "per-step orchestration overhead, flatness, build cost and peers of the pipeline engine";
  }

  @Override
  public List<Figure> run(SuiteContext context) throws Exception {
    Jmh jmh = new Jmh(context, name());
    context.log("  JMH report: " + jmh.logFile());
    List<String> shapes = List.of(Shapes.CHAIN, Shapes.FANOUT);
    List<String> executors = List.of("direct", "parallel2");

    List<Measurement> baseline = jmh.run(CompletableFutureBenchmark.class,
        params("shape", shapes, "size", List.of(OVERHEAD_SIZE)));
    // The 10,000-step runs take 4-12 ms each, and five warm-up iterations of 500 ms left them still getting faster
    // through all ten measured ones (fanout, direct, no metrics: 7.05 ms in the first, 3.73 in the last): fifteen.
    JmhSettings longWarmup = context.quick() ? context.jmh() : context.jmh().withIterations(15, 500, 10, 500);
    List<Measurement> overhead = jmh.run(OpskitRunBenchmark.class, params("shape", shapes, "executor", executors,
        "size", List.of(OVERHEAD_SIZE), "metrics", List.of("off", "on")), longWarmup);
    List<Measurement> flatSmall = jmh.run(OpskitRunBenchmark.class, params("shape", List.of(Shapes.CHAIN),
        "executor", List.of("direct"), "size", List.of(FLAT_SMALL), "metrics", List.of("off")));
    List<Measurement> flatLarge = jmh.run(OpskitRunBenchmark.class, params("shape", List.of(Shapes.CHAIN),
        "executor", List.of("direct"), "size", List.of(FLAT_LARGE), "metrics", List.of("off")), context.jmh().slow());
    List<Measurement> opskitAtPeerSize = jmh.run(OpskitRunBenchmark.class, params("shape", shapes,
        "executor", List.of("parallel2"), "size", List.of(PEER_SIZE), "metrics", List.of("off")));
    List<Measurement> dexecutor = jmh.run(DexecutorBenchmark.class,
        params("shape", shapes, "size", List.of(PEER_SIZE)));
    List<Measurement> springBatch = jmh.run(SpringBatchBenchmark.class,
        params("shape", shapes, "size", List.of(PEER_SIZE)));
    List<Measurement> build = jmh.run(BuildBenchmark.class, params("size", List.of(BUILD_SIZE)), context.jmh().slow());
    List<Measurement> plan = jmh.run(PlanBenchmark.class, params("datasets", List.of("versioned", "memory"),
        "size", List.of(PLAN_SIZE)), context.jmh().slow());
    context.log("  heap probe: " + BUILD_SIZE + "-step build in a JVM with -Xmx" + BUILD_HEAP_MB_BUDGET + "m");
    HeapProbe heap = probeHeap(context);

    List<Measurement> logged = jmh.run(OpskitRunBenchmark.class, params("shape", List.of(Shapes.CHAIN),
        "executor", List.of("direct"), "size", List.of(OVERHEAD_SIZE), "metrics", List.of("off"),
        "logging", List.of("info")), longWarmup);

    List<Figure> figures = new ArrayList<>();
    for (String shape : shapes) {
      Measurement cf = find(baseline, "shape", shape);
      for (String executor : executors) {
        Measurement m = find(overhead, "shape", shape, "executor", executor, "metrics", "off");
        figures.add(perStepFigure("engine.overhead." + shape + ".10k." + executor, m, shape, OVERHEAD_SIZE, cf,
            shape, OVERHEAD_SIZE, "bare CompletableFuture " + shape + " of the same size on a fixed 2-thread pool",
            Target.ratioAtMost(5)));
      }
    }
    for (String shape : shapes) {
      for (String executor : executors) {
        Measurement off = find(overhead, "shape", shape, "executor", executor, "metrics", "off");
        Measurement on = find(overhead, "shape", shape, "executor", executor, "metrics", "on");
        figures.add(perStepFigure("engine.overhead." + shape + ".10k." + executor + ".metrics", on, shape,
            OVERHEAD_SIZE, off, shape, OVERHEAD_SIZE, "the same run without metrics (engine.overhead." + shape
                + ".10k." + executor + ")", Target.ratioAtMost(2)));
      }
    }
    Measurement chainDirectOff = find(overhead, "shape", Shapes.CHAIN, "executor", "direct", "metrics", "off");
    figures.add(perStepFigure("engine.overhead.chain.10k.direct.logging", logged.get(0), Shapes.CHAIN,
        OVERHEAD_SIZE, chainDirectOff, Shapes.CHAIN, OVERHEAD_SIZE,
        "the same run with opskit logging at WARN (engine.overhead.chain.10k.direct)", Target.ratioAtMost(1.1)));

    Measurement small = find(flatSmall, "size", String.valueOf(FLAT_SMALL));
    Measurement large = find(flatLarge, "size", String.valueOf(FLAT_LARGE));
    figures.add(perStepFigure("engine.flatness.chain.direct", large, Shapes.CHAIN, FLAT_LARGE, small, Shapes.CHAIN,
        FLAT_SMALL, "opskit 1,000-step chain on direct, per step", Target.ratioAtMost(1.5)));

    Measurement b = build.get(0);
    Map<String, Object> buildDetails = new LinkedHashMap<>();
    buildDetails.put("steps", BUILD_SIZE);
    buildDetails.put("iterationsMillis", b.iterations().stream().map(x -> toMillis(b, x)).toList());
    buildDetails.put("heapProbeFastestMillis", heap.millis);
    figures.add(new Figure("engine.build.100k.time", toMillis(b, b.median()), "ms", BUILD_MILLIS_BUDGET,
        "budget: 1 s", Target.valueBelow(BUILD_MILLIS_BUDGET), buildDetails));

    Measurement planned = find(plan, "datasets", "versioned");
    Measurement plannedInMemory = find(plan, "datasets", "memory");
    Map<String, Object> planDetails = new LinkedHashMap<>();
    planDetails.put("steps", PLAN_SIZE);
    planDetails.put("iterationsMillis", planned.iterations().stream().map(x -> toMillis(planned, x)).toList());
    planDetails.put("withoutCodecMedianMillis", toMillis(plannedInMemory, plannedInMemory.median()));
    figures.add(new Figure("engine.plan.10k.time", toMillis(planned, planned.median()), "ms", PLAN_MILLIS_BUDGET,
        "budget: 200 ms", Target.valueBelow(PLAN_MILLIS_BUDGET), planDetails));

    Map<String, Object> heapDetails = new LinkedHashMap<>();
    heapDetails.put("method", "forked JVM, -Xms256m -Xmx256m, G1; sum of heap pools' peak usage after a reset, "
        + "garbage and idle heap included; a build that does not fit fails with OutOfMemoryError");
    heapDetails.put("completedIn256m", heap.completed);
    heapDetails.put("maxLiveAfterAnyGcMB", mb(heap.afterGc));
    heapDetails.put("retainedByPipelineMB", mb(heap.retained));
    heapDetails.put("allocatedPerBuildMB", mb(heap.allocated));
    heapDetails.put("idleHeapBeforeBuildMB", mb(heap.idle));
    heapDetails.put("maxHeapMB", mb(heap.max));
    if (!heap.problem.isEmpty()) {
      heapDetails.put("problem", heap.problem);
    }
    figures.add(new Figure("engine.build.100k.peak-heap", heap.completed ? mb(heap.peak) : Double.NaN, "MB",
        BUILD_HEAP_MB_BUDGET, "budget: 256 MB", Target.valueBelow(BUILD_HEAP_MB_BUDGET), heapDetails));

    Measurement chainDirect1k = small;
    Measurement chainParallel1k = find(opskitAtPeerSize, "shape", Shapes.CHAIN);
    Measurement fanoutParallel1k = find(opskitAtPeerSize, "shape", Shapes.FANOUT);
    figures.add(perStepFigure("engine.peers.chain.1k.vs-dexecutor", chainParallel1k, Shapes.CHAIN, PEER_SIZE,
        find(dexecutor, "shape", Shapes.CHAIN), Shapes.CHAIN, PEER_SIZE,
        "Dexecutor chain of 1,000 on a fixed 2-thread pool (opskit on parallel(2))", Target.ratioBelow(1)));
    figures.add(perStepFigure("engine.peers.fanout.1k.vs-dexecutor", fanoutParallel1k, Shapes.FANOUT, PEER_SIZE,
        find(dexecutor, "shape", Shapes.FANOUT), Shapes.FANOUT, PEER_SIZE,
        "Dexecutor fan-out of 1,000 on a fixed 2-thread pool (opskit on parallel(2))", Target.ratioBelow(1)));
    figures.add(perStepFigure("engine.peers.chain.1k.vs-springbatch", chainDirect1k, Shapes.CHAIN, PEER_SIZE,
        find(springBatch, "shape", Shapes.CHAIN), Shapes.CHAIN, PEER_SIZE,
        "Spring Batch job of 1,000 tasklet steps on the launching thread (opskit on direct)", Target.ratioBelow(1)));
    figures.add(perStepFigure("engine.peers.fanout.1k.vs-springbatch", fanoutParallel1k, Shapes.FANOUT, PEER_SIZE,
        find(springBatch, "shape", Shapes.FANOUT), Shapes.FANOUT, PEER_SIZE,
        "Spring Batch split of 1,000 one-step flows on a 2-thread executor (opskit on parallel(2))",
        Target.ratioBelow(1)));
    return figures;
  }

  /** A figure comparing two measurements per step: value from {@code m}, baseline from {@code base}. */
  private static Figure perStepFigure(String name, Measurement m, String shape, int size, Measurement base,
      String baseShape, int baseSize, String baselineOf, @Nullable Target target) {
    int steps = Shapes.steps(shape, size);
    int baseSteps = Shapes.steps(baseShape, baseSize);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("benchmark", m.benchmark() + " " + m.params());
    details.put("steps", steps);
    details.put("medianMicrosPerRun", toMicros(m, m.median()));
    details.put("iterations", m.iterations().size());
    details.put("minMaxMicrosPerStep", List.of(toMicros(m, m.min()) / steps, toMicros(m, m.max()) / steps));
    details.put("baselineBenchmark", base.benchmark() + " " + base.params());
    details.put("baselineSteps", baseSteps);
    details.put("baselineMedianMicrosPerRun", toMicros(base, base.median()));
    details.put("baselineIterations", base.iterations().size());
    details.put("baselineMinMaxMicrosPerStep",
        List.of(toMicros(base, base.min()) / baseSteps, toMicros(base, base.max()) / baseSteps));
    return new Figure(name, toMicros(m, m.median()) / steps, US_PER_STEP, toMicros(base, base.median()) / baseSteps,
        baselineOf, target, details);
  }

  private static double toMicros(Measurement m, double score) {
    return score * TimeUnit.NANOSECONDS.convert(1, unitOf(m)) / 1_000.0;
  }

  private static double toMillis(Measurement m, double score) {
    return toMicros(m, score) / 1_000.0;
  }

  private static TimeUnit unitOf(Measurement m) {
    return switch (m.unit()) {
      case "ns/op" -> TimeUnit.NANOSECONDS;
      case "us/op" -> TimeUnit.MICROSECONDS;
      case "ms/op" -> TimeUnit.MILLISECONDS;
      case "s/op" -> TimeUnit.SECONDS;
      default -> throw new IllegalStateException("unexpected score unit " + m.unit() + " of " + m.benchmark());
    };
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  /** What {@link BuildHeapProbe} reported, or why it could not. */
  private static final class HeapProbe {
    boolean completed;
    long peak;
    long afterGc;
    long retained;
    long allocated;
    long idle;
    long max;
    double millis = Double.NaN;
    String problem = "";
  }

  private static HeapProbe probeHeap(SuiteContext context) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(java.toString(), "-Xms" + BUILD_HEAP_MB_BUDGET + "m",
        "-Xmx" + BUILD_HEAP_MB_BUDGET + "m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
        BuildHeapProbe.class.getName(), String.valueOf(BUILD_SIZE), context.quick() ? "0" : "2",
        context.quick() ? "1" : "5");
    Path log = context.outputDirectory().resolve("bench-engine-heap.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HeapProbe result = new HeapProbe();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      result.problem = "the heap probe did not finish in 120 s";
      context.note(result.problem);
      return result;
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Matcher m = HEAP_LINE.matcher(output);
    if (process.exitValue() != 0 || !m.find()) {
      result.problem = "the heap probe failed (exit " + process.exitValue() + "): " + output.strip();
      context.note(result.problem);
      return result;
    }
    result.completed = true;
    result.peak = Long.parseLong(m.group(1));
    result.afterGc = Long.parseLong(m.group(2));
    result.retained = Long.parseLong(m.group(3));
    result.allocated = Long.parseLong(m.group(4));
    result.idle = Long.parseLong(m.group(5));
    result.millis = Double.parseDouble(m.group(6));
    result.max = Long.parseLong(m.group(7));
    return result;
  }
}
