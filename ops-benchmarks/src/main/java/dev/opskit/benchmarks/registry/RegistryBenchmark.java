package dev.opskit.benchmarks.registry;

import dev.opskit.Workspace;
import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.benchmarks.States;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.PromotionReport;
import java.nio.file.Path;
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

/**
 * One registry operation through the public API, on a local workspace ({@code h2}: embedded H2 and local blobs, the
 * default) or on PostgreSQL ({@code pg}: {@code Workspace.postgres} over a HikariCP pool in a schema of its own, blobs
 * in a local directory). Sample-time mode gives the latency percentiles and, one thread, the throughput.
 *
 * <ul>
 *   <li>{@link #register()}: registers a new version of {@code churn} with a small JSON artifact and an {@code auc}
 *       metric: the number is taken and the version recorded in one transaction, the artifact stored as a blob, and
 *       the outcome recorded with its audit record in a second transaction.
 *   <li>{@link #promote()}: promotes a version to {@code PRODUCTION}, alternating between two READY versions, so that
 *       every promotion after the first archives the other: the stage moves, the incumbent is archived and the audit
 *       record appended in one transaction, after a snapshot read for the (default, empty) gates.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class RegistryBenchmark {
  static final Actor CI = Actor.of("ci");

  /** {@code h2} or {@code pg} (needs {@value PostgresSchema#URL_VARIABLE}). */
  @Param({"h2", "pg"})
  public String store = "h2";

  private @Nullable Workspace workspace;
  private @Nullable ModelRegistry registry;
  private @Nullable Path directory;
  private @Nullable PostgresSchema postgres;
  private long registered;
  private int promoted;

  /** Opens the workspace and registers the two versions the promotions move. */
  @Setup(Level.Trial)
  public void open() {
    directory = BenchFiles.forkDirectory("registry-" + store);
    workspace = switch (store) {
      case "h2" -> Workspace.local(directory);
      case "pg" -> {
        postgres = PostgresSchema.create("bench_registry");
        yield Workspace.postgres(postgres.dataSource(), directory.resolve("blobs"));
      }
      default -> throw new IllegalArgumentException("unknown store '" + store + "'; use h2 or pg");
    };
    registry = ModelRegistry.in(workspace);
    register();
    register();
  }

  /** Closes everything and deletes what was written. */
  @TearDown(Level.Trial)
  public void close() {
    if (registry != null) {
      registry.close();
      registry = null;
    }
    if (workspace != null) {
      workspace.close();
      workspace = null;
    }
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
    if (directory != null) {
      BenchFiles.deleteQuietly(directory);
      directory = null;
    }
  }

  /**
   * Registers a new version.
   *
   * @return the version
   */
  @Benchmark
  public ModelVersion register() {
    long n = registered++;
    return States.require(registry).registration(ChurnModel.MODEL, ChurnModel.ARTIFACT, ChurnModel.CODEC)
        .provenance(ChurnModel.provenance(n)).by(CI).register();
  }

  /**
   * Promotes version 1 or 2, whichever is not in production, to production.
   *
   * @return the promotion's report
   */
  @Benchmark
  public PromotionReport promote() {
    int number = promoted++ % 2 + 1;
    return States.require(registry).promote(ChurnModel.MODEL, number).to(Stage.PRODUCTION).as(CI).execute();
  }
}
