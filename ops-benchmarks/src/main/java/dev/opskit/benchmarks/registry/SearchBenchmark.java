package dev.opskit.benchmarks.registry;

import dev.opskit.Page;
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
 * A filtered, ordered, limited registry search on a workspace holding {@link #versions} versions of {@code churn}
 * ({@link SearchCache}), on H2 or PostgreSQL ({@link #store}): {@code search().model("churn").filter("metrics.auc > 0.8")
 * .orderByMetric("auc", false).limit(20).list()}, which matches about 40% of the versions and returns the 20 best;
 * each call moves the threshold a little (0.800, 0.801, ... 0.896) so that no call repeats the one before it.
 * Other forms ({@link #form}) measure every comparison, every field and the orders on the same data. Sample-time mode,
 * for the percentiles. The workspace directory comes from the system property {@value #WORKSPACE_PROPERTY} (H2) or
 * {@value #POSTGRES_PROPERTY} (PostgreSQL's blobs; the metadata is the schema {@link SearchCache#schema}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SearchBenchmark {
  /** The system property naming the H2 workspace directory to search. */
  public static final String WORKSPACE_PROPERTY = "opskit.bench.search";

  /** The system property naming the PostgreSQL workspace's blob directory. */
  public static final String POSTGRES_PROPERTY = "opskit.bench.search.pg";

  /**
   * The form, each with the moving metric threshold {@code t} unless said, 20 a page:
   *
   * <ul>
   *   <li>{@code metric}: {@code model("churn").filter("metrics.auc > t")}, ordered by the metric descending (the
   *       figure {@code registry.search.100k});
   *   <li>{@code in}: {@code version in (...)} with five numbers, and t; {@code like}: {@code model like 'chur%'};
   *       {@code ilike}: {@code model ilike 'CHUR%'}; {@code stage-in}: {@code stage in ('NONE', 'STAGING')};
   *       {@code not-equal}: {@code stage != 'ARCHIVED'}; {@code tag}: {@code tags.team = 'risk'}; each with t and
   *       ordered by the metric descending;
   *   <li>{@code range}: {@code metrics.auc >= 0.6 and metrics.auc < 0.6 + d}, ascending;
   *   <li>{@code param}: {@code params.seed = '<n>'}; {@code run-id}: {@code run_id in ('run-<a>', 'run-<b>')};
   *       {@code alias}: {@code alias = 'champion'}: each a few versions, in the default order;
   *   <li>{@code default-order}: t, in the default order (last update, then name, then number descending);
   *       {@code multi-order}: t, {@code orderBy("metrics.auc desc", "created_at asc")}; {@code created}: t,
   *       {@code orderBy("created_at desc")}.
   * </ul>
   */
  @Param({"metric"})
  public String form = "metric";

  /** {@code h2} or {@code pg}. */
  @Param({"h2"})
  public String store = "h2";

  /** How many versions the workspace holds: names the configuration, and is checked. */
  @Param({"100000"})
  public int versions = 100_000;

  /** The workspace directory, when not from the system properties; set by tests. */
  @Nullable Path directory;

  private SearchCache.@Nullable Opened opened;

  /** Opens the workspace and checks that it holds the expected versions. */
  @Setup(Level.Trial)
  public void open() {
    opened = openCache(directory, store, versions);
    long count = opened.registry().search().model(ChurnModel.MODEL).count();
    if (count != versions) {
      throw new IllegalStateException(opened.workspace() + " holds " + count + " versions of " + ChurnModel.MODEL
          + ", not " + versions);
    }
  }

  /** Opens the cached workspace of a store, from a directory or the system properties. */
  static SearchCache.Opened openCache(@Nullable Path directory, String store, int versions) {
    Path dir = directory;
    String property = store.equals("pg") ? POSTGRES_PROPERTY : WORKSPACE_PROPERTY;
    if (dir == null) {
      String value = System.getProperty(property);
      if (value == null) {
        throw new IllegalStateException("set -D" + property + " to the workspace to search");
      }
      dir = Path.of(value);
    }
    return switch (store) {
      case "h2" -> SearchCache.open(dir, null);
      case "pg" -> SearchCache.open(dir, SearchCache.schema(versions));
      default -> throw new IllegalArgumentException("unknown store '" + store + "'; use h2 or pg");
    };
  }

  /** Closes the workspace. */
  @TearDown(Level.Trial)
  public void close() {
    if (opened != null) {
      opened.close();
      opened = null;
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
    ModelRegistry r = States.require(opened).registry();
    int a = 1 + step * 997 % versions;
    int b = 1 + (step * 7919 + versions / 2) % versions;
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
      case "ilike" -> r.search().filter("model ilike 'CHUR%' and " + threshold).orderByMetric("auc", false)
          .limit(20).list();
      case "tag" -> r.search().filter("tags.team = 'risk' and " + threshold).orderByMetric("auc", false).limit(20)
          .list();
      case "range" -> r.search().filter("metrics.auc >= 0.6 and metrics.auc < " + (0.6 + (step + 1) * 0.001))
          .orderByMetric("auc", true).limit(20).list();
      case "param" -> r.search().filter("params.seed = '" + a + "'").limit(20).list();
      case "run-id" -> r.search().filter("run_id in ('run-" + a + "', 'run-" + b + "')").limit(20).list();
      case "alias" -> r.search().filter("alias = 'champion'").offset(step % 2).limit(20).list();
      case "default-order" -> r.search().filter(threshold).limit(20).list();
      case "multi-order" -> r.search().filter(threshold).orderBy("metrics.auc desc", "created_at asc").limit(20)
          .list();
      case "created" -> r.search().filter(threshold).orderBy("created_at desc").limit(20).list();
      default -> throw new IllegalStateException("unknown search form '" + form + "'; the forms are " + FORMS);
    };
  }

  /** The filter forms, in the order the suite reports them. */
  static final java.util.List<String> FORMS = java.util.List.of("metric", "in", "like", "stage-in", "not-equal",
      "ilike", "tag", "range", "param", "run-id", "alias", "default-order", "multi-order", "created");

  /** How many distinct thresholds the search cycles through. */
  static final int THRESHOLDS = 97;

  private int next;
}
