package dev.opskit.benchmarks.soak;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.opskit.Workspace;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The registry's lookups at scale on PostgreSQL, against the same lookups in raw JDBC on a table of the same size.
 *
 * <p>opskit: {@code resolve} of {@code models:/<m>/latest}, {@code /production}, {@code @champion} and
 * {@code /<number>}; {@code versions(m, 50, 0)}; and {@code search().model(m).filter("metrics.auc > 0.8")
 * .orderByMetric("auc", false).limit(20).list()}, each on a workspace whose pool holds one connection (so every call
 * uses the same, warm connection, whose driver switches a statement to a server-side prepared one after 5 uses), called
 * {@value #WARM} times unmeasured and then {@value #CALLS} times (or until {@value #MAX_SECONDS} s have passed)
 * measured.
 *
 * <p>Raw JDBC: a table {@code bench_raw_versions(model, number, status, stage, auc, body)} with primary key
 * {@code (model, number)} and indexes on {@code (model, stage)} and {@code (model, auc)}, and
 * {@code bench_raw_aliases(model, alias, number)}, filled with {@code generate_series} to the same number of rows, in
 * the same schema; the same lookups as one prepared statement each on one connection of the same kind, warmed and
 * measured the same way: what a hand-written data-access layer would run for them.
 */
public final class ScaleProbe {
  static final int WARM = 20;
  static final int CALLS = 200;
  static final int MAX_SECONDS = 20;
  /** The lookups, in report order. */
  static final List<String> OPS = List.of("latest", "stage", "alias", "number", "versions", "search");

  private ScaleProbe() {}

  /** A lookup's percentiles. */
  record Timing(double p50Ms, double p99Ms, int calls) {}

  /** What one size measured: opskit's and raw JDBC's timing of each lookup. */
  record Sizes(int versions, Map<String, Timing> opskit, Map<String, Timing> raw) {}

  /**
   * Loads one model to each size in turn, through the public API ({@code registration(...).register()} on
   * {@code threads} threads), and measures every lookup at each size.
   *
   * @param sizes the sizes, increasing
   * @param threads the registering threads
   * @param blobs a blob directory
   * @param log where progress goes
   * @return one entry per size
   * @throws Exception if loading or a lookup fails
   */
  static List<Sizes> run(List<Integer> sizes, int threads, Path blobs, Consumer<String> log) throws Exception {
    List<Sizes> out = new ArrayList<>();
    try (PostgresSchema schema = PostgresSchema.create("scale");
        HikariDataSource loadPool = pool(schema.schema(), threads + 1);
        Workspace ws = Workspace.postgres(loadPool, blobs);
        ModelRegistry registry = ModelRegistry.in(ws)) {
      AtomicLong registered = new AtomicLong();
      ExecutorService exec = Executors.newFixedThreadPool(threads);
      try {
        for (int size : sizes) {
          long t0 = System.nanoTime();
          List<Callable<Void>> loaders = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            loaders.add(() -> {
              for (long n = registered.incrementAndGet(); n <= size; n = registered.incrementAndGet()) {
                register(registry, MODEL, n);
              }
              return null;
            });
          }
          for (Future<Void> f : exec.invokeAll(loaders)) {
            f.get();
          }
          registered.set(size);
          log.accept(String.format(java.util.Locale.ROOT, "  scale: %,d versions loaded (%.0f s for this step)", size,
              (System.nanoTime() - t0) / 1e9));
          out.add(measure(schema, registry, MODEL, size, blobs));
        }
      } finally {
        exec.shutdownNow();
      }
    }
    return out;
  }

  static final String MODEL = "scale";

  private static void register(ModelRegistry registry, String model, long n) {
    double f = n * 0.6180339887498949;
    double auc = 0.5 + (f - Math.floor(f)) / 2;
    registry.registration(model, new Workload.Weights(model, new double[] {auc, 1 - auc}, auc), Workload.CODEC)
        .provenance(Provenance.builder().metric("auc", auc).param("n", n).build()).by(Workload.ACTOR).register();
  }

  static HikariDataSource pool(String schema, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(PostgresSchema.configuredUrl().orElseThrow());
    config.setSchema(schema);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setPoolName("scale-" + schema + "-" + size);
    return new HikariDataSource(config);
  }

  /**
   * Measures every lookup on a model of {@code versions} versions: promotes version {@code versions / 2} to
   * production and points {@code champion} at {@code versions / 3} first, then fills the raw tables to the same size.
   *
   * @param schema the schema the workspace lives in
   * @param registry a registry on it, for the set-up
   * @param model the model
   * @param versions how many versions it has
   * @param blobs the blob directory
   * @return the timings
   * @throws Exception if a lookup fails
   */
  static Sizes measure(PostgresSchema schema, ModelRegistry registry, String model, int versions, Path blobs)
      throws Exception {
    int production = Math.max(1, versions / 2);
    int champion = Math.max(1, versions / 3);
    if (registry.version(model, production).stage() != Stage.PRODUCTION) {
      registry.promote(model, production).to(Stage.PRODUCTION).as(Workload.ACTOR).execute();
    }
    registry.setAlias(model, "champion", champion, Workload.ACTOR);
    Map<String, Timing> opskit = new LinkedHashMap<>();
    try (HikariDataSource one = pool(schema.schema(), 1); Workspace ws = Workspace.postgres(one, blobs);
        ModelRegistry r = ModelRegistry.in(ws)) {
      int number = Math.max(1, versions / 4);
      opskit.put("latest", time(() -> r.resolve("models:/" + model + "/latest")));
      opskit.put("stage", time(() -> r.resolve("models:/" + model + "/production")));
      opskit.put("alias", time(() -> r.resolve("models:/" + model + "@champion")));
      opskit.put("number", time(() -> r.resolve("models:/" + model + "/" + number)));
      opskit.put("versions", time(() -> r.versions(model, 50, 0)));
      opskit.put("search", time(() -> r.search().model(model).filter("metrics.auc > 0.8")
          .orderByMetric("auc", false).limit(20).list()));
    }
    Map<String, Timing> raw = new LinkedHashMap<>();
    try (HikariDataSource one = pool(schema.schema(), 1); Connection c = one.getConnection()) {
      fillRaw(c, model, versions, production, champion);
      int number = Math.max(1, versions / 4);
      raw.put("latest", timeSql(c, "SELECT number, body FROM bench_raw_versions WHERE model = ? AND status = 'READY' "
          + "ORDER BY number DESC LIMIT 1", model));
      raw.put("stage", timeSql(c, "SELECT number, body FROM bench_raw_versions WHERE model = ? AND stage = ?", model,
          "PRODUCTION"));
      raw.put("alias", timeSql(c, "SELECT v.number, v.body FROM bench_raw_aliases a JOIN bench_raw_versions v "
          + "ON v.model = a.model AND v.number = a.number WHERE a.model = ? AND a.alias = ?", model, "champion"));
      raw.put("number", timeSql(c, "SELECT number, body FROM bench_raw_versions WHERE model = ? AND number = ?", model,
          number));
      raw.put("versions", timeSql(c, "SELECT number, body FROM bench_raw_versions WHERE model = ? "
          + "ORDER BY number DESC LIMIT 50", model));
      raw.put("search", timeSql(c, "SELECT number, body FROM bench_raw_versions WHERE model = ? AND auc > ? "
          + "ORDER BY auc DESC LIMIT 20", model, 0.8));
    }
    return new Sizes(versions, opskit, raw);
  }

  /** Creates (or re-fills) the raw tables with {@code versions} rows, the same stage and alias as the workspace. */
  private static void fillRaw(Connection c, String model, int versions, int production, int champion)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS bench_raw_versions (model TEXT NOT NULL, number INT NOT NULL, "
          + "status TEXT NOT NULL, stage TEXT NOT NULL, auc DOUBLE PRECISION NOT NULL, body TEXT NOT NULL, "
          + "PRIMARY KEY (model, number))");
      s.execute("CREATE INDEX IF NOT EXISTS bench_raw_versions_stage ON bench_raw_versions (model, stage)");
      s.execute("CREATE INDEX IF NOT EXISTS bench_raw_versions_auc ON bench_raw_versions (model, auc)");
      s.execute("CREATE TABLE IF NOT EXISTS bench_raw_aliases (model TEXT NOT NULL, alias TEXT NOT NULL, "
          + "number INT NOT NULL, PRIMARY KEY (model, alias))");
      s.execute("TRUNCATE bench_raw_versions, bench_raw_aliases");
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO bench_raw_versions "
        + "SELECT ?, n, 'READY', CASE WHEN n = ? THEN 'PRODUCTION' ELSE 'ARCHIVED' END, "
        + "0.5 + (n * 0.6180339887498949 - floor(n * 0.6180339887498949)) / 2, repeat('x', 800) "
        + "FROM generate_series(1, ?) AS n")) {
      p.setString(1, model);
      p.setInt(2, production);
      p.setInt(3, versions);
      p.executeUpdate();
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO bench_raw_aliases VALUES (?, 'champion', ?)")) {
      p.setString(1, model);
      p.setInt(2, champion);
      p.executeUpdate();
    }
  }

  /** A lookup to time. */
  @FunctionalInterface
  interface Call {
    Object call() throws Exception;
  }

  static Timing time(Call call) throws Exception {
    for (int i = 0; i < WARM; i++) {
      call.call();
    }
    List<Long> nanos = new ArrayList<>();
    long deadline = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
    while (nanos.size() < CALLS && (nanos.isEmpty() || System.nanoTime() < deadline)) {
      long t0 = System.nanoTime();
      call.call();
      nanos.add(System.nanoTime() - t0);
    }
    nanos.sort(null);
    return new Timing(rank(nanos, 50) / 1e6, rank(nanos, 99) / 1e6, nanos.size());
  }

  private static long rank(List<Long> sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static Timing timeSql(Connection c, String sql, Object... params) throws Exception {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setObject(i + 1, params[i]);
      }
      return time(() -> {
        int rows = 0;
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            rs.getString(2);
            rows++;
          }
        }
        if (rows == 0) {
          throw new IllegalStateException("raw lookup found nothing: " + sql);
        }
        return rows;
      });
    }
  }
}
