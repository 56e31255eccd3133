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
 * The workspace the search benchmark searches: {@code n} versions of {@code churn}, each registered through the public
 * API ({@code registration(...).provenance(...).by(actor).register()}) on a local workspace, with the same artifact and
 * an {@code auc} spread evenly over [0.5, 1) ({@link ChurnModel#auc}). Registering 100,000 versions takes minutes, so
 * the workspace is built once, under {@code ops-benchmarks/target/bench-cache/registry-search-<n>/workspace}, and
 * reused by later runs; a file {@code complete.properties} next to it marks it finished. Delete the folder to rebuild
 * it, for example after a change to the registry's records.
 *
 * <p>{@link #main} builds it in a JVM of its own; it prints {@code PROGRESS versions=<n> seconds=<s> fileBytes=<n>}
 * every {@value #BATCH} versions and {@code BUILT versions=<n> seconds=<s>} at the end.
 */
public final class SearchCache {
  /** Bumped when the cache's content changes meaning, so that older caches are rebuilt. */
  static final int FORMAT = 1;

  /** Registrations between two compactions of the H2 file. */
  static final int BATCH = 5_000;

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
   * Builds a cache folder: registers the versions into a fresh workspace next to it, then moves it into place and
   * writes the marker.
   *
   * @param args the cache folder, the number of versions, and the number of registering threads
   * @throws Exception if the folder cannot be written or a registration fails
   */
  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int versions = Integer.parseInt(args[1]);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    double seconds = build(folder, versions, threads, true);
    System.out.println(String.format(Locale.ROOT, "BUILT versions=%d seconds=%.3f", versions, seconds));
  }

  /**
   * Builds a cache folder. Registrations run in batches of {@value #BATCH} on {@code threads} threads (the registry is
   * thread-safe and numbers versions without gaps under concurrency); between batches the workspace is closed and its
   * H2 file compacted with H2's {@code SHUTDOWN COMPACT}, which rewrites the file without changing what it holds:
   * under sustained registration the file otherwise grows by hundreds of kilobytes per version.
   *
   * @param folder the cache folder, replaced
   * @param versions the number of versions
   * @param threads how many threads register at once
   * @param progress whether to print progress lines
   * @return the seconds the registrations and compactions took
   * @throws Exception if the folder cannot be written or a registration fails
   */
  static double build(Path folder, int versions, int threads, boolean progress) throws Exception {
    BenchFiles.deleteTree(folder);
    Path building = folder.resolve("workspace.building");
    Files.createDirectories(building);
    long t0 = System.nanoTime();
    AtomicLong next = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int done = 0; done < versions; done += BATCH) {
        int end = Math.min(versions, done + BATCH);
        try (Workspace ws = Workspace.local(building); ModelRegistry registry = ModelRegistry.in(ws)) {
          List<Callable<Void>> workers = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            workers.add(() -> {
              for (long n = next.incrementAndGet(); n <= end; n = next.incrementAndGet()) {
                registry.registration(ChurnModel.MODEL, ChurnModel.ARTIFACT, ChurnModel.CODEC)
                    .provenance(ChurnModel.provenance(n)).by(RegistryBenchmark.CI).register();
              }
              return null;
            });
          }
          for (Future<Void> f : pool.invokeAll(workers)) {
            f.get();
          }
          next.set(end);
        }
        compact(building.resolve("metadata"));
        if (progress) {
          System.out.println(String.format(Locale.ROOT, "PROGRESS versions=%d seconds=%.3f fileBytes=%d", end,
              (System.nanoTime() - t0) / 1e9, Files.size(building.resolve("metadata.mv.db"))));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Files.move(building, workspace(folder), StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(folder.resolve("complete.properties"), String.format(Locale.ROOT,
        "# registered through ModelRegistry.registration(...).register(); delete this folder to rebuild%n"
            + "format=%d%nversions=%d%nmodel=%s%nthreads=%d%nbuildSeconds=%.3f%n", FORMAT, versions,
        ChurnModel.MODEL, threads, seconds), StandardCharsets.UTF_8);
    return seconds;
  }

  /** Rewrites a closed workspace's H2 file compactly; what it holds does not change. */
  private static void compact(Path database) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + database.toAbsolutePath(), "", "");
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN COMPACT");
    }
  }
}
