package dev.opskit.benchmarks.registry;

import dev.opskit.Workspace;
import dev.opskit.benchmarks.States;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.serving.LiveModel;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a serving path pays to get its model: {@link #live()} calls {@code LiveModel.get()} on a handle following the
 * production stage of an in-memory registry; its baseline {@link #volatileRead()} reads the same model from a plain
 * volatile field. Average time, in nanoseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class LiveModelBenchmark {
  private @Nullable Workspace workspace;
  private @Nullable ModelRegistry registry;
  private @Nullable LiveModel<ChurnModel> handle;
  private volatile @Nullable ChurnModel served;

  /** Registers and promotes a version, and opens a live handle on production. */
  @Setup(Level.Trial)
  public void open() {
    workspace = Workspace.inMemory();
    registry = ModelRegistry.in(workspace);
    ModelVersion v = registry.registration(ChurnModel.MODEL, ChurnModel.ARTIFACT, ChurnModel.CODEC)
        .provenance(ChurnModel.provenance(1)).by(RegistryBenchmark.CI).register();
    registry.promote(ChurnModel.MODEL, v.number()).to(Stage.PRODUCTION).as(RegistryBenchmark.CI).execute();
    handle = registry.live(ChurnModel.MODEL, Stage.PRODUCTION, ChurnModel.CODEC);
    served = handle.get();
  }

  /** Closes the handle, the registry and the workspace. */
  @TearDown(Level.Trial)
  public void close() {
    if (handle != null) {
      handle.close();
      handle = null;
    }
    if (registry != null) {
      registry.close();
      registry = null;
    }
    if (workspace != null) {
      workspace.close();
      workspace = null;
    }
  }

  /**
   * Gets the serving model from the live handle.
   *
   * @return the model
   */
  @Benchmark
  public ChurnModel live() {
    return States.require(handle).get();
  }

  /**
   * Reads the same model from a volatile field.
   *
   * @return the model
   */
  @Benchmark
  public @Nullable ChurnModel volatileRead() {
    return served;
  }
}
