package dev.opskit.benchmarks.data;

import dev.opskit.Workspace;
import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.HeapWatch;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.ProfileTiming;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Commits a JSON Lines file as a versioned dataset, several times, in a JVM that {@link DataSuite} starts with
 * {@code -Xmx128m}. The value committed is a {@code Rows<Event>} that streams the file's lines ({@link JsonlFile#read}:
 * a {@code BufferedReader} and Jackson), into {@code Datasets.jsonLines} through {@code Catalog.commit} on a local
 * workspace (H2 and local blobs); the catalog re-encodes every row canonically, profiles it, hashes and stores the
 * result. With a sixth argument {@code file}, each round instead commits the file itself with {@code
 * Catalog.commitFile}, which stores its bytes as they are and reads its rows only for the checks and the profile; a
 * warm-up round then commits a file of the first rows, written before the timing. With {@code file-after}, it commits
 * the file with {@code ProfileTiming.AFTER_COMMIT}: the timing stops when the commit returns, and the time until the
 * background profile is recorded ({@code Catalog.profile} waits for it) is printed as {@code profileSeconds}. Warm-up rounds commit only the
 * file's first rows, enough for the JIT to compile the path; each round commits into a fresh workspace, deleted
 * afterwards outside the timing. It prints:
 *
 * <pre>
 * ROUND i=&lt;n&gt; warmup=&lt;b&gt; seconds=&lt;s&gt; bytes=&lt;input bytes&gt; rows=&lt;n&gt; versionBytes=&lt;n&gt; profileSeconds=&lt;s&gt;
 * HEAP peak=... afterGc=... poolPeaks=... gcs=... max=...
 * </pre>
 */
public final class CommitProbe {
  static final Dataset<Rows<Event>> EVENTS = Datasets.jsonLines("bench/events", Event.class);

  private CommitProbe() {}

  /**
   * Entry point.
   *
   * @param args the JSON Lines file, a work directory, the number of warm-up rounds, the rows each warm-up commits,
   *     the number of measured rounds, and optionally {@code rows} (the default), {@code file} or {@code file-after}
   * @throws IOException if a workspace cannot be deleted
   */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    Path dir = Path.of(args[1]);
    int warmups = Integer.parseInt(args[2]);
    long warmupRows = Long.parseLong(args[3]);
    int rounds = Integer.parseInt(args[4]);
    boolean asFile = args.length > 5 && args[5].startsWith("file");
    ProfileTiming timing = args.length > 5 && args[5].equals("file-after") ? ProfileTiming.AFTER_COMMIT
        : ProfileTiming.WITH_COMMIT;
    long bytes = Files.size(file);
    Path head = dir.resolve("warmup.jsonl");
    if (asFile && warmups > 0) {
      Files.createDirectories(dir);
      try (java.io.BufferedReader in = Files.newBufferedReader(file);
          java.io.Writer out = Files.newBufferedWriter(head)) {
        String line;
        for (long n = 0; n < warmupRows && (line = in.readLine()) != null; n++) {
          out.write(line);
          out.write('\n');
        }
      }
    }
    try (HeapWatch heap = new HeapWatch()) {
      for (int i = 0; i < warmups + rounds; i++) {
        Path workspace = dir.resolve("commit-" + i);
        double seconds;
        double profileSeconds = 0;
        DatasetVersion v;
        try (Workspace ws = Workspace.local(workspace)) {
          Catalog catalog = Catalog.in(ws);
          long t0 = System.nanoTime();
          if (asFile) {
            v = catalog.commitFile(EVENTS, i < warmups ? head : file, Map.of(), timing);
          } else {
            v = i < warmups ? commit(catalog, file, warmupRows) : commit(catalog, file, Long.MAX_VALUE);
          }
          long t1 = System.nanoTime();
          seconds = (t1 - t0) / 1e9;
          if (timing == ProfileTiming.AFTER_COMMIT) {
            // The profile, computed in the background since the commit returned: waited for, outside the timing.
            catalog.profile(v.dataset(), v.id()).orElseThrow();
            profileSeconds = (System.nanoTime() - t1) / 1e9;
          }
        }
        BenchFiles.deleteTree(workspace);
        System.out.println(String.format(Locale.ROOT,
            "ROUND i=%d warmup=%b seconds=%.6f bytes=%d rows=%d versionBytes=%d profileSeconds=%.6f", i,
            i < warmups, seconds, i < warmups ? -1 : bytes, v.rows(), v.size(), profileSeconds));
      }
      System.out.println(heap.line());
    }
  }

  /**
   * The measured work: one commit of the file's rows.
   *
   * @param catalog the catalog
   * @param file the JSON Lines file
   * @param limit the most rows to commit, from the start of the file
   * @return the version
   */
  static DatasetVersion commit(Catalog catalog, Path file, long limit) {
    return catalog.commit(EVENTS, Rows.from(() -> JsonlFile.read(file).limit(limit)));
  }
}
