package dev.opskit.benchmarks.registry;

import dev.opskit.Workspace;
import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.ml.ModelRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workspace the search benchmarks search: {@code n} versions of {@code churn}, each registered through the public
 * API ({@code registration(...).provenance(...).tags(...).by(actor).register()}) with the same artifact, an
 * {@code auc} spread evenly over [0.5, 1) ({@link ChurnModel#auc}), a {@code seed} parameter, a tracking run id and a
 * {@code team} tag ({@link #searchProvenance}); version 1 holds the alias {@code champion} and version 2 is in
 * STAGING. Next to them, {@code m} models ({@code m-00001}...) created through {@code createModel} with a description
 * and {@code team} and {@code region} tags, which the model search benchmark searches. Registering 100,000 versions
 * takes minutes, so the workspace is built once and reused by later runs; a file {@code complete.properties} marks it
 * finished. On H2 it is a local workspace under {@code ops-benchmarks/target/bench-cache/registry-search-<n>/workspace};
 * on PostgreSQL the metadata is a schema that outlives the run ({@link #schema}), with the blobs under
 * {@code registry-search-pg-<n>/workspace}. Delete the folder (and the schema) to rebuild it, for example after a
 * change to the registry's records.
 *
 * <p>{@link #main} builds it in a JVM of its own; it prints {@code PROGRESS versions=<n> seconds=<s> fileBytes=<n>}
 * every {@value #BATCH} versions and {@code BUILT versions=<n> seconds=<s>} at the end.
 */
public final class SearchCache {
  /** Bumped when the cache's content changes meaning, so that older caches are rebuilt. */
  static final int FORMAT = 2;

  /** Registrations between two compactions of the H2 file. */
  static final int BATCH = 5_000;

  /** The teams the versions' and models' {@code team} tags cycle through. */
  static final java.util.List<String> TEAMS = java.util.List.of("risk", "growth", "ops");

  private SearchCache() {}

  /**
   * Returns the cache folder of a size.
   *
   * @param out the report directory
   * @param versions the number of versions
   * @return the folder
   */
  public static Path folder(Path out, int versions) {
    return out.resolve("bench-cache").resolve("registry-search-" + versions).toAbsolutePath().normalize();
  }

  /**
   * Returns the cache folder of a size on PostgreSQL: the blobs and the marker; the metadata is {@link #schema}.
   *
   * @param out the report directory
   * @param versions the number of versions
   * @return the folder
   */
  static Path postgresFolder(Path out, int versions) {
    return out.resolve("bench-cache").resolve("registry-search-pg-" + versions).toAbsolutePath().normalize();
  }

  /**
   * Returns the PostgreSQL schema holding the cached workspace of a size.
   *
   * @param versions the number of versions
   * @return the schema's name
   */
  static String schema(int versions) {
    return "opskit_bench_search_" + versions + "_f" + FORMAT;
  }

  /**
   * Returns the provenance of the n-th version of the search workspace: {@link ChurnModel#provenance} and a tracking
   * run id {@code run-<n>}.
   *
   * @param n the index
   * @return the provenance
   */
  static dev.opskit.ml.Provenance searchProvenance(long n) {
    return dev.opskit.ml.Provenance.builder().metric("auc", ChurnModel.auc(n)).param("seed", n)
        .trackingRunId("run-" + n).build();
  }

  /**
   * Returns the workspace directory inside a cache folder.
   *
   * @param folder the cache folder
   * @return the workspace directory
   */
  public static Path workspace(Path folder) {
    return folder.resolve("workspace");
  }

  /**
   * Tells whether a cache folder holds a finished workspace of this format and size.
   *
   * @param folder the cache folder
   * @param versions the number of versions expected
   * @return true if it can be used
   */
  public static boolean complete(Path folder, int versions) {
    Path marker = folder.resolve("complete.properties");
    if (!Files.isRegularFile(marker) || !Files.isDirectory(workspace(folder))) {
      return false;
    }
    Properties p = new Properties();
    try {
      p.load(Files.newBufferedReader(marker, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false;
    }
    return String.valueOf(FORMAT).equals(p.getProperty("format"))
        && String.valueOf(versions).equals(p.getProperty("versions"));
  }

  /**
   * Tells whether a PostgreSQL cache folder is finished and its schema still holds the workspace.
   *
   * @param folder the cache folder
   * @param versions the number of versions expected
   * @return true if it can be used
   */
  static boolean completeOnPostgres(Path folder, int versions) {
    if (!complete(folder, versions)) {
      return false;
    }
    java.util.Optional<String> url = dev.opskit.benchmarks.PostgresSchema.configuredUrl();
    if (url.isEmpty()) {
      return false;
    }
    try (Connection c = DriverManager.getConnection(url.get());
        java.sql.PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM information_schema.tables "
            + "WHERE table_schema = ? AND table_name = 'ops_record'")) {
      p.setString(1, schema(versions));
      try (java.sql.ResultSet rs = p.executeQuery()) {
        return rs.next() && rs.getLong(1) == 1;
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Builds a cache folder: registers the versions and creates the models into a fresh workspace next to it, then
   * moves it into place and writes the marker.
   *
   * @param args the cache folder, the number of versions, the number of registering threads, then optionally the
   *     number of models ({@link #defaultModels} when left out) and {@code h2} (the default) or {@code pg}
   *     (PostgreSQL, in the schema {@link #schema}, from {@code OPSKIT_TEST_PG_URL})
   * @throws Exception if the folder cannot be written or a registration fails
   */
  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int versions = Integer.parseInt(args[1]);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int models = args.length > 3 ? Integer.parseInt(args[3]) : defaultModels(versions);
    boolean postgres = args.length > 4 && args[4].equals("pg");
    double seconds = build(folder, versions, models, threads, true, postgres ? schema(versions) : null);
    System.out.println(String.format(Locale.ROOT, "BUILT versions=%d seconds=%.3f", versions, seconds));
  }

  /**
   * The number of models a cache of a size holds, whoever builds it (the registry suite or the console suite, which
   * share the H2 cache): a tenth of the versions, 10,000 beside 100,000 versions.
   *
   * @param versions the number of versions
   * @return the number of models
   */
  static int defaultModels(int versions) {
    return versions / 10;
  }

  /**
   * Builds a cache folder on H2 with no models.
   *
   * @param folder the cache folder, replaced
   * @param versions the number of versions
   * @param threads how many threads register at once
   * @param progress whether to print progress lines
   * @return the seconds the build took
   * @throws Exception if the folder cannot be written or a registration fails
   */
  static double build(Path folder, int versions, int threads, boolean progress) throws Exception {
    return build(folder, versions, 0, threads, progress, null);
  }

  /**
   * Builds a cache folder. Registrations run in batches of {@value #BATCH} on {@code threads} threads (the registry is
   * thread-safe and numbers versions without gaps under concurrency); on H2, between batches the workspace is closed
   * and its H2 file compacted with H2's {@code SHUTDOWN COMPACT}, which rewrites the file without changing what it
   * holds. Then the alias and the stage, then the models, on the same threads.
   *
   * @param folder the cache folder, replaced
   * @param versions the number of versions
   * @param models the number of models besides {@code churn}
   * @param threads how many threads register at once
   * @param progress whether to print progress lines
   * @param schema the PostgreSQL schema to build in, replaced; null for H2
   * @return the seconds the registrations, compactions and model creations took
   * @throws Exception if the folder cannot be written or a registration fails
   */
  static double build(Path folder, int versions, int models, int threads, boolean progress,
      @org.jspecify.annotations.Nullable String schema) throws Exception {
    BenchFiles.deleteTree(folder);
    if (schema != null) {
      dev.opskit.benchmarks.PostgresSchema.drop(schema);
    }
    Path building = folder.resolve("workspace.building");
    Files.createDirectories(building);
    long t0 = System.nanoTime();
    AtomicLong next = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int done = 0; done < versions; done += BATCH) {
        int end = Math.min(versions, done + BATCH);
        try (Opened opened = open(building, schema)) {
          ModelRegistry registry = opened.registry();
          List<Callable<Void>> workers = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            workers.add(() -> {
              for (long n = next.incrementAndGet(); n <= end; n = next.incrementAndGet()) {
                registry.registration(ChurnModel.MODEL, ChurnModel.ARTIFACT, ChurnModel.CODEC)
                    .provenance(searchProvenance(n)).tags(java.util.Map.of("team", TEAMS.get((int) (n % 3))))
                    .by(RegistryBenchmark.CI).register();
              }
              return null;
            });
          }
          for (Future<Void> f : pool.invokeAll(workers)) {
            f.get();
          }
          next.set(end);
        }
        if (schema == null) {
          compact(building.resolve("metadata"));
        }
        if (progress) {
          System.out.println(String.format(Locale.ROOT, "PROGRESS versions=%d seconds=%.3f fileBytes=%d", end,
              (System.nanoTime() - t0) / 1e9, schema == null ? Files.size(building.resolve("metadata.mv.db")) : 0));
        }
      }
      try (Opened opened = open(building, schema)) {
        ModelRegistry registry = opened.registry();
        if (versions >= 2) {
          registry.setAlias(ChurnModel.MODEL, "champion", 1, RegistryBenchmark.CI);
          registry.promote(ChurnModel.MODEL, 2).to(dev.opskit.ml.Stage.STAGING).as(RegistryBenchmark.CI).execute();
        }
        AtomicLong model = new AtomicLong();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          workers.add(() -> {
            for (long i = model.incrementAndGet(); i <= models; i = model.incrementAndGet()) {
              registry.createModel(modelName(i), "model " + i + (i % 10 == 0 ? " of churn" : " of fraud"),
                  java.util.Map.of("team", TEAMS.get((int) (i % 3)), "region", i % 2 == 0 ? "eu" : "us"),
                  RegistryBenchmark.CI);
            }
            return null;
          });
        }
        for (Future<Void> f : pool.invokeAll(workers)) {
          f.get();
        }
      }
      if (schema == null) {
        compact(building.resolve("metadata"));
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Files.move(building, workspace(folder), StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(folder.resolve("complete.properties"), String.format(Locale.ROOT,
        "# registered through ModelRegistry.registration(...).register(); delete this folder to rebuild%n"
            + "format=%d%nversions=%d%nmodels=%d%nmodel=%s%nthreads=%d%nstore=%s%nbuildSeconds=%.3f%n", FORMAT,
        versions, models, ChurnModel.MODEL, threads, schema == null ? "h2" : "pg:" + schema, seconds),
        StandardCharsets.UTF_8);
    return seconds;
  }

  /**
   * The name of the i-th model of the model search.
   *
   * @param i from 1
   * @return {@code m-<i, five digits>}
   */
  static String modelName(long i) {
    return String.format(Locale.ROOT, "m-%05d", i);
  }

  /** A workspace and its registry, closed together, with the PostgreSQL pool if there is one. */
  record Opened(dev.opskit.Workspace workspace, ModelRegistry registry,
      dev.opskit.benchmarks.@org.jspecify.annotations.Nullable PostgresSchema postgres) implements AutoCloseable {
    @Override
    public void close() {
      registry.close();
      workspace.close();
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  /**
   * Opens the cached workspace: a local one in the directory, or, with a schema, PostgreSQL metadata in that schema
   * (kept) with the blobs in the directory.
   *
   * @param directory the workspace directory
   * @param schema the PostgreSQL schema, or null for H2
   * @return the workspace and its registry
   */
  static Opened open(Path directory, @org.jspecify.annotations.Nullable String schema) {
    if (schema == null) {
      Workspace ws = Workspace.local(directory);
      return new Opened(ws, ModelRegistry.in(ws), null);
    }
    dev.opskit.benchmarks.PostgresSchema pg = dev.opskit.benchmarks.PostgresSchema.kept(schema);
    Workspace ws = Workspace.postgres(pg.dataSource(), directory.resolve("blobs"));
    return new Opened(ws, ModelRegistry.in(ws), pg);
  }

  /** Rewrites a closed workspace's H2 file compactly; what it holds does not change. */
  private static void compact(Path database) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + database.toAbsolutePath(), "", "");
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN COMPACT");
    }
  }
}
