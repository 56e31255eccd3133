package dev.opskit.benchmarks.engine;

import dev.opskit.Workspace;
import dev.opskit.WorkspaceBuilder;
import dev.opskit.core.metrics.OpsMetrics;
import dev.opskit.run.Executor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One run of an opskit pipeline of a given shape and size, on the direct executor or on {@code parallel(2)}.
 *
 * <p>The pipeline is built once per trial, and so are the meter registry and the {@code OpsMetrics} listener of the
 * metrics variant, as a host keeps one registry and attaches one listener for its lifetime. The metrics variant runs
 * the pipeline once in that setup, so that its meters (two per step: 20,000 for 10,000 steps) are registered before
 * the warm-up, as the pipeline is built before it: in a host they exist from earlier runs, and registering them is a
 * cost of the first run, not of each step. Each invocation gets a
 * fresh in-memory workspace, opened and closed outside the measured method: a workspace keeps the report of every run
 * it made, and sharing one would grow the heap from one invocation to the next.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class OpskitRunBenchmark {
  /** {@code chain} or {@code fanout}. */
  @Param({Shapes.CHAIN, Shapes.FANOUT})
  public String shape = Shapes.CHAIN;

  /** {@code direct} or {@code parallel2}. */
  @Param({"direct", "parallel2"})
  public String executor = "direct";

  /** The chain length or fan-out width. */
  @Param({"10000"})
  public int size = 10_000;

  /** {@code off}, or {@code on} to attach the Micrometer adapter {@link OpsMetrics} to a simple registry. */
  @Param({"off"})
  public String metrics = "off";

  /**
   * {@code off}: opskit logs at WARN, as {@code logback.xml} sets it; {@code info}: the {@code dev.opskit} loggers at
   * INFO through a Logback pattern encoder (with the MDC keys) into a stream that discards the bytes, so formatting
   * is paid for and the disk is not.
   */
  @Param({"off"})
  public String logging = "off";

  private Shapes.@Nullable Built built;
  private @Nullable Executor runOn;
  private @Nullable SimpleMeterRegistry registry;
  private @Nullable OpsMetrics opsMetrics;
  private @Nullable Workspace workspace;

  /** Builds the pipeline and the executor. */
  @Setup(Level.Trial)
  public void setUp() {
    built = Shapes.opskit(shape, size);
    runOn = switch (executor) {
      case "direct" -> Executor.direct();
      case "parallel2" -> Executor.parallel(2);
      default -> throw new IllegalArgumentException("unknown executor '" + executor + "'; use direct or parallel2");
    };
    registry = metrics.equals("on") ? new SimpleMeterRegistry() : null;
    opsMetrics = registry != null ? OpsMetrics.of(registry) : null;
    if (opsMetrics != null) {
      try (Workspace ws = Workspace.builder().listener(opsMetrics).openInMemory()) {
        ws.runner().plan(Setups.require(built).pipeline()).executor(Setups.require(runOn)).run();
      }
    }
    switch (logging) {
      case "off" -> { }
      case "info" -> LogbackSetup.opskitAtInfoDiscarded();
      default -> throw new IllegalArgumentException("unknown logging '" + logging + "'; use off or info");
    }
  }

  /** Opens a fresh workspace. */
  @Setup(Level.Invocation)
  public void openWorkspace() {
    WorkspaceBuilder b = Workspace.builder();
    if (opsMetrics != null) {
      b.listener(opsMetrics);
    }
    workspace = b.openInMemory();
  }

  /** Closes the invocation's workspace. */
  @TearDown(Level.Invocation)
  public void closeWorkspace() {
    if (workspace != null) {
      workspace.close();
      workspace = null;
    }
  }

  /** Releases the executor's threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (runOn != null) {
      runOn.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /**
   * Runs the pipeline once.
   *
   * @param bh consumes the result
   */
  @Benchmark
  public void run(Blackhole bh) {
    bh.consume(runOnce());
  }

  /** The measured work: one run, returning the result of the last step. */
  int runOnce() {
    Shapes.Built b = Setups.require(built);
    Executor e = Setups.require(runOn);
    return Setups.require(workspace).runner().plan(b.pipeline()).executor(e).run().output(b.result());
  }
}
