package dev.opskit.benchmarks.registry;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.benchmarks.States;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
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
 * A filtered, ordered, limited registry search on a local workspace holding {@link #versions} versions of
 * {@code churn} ({@link SearchCache}): {@code search().model("churn").filter("metrics.auc > 0.8")
 * .orderByMetric("auc", false).limit(20).list()}, which matches about 40% of the versions and returns the 20 best;
 * each call moves the threshold a little (0.800, 0.801, ... 0.896) so that no call repeats the one before it.
 * Other filter forms ({@link #form}) measure {@code in}, {@code like}, {@code !=} and stage lists on the same data.
 * Sample-time mode, for the percentiles. The workspace directory comes from the system property
 * {@value #WORKSPACE_PROPERTY}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SearchBenchmark {
  /** The system property naming the workspace directory to search. */
  public static final String WORKSPACE_PROPERTY = "opskit.bench.search";

  /**
   * The filter form: {@code metric} ({@code model("churn").filter("metrics.auc > t")}, ordered by the metric, the
   * figure {@code registry.search.100k}), {@code in} ({@code version in (...)} with five numbers, and the metric
   * threshold), {@code like} ({@code model like 'chur%' and metrics.auc > t}, over every model's versions),
   * {@code stage-in} ({@code stage in ('NONE', 'STAGING') and metrics.auc > t}) and {@code not-equal}
   * ({@code stage != 'ARCHIVED' and metrics.auc > t}); each ordered by the metric, descending, 20 a page.
   */
  @Param({"metric"})
  public String form = "metric";

  /** How many versions the workspace holds: names the configuration, and is checked. */
  @Param({"100000"})
  public int versions = 100_000;

  /** The workspace directory, when not from {@value #WORKSPACE_PROPERTY}; set by tests. */
  @Nullable Path directory;

  private @Nullable Workspace workspace;
  private @Nullable ModelRegistry registry;

  /** Opens the workspace and checks that it holds the expected versions. */
  @Setup(Level.Trial)
  public void open() {
    Path dir = directory;
    if (dir == null) {
      String property = System.getProperty(WORKSPACE_PROPERTY);
      if (property == null) {
        throw new IllegalStateException("set -D" + WORKSPACE_PROPERTY + " to the workspace to search");
      }
      dir = Path.of(property);
    }
    workspace = Workspace.local(dir);
    registry = ModelRegistry.in(workspace);
    long count = registry.search().model(ChurnModel.MODEL).count();
    if (count != versions) {
      throw new IllegalStateException(dir + " holds " + count + " versions of " + ChurnModel.MODEL + ", not "
          + versions);
    }
  }

  /** Closes the workspace. */
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
  }

  /**
   * Searches.
   *
   * @return the page of versions
   */
  @Benchmark
  public Page<ModelVersion> search() {
    // A threshold that changes with every call, from 0.8 up to 0.8 + 0.001 * (THRESHOLDS - 1): H2 hands back the
    // previous result of an identical query on an unchanged database without running it, which would measure that
    // cache rather than the search.
    int step = next++ % THRESHOLDS;
    String threshold = "metrics.auc > " + (0.8 + step * 0.001);
    ModelRegistry r = States.require(registry);
    return switch (form) {
      case "metric" -> r.search().model(ChurnModel.MODEL).filter(threshold).orderByMetric("auc", false).limit(20)
          .list();
      case "in" -> r.search().model(ChurnModel.MODEL).filter("version in (" + (step + 1) + ", " + (step * 7 + 2)
          + ", " + (step * 13 + 3) + ", " + (step * 101 + 4) + ", " + (step * 997 + 5) + ") and " + threshold)
          .orderByMetric("auc", false).limit(20).list();
      case "like" -> r.search().filter("model like 'chur%' and " + threshold).orderByMetric("auc", false).limit(20)
          .list();
      case "stage-in" -> r.search().filter("stage in ('NONE', 'STAGING') and " + threshold)
          .orderByMetric("auc", false).limit(20).list();
      case "not-equal" -> r.search().filter("stage != 'ARCHIVED' and " + threshold).orderByMetric("auc", false)
          .limit(20).list();
      default -> throw new IllegalStateException("unknown search form '" + form + "'; the forms are " + FORMS);
    };
  }

  /** The filter forms, in the order the suite reports them. */
  static final java.util.List<String> FORMS = java.util.List.of("metric", "in", "like", "stage-in", "not-equal");

  /** How many distinct thresholds the search cycles through. */
  static final int THRESHOLDS = 97;

  private int next;
}
