package dev.opskit.benchmarks.data;

import dev.opskit.Workspace;
import dev.opskit.benchmarks.HeapWatch;
import dev.opskit.benchmarks.Stats;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The streaming proof of {@code DESIGN.md}: "a 5 GB JSON Lines dataset commits and iterates with under 128 MB of
 * heap". {@link DataSuite} runs it in a JVM with {@code -Xmx128m}. It commits generated {@link LogLine} rows (enough
 * for the target size, from the bytes per row of a 10,000-row sample committed first) to {@code Datasets.jsonLines}
 * on a local workspace, then reads the version back through {@code Catalog.read} and iterates it, counting rows and
 * summing ids to check every row came back. {@code Catalog.read} checks the blob chunk by chunk against the manifest
 * recorded at the commit. Each round also iterates the same version through the codec over {@code BlobStore.open(id)},
 * which checks the whole blob only at its end, as reads did before chunks were checked: the baseline of the price of
 * checking chunks, in the same JVM. Both reads are first run untimed over the sample, for the JIT; then rounds alternate
 * which read goes first. It prints:
 *
 * <pre>
 * COMMIT seconds=&lt;s&gt; bytes=&lt;version bytes&gt; rows=&lt;n&gt;
 * READ round=&lt;i&gt; check=chunks|end seconds=&lt;s&gt; cpuSeconds=&lt;the reading thread's CPU&gt; rows=&lt;n&gt;
 * ITERATE seconds=&lt;median, chunks&gt; endCheckedSeconds=&lt;median, end&gt; rows=&lt;n&gt; verified=&lt;b&gt;
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
  record Result(double commitSeconds, long bytes, long rows, double iterateSeconds, long count, boolean verified,
      List<Double> chunkCheckedSeconds, List<Double> endCheckedSeconds, List<Double> chunkCheckedCpuSeconds,
      List<Double> endCheckedCpuSeconds) {
    /**
     * The median seconds of the reads that checked the blob only at its end.
     *
     * @return the median
     */
    double endCheckedMedian() {
      return Stats.median(endCheckedSeconds);
    }
  }

  /**
   * Entry point.
   *
   * @param args the workspace directory, the target size in bytes, and optionally the rounds of reads (default 3)
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long target = Long.parseLong(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Result r;
    try (HeapWatch heap = new HeapWatch()) {
      try (Workspace ws = Workspace.local(dir)) {
        r = run(ws, target, rounds);
      }
      System.out.println(String.format(Locale.ROOT, "COMMIT seconds=%.6f bytes=%d rows=%d", r.commitSeconds(),
          r.bytes(), r.rows()));
      for (int i = 0; i < rounds; i++) {
        System.out.println(String.format(Locale.ROOT, "READ round=%d check=chunks seconds=%.6f cpuSeconds=%.6f rows=%d",
            i, r.chunkCheckedSeconds().get(i), r.chunkCheckedCpuSeconds().get(i), r.count()));
        System.out.println(String.format(Locale.ROOT, "READ round=%d check=end seconds=%.6f cpuSeconds=%.6f rows=%d",
            i, r.endCheckedSeconds().get(i), r.endCheckedCpuSeconds().get(i), r.count()));
      }
      System.out.println(String.format(Locale.ROOT, "ITERATE seconds=%.6f endCheckedSeconds=%.6f rows=%d verified=%b",
          r.iterateSeconds(), r.endCheckedMedian(), r.count(), r.verified()));
      System.out.println(heap.line());
    }
    if (!r.verified()) {
      System.exit(1);
    }
  }

  /**
   * The measured work: commits about {@code target} bytes of rows, then reads them back in rounds, each with a read
   * checked chunk by chunk ({@code Catalog.read}) and one checked at the end only, alternating which goes first.
   *
   * @param ws the workspace
   * @param target the size to commit
   * @param rounds how many reads of each kind
   * @return the times and counts
   */
  static Result run(Workspace ws, long target, int rounds) {
    Catalog catalog = Catalog.in(ws);
    DatasetVersion sample = catalog.commit(LINES, rows(10_000));
    long rows = Math.max(1, target / Math.max(1, sample.size() / sample.rows()));
    // Untimed: both reads run over the sample (about 5 MB, several chunks) until the JIT has compiled them.
    for (int i = 0; i < 5; i++) {
      iterate(catalog.read(LINES, sample.id()));
      iterate(endChecked(ws, sample));
    }
    long t0 = System.nanoTime();
    DatasetVersion v = catalog.commit(LINES, rows(rows));
    double commitSeconds = (System.nanoTime() - t0) / 1e9;
    List<Double> chunkChecked = new ArrayList<>();
    List<Double> endChecked = new ArrayList<>();
    List<Double> chunkCheckedCpu = new ArrayList<>();
    List<Double> endCheckedCpu = new ArrayList<>();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean verified = v.rows() == rows;
    long count = 0;
    for (int round = 0; round < rounds; round++) {
      for (int kind = 0; kind < 2; kind++) {
        boolean chunks = (round + kind) % 2 == 0;
        t0 = System.nanoTime();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long[] counted = iterate(chunks ? catalog.read(LINES, v.id()) : endChecked(ws, v));
        (chunks ? chunkChecked : endChecked).add((System.nanoTime() - t0) / 1e9);
        (chunks ? chunkCheckedCpu : endCheckedCpu).add((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
        verified &= counted[0] == rows && counted[1] == rows * (rows - 1) / 2;
        count = counted[0];
      }
    }
    return new Result(commitSeconds, v.size(), v.rows(), Stats.median(chunkChecked), count, verified, chunkChecked,
        endChecked, chunkCheckedCpu, endCheckedCpu);
  }

  /** Counts rows and sums their ids. */
  private static long[] iterate(Rows<LogLine> read) {
    long count = 0;
    long idSum = 0;
    try (Stream<LogLine> lines = read.stream()) {
      for (LogLine line : (Iterable<LogLine>) lines::iterator) {
        count++;
        idSum += line.id();
      }
    }
    return new long[] {count, idSum};
  }

  /**
   * The version's rows as reads got them before chunks were checked: the codec over {@code BlobStore.open(id)}, which
   * checks the whole blob against its id at the end only.
   */
  private static Rows<LogLine> endChecked(Workspace ws, DatasetVersion v) {
    DatasetCodec<Rows<LogLine>> codec = LINES.codec().orElseThrow();
    try {
      return codec.decode(new DatasetCodec.DecodeContext() {
        @Override
        public InputStream open() {
          return ws.blobs().open(v.id());
        }

        @Override
        public String versionId() {
          return v.id();
        }

        @Override
        public String dataset() {
          return v.dataset();
        }

        @Override
        public BlobStore blobs() {
          return ws.blobs();
        }

        @Override
        public Path scratch() {
          throw new UnsupportedOperationException("JSON Lines needs no scratch directory");
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
