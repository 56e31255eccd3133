package dev.opskit.benchmarks.s3;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.HeapWatch;
import dev.opskit.benchmarks.Stats;
import dev.opskit.benchmarks.Suite;
import dev.opskit.benchmarks.SuiteContext;
import dev.opskit.benchmarks.Target;
import dev.opskit.s3.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code s3} suite: opskit's S3 blob store against the raw AWS SDK, both against one S3Proxy server (filesystem
 * backend on the work directory) that the suite starts in its own JVM, each side in a JVM of its own:
 *
 * <ul>
 *   <li>{@code s3.put.1g} (quick: {@code .256m}): MB/s of {@code S3BlobStore.put} of a file of random bytes (hashed,
 *       spooled, uploaded in 8 MiB parts, four at a time), against the raw SDK's multipart upload of the same file with
 *       the same parts from the file; target: ratio at least 0.8. With {@code .peak-heap}: the heap of the opskit put
 *       in a JVM capped at 64 MB; target: under 64 MB.
 *   <li>{@code s3.get.1g}: MB/s of a verified {@code open(id)} read to the end, against a raw {@code GetObject} read to
 *       the end; target: ratio at least 0.8.
 *   <li>{@code s3.small.put-p50}, {@code -p99}, {@code s3.small.get-p50}, {@code -p99}: microseconds per 10 KiB blob,
 *       against raw {@code PutObject} and {@code GetObject} of the same bytes, alternating; reported without a target.
 * </ul>
 */
public final class S3Suite implements Suite {
  static final long HEAP_BUDGET_MB = 64;
  private static final long MIB = 1L << 20;

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public String description() {
    return "S3 blob store put and verified get of 1 GiB and 10 KiB latencies against the raw AWS SDK on S3Proxy";
  }

  @Override
  public List<Figure> run(SuiteContext context) throws Exception {
    Path work = BenchFiles.workDirectory(context, name());
    boolean quick = context.quick();
    long size = quick ? 256 * MIB : 1024 * MIB;
    String label = quick ? "256m" : "1g";
    int rounds = quick ? 2 : 4;
    List<Figure> figures = new ArrayList<>();
    try (S3ProxyServer server = S3ProxyServer.start(work.resolve("s3proxy"))) {
      String bucket = server.createBucket();
      String endpoint = server.endpoint().toString();
      Path input = BenchFiles.randomFile(work.resolve("input.bin"), size, 42);
      context.log("  S3Proxy at " + endpoint + ", bucket " + bucket + "; " + label + " file; 1 + " + rounds
          + " rounds per side; opskit's put in a JVM with -Xmx" + HEAP_BUDGET_MB + "m");

      Forked.Result rawPut = probe(context, "put-raw", input, endpoint, bucket, rounds, List.of("-Xmx512m"));
      Forked.Result opsPut = probe(context, "put-opskit", input, endpoint, bucket, rounds,
          List.of("-Xmx" + HEAP_BUDGET_MB + "m", "-XX:+UseG1GC", "-Djava.io.tmpdir=" + work));
      figures.add(throughput("s3.put." + label, size, opsPut, rawPut,
          "raw AWS SDK multipart upload of the same file to the same server: 8 MiB parts, 4 in flight, SDK defaults",
          "S3BlobStore.put(new FileInputStream(file)) in a JVM with -Xmx64m: hash and spool (each on a thread of its "
              + "own), then 8 MiB parts, 4 in flight, CRC32C per part; the blob is deleted after each round"));
      figures.add(heap("s3.put." + label + ".peak-heap", opsPut));

      Forked.Result rawGet = probe(context, "get-raw", input, endpoint, bucket, rounds, List.of("-Xmx512m"));
      Forked.Result opsGet = probe(context, "get-opskit", input, endpoint, bucket, rounds, List.of("-Xmx512m"));
      figures.add(throughput("s3.get." + label, size, opsGet, rawGet,
          "raw AWS SDK GetObject of the same bytes read to the end, SDK defaults",
          "S3BlobStore.open(id) read to the end: verified against the id, resumable"));
      Files.deleteIfExists(input);

      Forked.Result small = Forked.run(List.of("-Xmx512m"), S3Probe.class,
          List.of("small", endpoint, bucket, Integer.toString(quick ? 300 : 2000)),
          context.outputDirectory().resolve("bench-s3-small.log"), Duration.ofMinutes(10));
      if (!small.succeeded()) {
        context.note("the small-blob probe failed: " + small.problem());
      }
      for (String op : List.of("put", "get")) {
        for (String p : List.of("p50", "p99")) {
          figures.add(new Figure("s3.small." + op + "-" + p, latency(small, op, "opskit", p), "us",
              latency(small, op, "raw", p), "raw AWS SDK " + (op.equals("put") ? "PutObject" : "GetObject")
              + " of the same 10 KiB, alternating with opskit's", null,
              Map.of("method", op.equals("put") ? "S3BlobStore.put(byte[]): HEAD, then PutObject with SHA-256"
                  : "S3BlobStore.read(id): GetObject, verified", "log", "bench-s3-small.log")));
        }
      }
    } finally {
      BenchFiles.deleteQuietly(work);
    }
    return figures;
  }

