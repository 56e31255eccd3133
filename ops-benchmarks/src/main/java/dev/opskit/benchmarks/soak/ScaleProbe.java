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
   * {@code threads} threads) up to {@value #API_LOADED} versions and by copying rows in SQL past that
   * ({@link #copyVersions}), and measures every lookup at each size.
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
          if (size > API_LOADED && registered.get() >= API_LOADED) {
            copyVersions(loadPool, MODEL, (int) registered.get() + 1, size);
            registered.set(size);
            log.accept(String.format(java.util.Locale.ROOT, "  scale: %,d versions (copied in SQL past %,d; %.0f s "
                + "for this step)", size, API_LOADED, (System.nanoTime() - t0) / 1e9));
            out.add(measure(schema, registry, MODEL, size, blobs));
            continue;
          }
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

  /**
   * Runs the probe alone and prints a table: {@code java -cp benchmarks.jar dev.opskit.benchmarks.soak.ScaleProbe
   * 1000 10000 100000 1000000}, with {@code OPSKIT_TEST_PG_URL} set. {@code bench/run soak} runs it after the soaks.
   *
   * @param args the sizes, increasing; 1,000 to 100,000 if none
   * @throws Exception if loading or a lookup fails
   */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Integer.parseInt(a.replace("_", "").replace(",", "")));
    }
    if (sizes.isEmpty()) {
      sizes.addAll(List.of(1_000, 10_000, 100_000));
    }
    Path blobs = java.nio.file.Files.createTempDirectory("opskit-scale");
    List<Sizes> measured = run(sizes, 4, blobs, System.out::println);
    System.out.printf(java.util.Locale.ROOT, "%10s %-9s %10s %10s %10s %10s%n", "versions", "lookup", "p50 ms",
        "p99 ms", "raw p50", "raw p99");
    for (Sizes s : measured) {
      for (String op : OPS) {
        Timing o = s.opskit().get(op);
        Timing j = s.raw().get(op);
        System.out.printf(java.util.Locale.ROOT, "%,10d %-9s %10.3f %10.3f %10.3f %10.3f%n", s.versions(), op,
            o.p50Ms(), o.p99Ms(), j.p50Ms(), j.p99Ms());
      }
    }
  }

  static final String MODEL = "scale";

  /**
   * Versions up to this count are registered through the public API; past it, loading a million that way would take
   * hours, so the versions are copied in SQL from version 1: its record and attribute rows, with the key, the number
   * and the auc metric of each new version. The audit records, pins and idempotency keys of those versions are not
   * copied: no lookup measured here reads them.
   */
  static final int API_LOADED = 10_000;

  /** Copies version 1 of a model to versions {@code from..to} in SQL, in batches, and moves its counter and head. */
  static void copyVersions(HikariDataSource pool, String model, int from, int to) throws SQLException {
    String template = model + "/" + "0".repeat(9) + "1";
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      String body;
      try (PreparedStatement p = c.prepareStatement("SELECT body FROM ops_record WHERE collection = 'model-version' "
          + "AND rkey = ?")) {
        p.setString(1, template);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          body = rs.getString(1);
        }
      }
      String numberField = "\"number\":1,";
      if (!body.contains(numberField)) {
        throw new IllegalStateException("version 1's body has no " + numberField + ": " + body);
      }
      for (int lo = from; lo <= to; lo += 50_000) {
        int hi = Math.min(to, lo + 49_999);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO ops_record (collection, rkey, version, body) "
            + "SELECT r.collection, ? || lpad(n::text, 10, '0'), r.version, "
            + "replace(r.body, ?, '\"number\":' || n || ',') FROM ops_record r, generate_series(?, ?) AS n "
            + "WHERE r.collection = 'model-version' AND r.rkey = ?")) {
          p.setString(1, model + "/");
          p.setString(2, numberField);
          p.setInt(3, lo);
          p.setInt(4, hi);
          p.setString(5, template);
          p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO ops_attr "
            + "(collection, rkey, name, kind, str_value, num_value, long_value, str_full) "
            + "SELECT a.collection, ? || lpad(n::text, 10, '0'), a.name, a.kind, a.str_value, "
            + "CASE a.name WHEN 'number' THEN n WHEN 'metrics.auc' THEN "
            + "0.5 + (n * 0.6180339887498949 - floor(n * 0.6180339887498949)) / 2 ELSE a.num_value END, "
            + "CASE a.name WHEN 'number' THEN n ELSE a.long_value END, a.str_full "
            + "FROM ops_attr a, generate_series(?, ?) AS n WHERE a.collection = 'model-version' AND a.rkey = ?")) {
          p.setString(1, model + "/");
          p.setInt(2, lo);
          p.setInt(3, hi);
          p.setString(4, template);
          p.executeUpdate();
        }
        c.commit();
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE ops_counter SET current_value = ? WHERE name = ?")) {
        p.setLong(1, to);
        p.setString(2, "model-version:" + model);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE ops_record SET version = version + 1, "
          + "body = ? || substr(body, strpos(body, ' ')) WHERE collection = 'model-head' AND rkey = ?")) {
        p.setString(1, Integer.toString(to));
        p.setString(2, model);
        p.executeUpdate();
      }
      c.commit();
    }
  }

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
