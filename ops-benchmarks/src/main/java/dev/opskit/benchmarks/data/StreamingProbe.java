package dev.opskit.benchmarks.data;

import dev.opskit.Workspace;
import dev.opskit.benchmarks.HeapWatch;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The streaming proof of {@code DESIGN.md}: "a 5 GB JSON Lines dataset commits and iterates with under 128 MB of
 * heap". {@link DataSuite} runs it in a JVM with {@code -Xmx128m}. It commits generated {@link LogLine} rows (enough
 * for the target size, from the bytes per row of a 10,000-row sample committed first) to {@code Datasets.jsonLines}
 * on a local workspace, then reads the version back through {@code Catalog.read} and iterates it, counting rows and
 * summing ids to check every row came back. It prints:
 *
 * <pre>
 * COMMIT seconds=&lt;s&gt; bytes=&lt;version bytes&gt; rows=&lt;n&gt;
 * ITERATE seconds=&lt;s&gt; rows=&lt;n&gt; verified=&lt;b&gt;
 * HEAP peak=... afterGc=... poolPeaks=... gcs=... max=...
 * </pre>
 */
public final class StreamingProbe {
  static final Dataset<Rows<LogLine>> LINES = Datasets.jsonLines("bench/log-lines", LogLine.class);

  private StreamingProbe() {}

  /**
   * What one proof did.
   *
   * @param commitSeconds the commit's time
   * @param bytes the version's size
   * @param rows the rows committed
   * @param iterateSeconds the read-back's time
   * @param count the rows read back
   * @param verified whether every row came back: the count and the sum of ids match
   */
  record Result(double commitSeconds, long bytes, long rows, double iterateSeconds, long count, boolean verified) {}

  /**
   * Entry point.
   *
   * @param args the workspace directory and the target size in bytes
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long target = Long.parseLong(args[1]);
    Result r;
    try (HeapWatch heap = new HeapWatch()) {
      try (Workspace ws = Workspace.local(dir)) {
        r = run(Catalog.in(ws), target);
      }
      System.out.println(String.format(Locale.ROOT, "COMMIT seconds=%.6f bytes=%d rows=%d", r.commitSeconds(),
          r.bytes(), r.rows()));
      System.out.println(String.format(Locale.ROOT, "ITERATE seconds=%.6f rows=%d verified=%b", r.iterateSeconds(),
          r.count(), r.verified()));
      System.out.println(heap.line());
    }
    if (!r.verified()) {
      System.exit(1);
    }
  }

  /**
   * The measured work: commits about {@code target} bytes of rows, then reads them back.
   *
   * @param catalog the catalog
   * @param target the size to commit
   * @return the times and counts
   */
  static Result run(Catalog catalog, long target) {
    DatasetVersion sample = catalog.commit(LINES, rows(10_000));
    long rows = Math.max(1, target / Math.max(1, sample.size() / sample.rows()));
    long t0 = System.nanoTime();
    DatasetVersion v = catalog.commit(LINES, rows(rows));
    double commitSeconds = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    long count = 0;
    long idSum = 0;
    try (Stream<LogLine> lines = catalog.read(LINES, v.id()).stream()) {
      for (LogLine line : (Iterable<LogLine>) lines::iterator) {
        count++;
        idSum += line.id();
      }
    }
    double iterateSeconds = (System.nanoTime() - t0) / 1e9;
    boolean verified = count == rows && v.rows() == rows && idSum == rows * (rows - 1) / 2;
    return new Result(commitSeconds, v.size(), v.rows(), iterateSeconds, count, verified);
  }

  /**
   * Generated rows {@code LogLine.of(0)} to {@code LogLine.of(n - 1)}, lazily.
   *
   * @param n how many
   * @return the rows
   */
  static Rows<LogLine> rows(long n) {
    return Rows.from(() -> LongStream.range(0, n).mapToObj(LogLine::of));
  }
}