  private static Forked.Result probe(SuiteContext context, String mode, Path input, String endpoint, String bucket,
      int rounds, List<String> jvm) throws IOException, InterruptedException {
    context.sampleLoad("before " + mode);
    Forked.Result r = Forked.run(jvm, S3Probe.class, List.of(mode, input.toString(), endpoint, bucket, "1",
        Integer.toString(rounds)), context.outputDirectory().resolve("bench-s3-" + mode + ".log"),
        Duration.ofMinutes(20));
    if (!r.succeeded()) {
      context.note("the " + mode + " probe failed: " + r.problem());
    }
    return r;
  }

  private static List<Double> seconds(Forked.Result r) {
    List<Double> seconds = new ArrayList<>();
    for (Map<String, String> round : r.lines("ROUND")) {
      if (round.get("warmup").equals("false")) {
        seconds.add(Double.parseDouble(round.get("seconds")));
      }
    }
    return seconds;
  }

  private static double mbPerSecond(long size, Forked.Result r) {
    List<Double> s = seconds(r);
    return r.succeeded() && !s.isEmpty() ? size / (double) MIB / Stats.median(s) : Double.NaN;
  }

  private static Figure throughput(String name, long size, Forked.Result opskit, Forked.Result raw, String baselineOf,
      String method) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("bytes", size);
    details.put("method", method);
    details.put("seconds", seconds(opskit));
    details.put("baselineSeconds", seconds(raw));
    return new Figure(name, mbPerSecond(size, opskit), "MB/s", mbPerSecond(size, raw), baselineOf,
        Target.ratioAtLeast(0.8), details);
  }

  private static Figure heap(String name, Forked.Result probe) {
    Optional<Map<String, String>> heap = probe.last("HEAP");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("method", "forked JVM capped at -Xmx64m: completing proves the put fits; value = largest heap "
        + "occupancy seen just before any collection or at the end, garbage included");
    details.put("completedUnderCap", probe.succeeded());
    heap.ifPresent(h -> details.putAll(HeapWatch.describe(h)));
    double peak = probe.succeeded() && heap.isPresent() ? Stats.mb(Long.parseLong(heap.get().get("peak")))
        : Double.NaN;
    return new Figure(name, peak, "MB", HEAP_BUDGET_MB, "budget: 64 MB", Target.valueBelow(HEAP_BUDGET_MB),
        details);
  }

  private static double latency(Forked.Result r, String op, String side, String p) {
    for (Map<String, String> line : r.lines("LATENCY")) {
      if (op.equals(line.get("op")) && side.equals(line.get("side"))) {
        @Nullable String v = line.get(p);
        return v == null ? Double.NaN : Double.parseDouble(v);
      }
    }
    return Double.NaN;
  }
}
