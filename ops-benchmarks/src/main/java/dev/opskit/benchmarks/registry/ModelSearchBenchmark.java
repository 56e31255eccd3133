package dev.opskit.benchmarks.registry;

import dev.opskit.Page;
import dev.opskit.benchmarks.States;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.RegisteredModel;
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
 * A model search ({@code searchModels()}) over the {@link #models} models of the cached search workspace
 * ({@link SearchCache}), on H2 or PostgreSQL ({@link #store}), 20 a page; each call moves its value or its offset so
 * that no call repeats the one before it (H2 hands back the previous result of an identical query on an unchanged
 * database). Sample-time mode, for the percentiles. The workspace comes from the same system properties as
 * {@link SearchBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class ModelSearchBenchmark {
  /**
   * The form: {@code name-like} ({@code name like 'm-0<d>%'}, by name), {@code name-ilike} ({@code name ilike
   * 'M-0<d>%'}), {@code tag} ({@code tags.team = 'risk' and tags.region = 'eu'}), {@code description}
   * ({@code description like '% of churn'}), {@code updated} ({@code tags.team = 'risk'}, by last update, newest
   * first) and {@code created} ({@code tags.region = 'eu'}, by creation, newest first).
   */
  @Param({"name-like"})
  public String form = "name-like";

  /** {@code h2} or {@code pg}. */
  @Param({"h2"})
  public String store = "h2";

  /** How many versions the workspace holds: names the cached workspace. */
  @Param({"100000"})
  public int versions = 100_000;

  /** How many models the workspace holds besides {@code churn}: checked. */
  @Param({"10000"})
  public int models = 10_000;

  /** The workspace directory, when not from the system properties; set by tests. */
  @Nullable Path directory;

  private SearchCache.@Nullable Opened opened;
  private int next;

  /** Opens the workspace and checks that it holds the expected models. */
  @Setup(Level.Trial)
  public void open() {
    opened = SearchBenchmark.openCache(directory, store, versions);
    long count = opened.registry().searchModels().filter("name like 'm-%'").count();
    if (count != models) {
      throw new IllegalStateException(opened.workspace() + " holds " + count + " models, not " + models);
    }
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
   * @return the page of models
   */
  @Benchmark
  public Page<RegisteredModel> search() {
    int step = next++ % 97;
    ModelRegistry r = States.require(opened).registry();
    int offset = step % 10;
    return switch (form) {
      case "name-like" -> r.searchModels().filter("name like 'm-0" + step % 10 + "%'").offset(step / 10).limit(20)
          .list();
      case "name-ilike" -> r.searchModels().filter("name ilike 'M-0" + step % 10 + "%'").offset(step / 10)
          .limit(20).list();
      case "tag" -> r.searchModels().filter("tags.team = 'risk' and tags.region = 'eu'").offset(offset).limit(20)
          .list();
      case "description" -> r.searchModels().filter("description like '% of churn'").offset(offset).limit(20).list();
      case "updated" -> r.searchModels().filter("tags.team = 'risk'").orderByUpdated(false).offset(offset).limit(20)
          .list();
      case "created" -> r.searchModels().filter("tags.region = 'eu'").orderByCreated(false).offset(offset).limit(20)
          .list();
      default -> throw new IllegalStateException("unknown model search form '" + form + "'; the forms are " + FORMS);
    };
  }

  /** The forms, in the order the suite reports them. */
  static final java.util.List<String> FORMS = java.util.List.of("name-like", "name-ilike", "tag", "description",
      "updated", "created");
}
