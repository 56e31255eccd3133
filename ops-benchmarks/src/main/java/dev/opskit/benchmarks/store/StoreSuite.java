package dev.opskit.benchmarks.store;

import static dev.opskit.benchmarks.Jmh.params;

import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.Figure;
import dev.opskit.benchmarks.Forked;
import dev.opskit.benchmarks.HashAndCopy;
import dev.opskit.benchmarks.HeapWatch;
import dev.opskit.benchmarks.Jmh;
import dev.opskit.benchmarks.JmhSettings;
import dev.opskit.benchmarks.Measurement;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.benchmarks.Scores;
import dev.opskit.benchmarks.Stats;
import dev.opskit.benchmarks.Suite;
import dev.opskit.benchmarks.SuiteContext;
import dev.opskit.benchmarks.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code store} suite. Every figure and its baseline are measured in the same run:
 *
 * <ul>
 *   <li>{@code store.metadata.write.<store>} and {@code store.metadata.read.<store>}: single-record insert and
 *       get-by-key transactions per second on {@code memory}, {@code h2} and {@code pg}, against raw JDBC doing the
 *       same {@code INSERT} and {@code SELECT} by primary key on the same kind of database (a
 *       {@code ConcurrentHashMap} for {@code memory}, without a target); target for H2 and PostgreSQL: ratio at least
 *       0.5.
 *   <li>{@code store.metadata.write-p99.<store>}: the 99th percentile of a single write, against the baseline's.
 *   <li>{@code store.blob.put.1g} (quick: {@code .256m}): MB/s of a local blob put of a file of random bytes, against
 *       {@code openssl dgst -sha256} then {@code cp} on the same file; target: ratio at least 1.0. With
 *       {@code .peak-heap}: the heap of that put in a JVM capped at 64 MB; target: under 64 MB.
 *   <li>{@code store.blob.put-with-manifest.1g} (quick: {@code .256m}): the same with {@code putWithManifest}, which
 *       also hashes each chunk alone; no target: it shows what the chunk digests cost.
 * </ul>
 */
public final class StoreSuite implements Suite {
  static final long BLOB_BUDGET_MB = 64;
  private static final long MIB = 1L << 20;

  @Override
  public String name() {
    return "store";
  }

  @Override
  public String description() {
    return "metadata store writes and reads against raw JDBC, and a 1 GiB blob put (plain and with a manifest) "
        + "against openssl + cp";
  }

  @Override
  public List<Figure> run(SuiteContext context) throws Exception {
    Jmh jmh = new Jmh(context, name());
    context.log("  JMH report: " + jmh.logFile());
    Path work = BenchFiles.workDirectory(context, name());
    JmhSettings settings = context.jmh().withJvmArgs("-D" + BenchFiles.WORK_PROPERTY + "=" + work);
    Optional<String> noPostgres = PostgresSchema.unavailable();
    noPostgres.ifPresent(context::note);
    List<String> stores = noPostgres.isEmpty() ? List.of("memory", "h2", "pg") : List.of("memory", "h2");
    List<String> databases = noPostgres.isEmpty() ? List.of("h2", "pg") : List.of("h2");

    // Each figure's two benchmarks run one right after the other, so that the machine's load changes less between
    // them than between whole classes.
    List<Measurement> map = new ArrayList<>();
    List<Measurement> opskit = new ArrayList<>();
    List<Measurement> jdbc = new ArrayList<>();
    for (String op : List.of("write", "read")) {
      opskit.addAll(jmh.run(MetadataBenchmark.class, op, params("store", List.of("memory")), settings));
      map.addAll(jmh.run(MapBaselineBenchmark.class, op, params(), settings));
      for (String db : databases) {
        opskit.addAll(jmh.run(MetadataBenchmark.class, op, params("store", List.of(db)), settings));
        jdbc.addAll(jmh.run(JdbcBaselineBenchmark.class, op, params("db", List.of(db)), settings));
      }
    }

    List<Figure> figures = new ArrayList<>();
    for (String op : List.of("write", "read")) {
      for (String store : stores) {
        Measurement m = pick(opskit, op, "store", store);
        boolean memory = store.equals("memory");
        Measurement base = memory ? pick(map, op) : pick(jdbc, op, "db", store);
        String baselineOf = memory
            ? "ConcurrentHashMap " + (op.equals("write") ? "put" : "get") + " of the same records (no database; "
                + "no target)"
            : "raw JDBC " + (op.equals("write") ? "INSERT" : "SELECT by primary key") + " in auto-commit on "
                + (store.equals("h2") ? "a separate H2 file with the same settings" : "the same PostgreSQL server")
                + ", same pool kind";
        figures.add(throughput("store.metadata." + op + "." + store, m, base, baselineOf,
            memory ? null : Target.ratioAtLeast(0.5)));
      }
    }
    for (String store : stores) {
      Measurement m = pick(opskit, "write", "store", store);
      Measurement base = store.equals("memory") ? pick(map, "write") : pick(jdbc, "write", "db", store);
      Map<String, Object> details = new LinkedHashMap<>(Scores.describe("", m));
      details.putAll(Scores.describe("baseline", base));
      figures.add(new Figure("store.metadata.write-p99." + store, Scores.percentileMicros(m, "p99"), "us",
          Scores.percentileMicros(base, "p99"), "99th percentile of the same baseline's writes", null, details));
    }

    figures.addAll(blobPut(context, work));
    BenchFiles.deleteTree(work);
    return figures;
  }

  private static Measurement pick(List<Measurement> all, String method, String... keyValues) {
    List<Measurement> found = all.stream()
        .filter(m -> m.benchmark().endsWith("." + method) && m.matches(keyValues)).toList();
    if (found.size() != 1) {
      throw new IllegalStateException(found.size() + " measurements of " + method + " " + List.of(keyValues));
    }
    return found.get(0);
  }

  private static Figure throughput(String name, Measurement m, Measurement base, String baselineOf,
      @Nullable Target target) {
    Map<String, Object> details = new LinkedHashMap<>(Scores.describe("", m));
    details.putAll(Scores.describe("baseline", base));
    return new Figure(name, Scores.opsPerSecond(m), "ops/s", Scores.opsPerSecond(base), baselineOf, target, details);
  }

  /** The blob figures: the put's throughput against openssl + cp, and its heap under the cap. */
  private static List<Figure> blobPut(SuiteContext context, Path work) throws IOException, InterruptedException {
    boolean quick = context.quick();
    long size = quick ? 256 * MIB : 1024 * MIB;
    String label = quick ? "256m" : "1g";
    int rounds = quick ? 3 : 5;
    context.log("  blob put: " + label + " file of random bytes; baseline openssl dgst -sha256 + cp, 1 + " + rounds
        + " runs; opskit in a JVM with -Xmx" + BLOB_BUDGET_MB + "m, 1 + " + rounds + " puts");
    context.sampleLoad("before the blob put");
    Path input = BenchFiles.randomFile(work.resolve("blob-input.bin"), size, 42);
    HashAndCopy.Result base = HashAndCopy.measure(input, work.resolve("copies"), 1, rounds);
    Forked.Result probe = Forked.run(List.of("-Xmx" + BLOB_BUDGET_MB + "m", "-XX:+UseG1GC"), BlobPutProbe.class,
        List.of(input.toString(), work.resolve("blobs").toString(), "1", Integer.toString(rounds)),
        context.outputDirectory().resolve("bench-store-blob.log"), Duration.ofMinutes(10));
    BenchFiles.deleteTree(work.resolve("blobs"));
    // The same put with a manifest: chunk digests make it hash all but the first MiB twice.
    Forked.Result withManifest = Forked.run(List.of("-Xmx" + BLOB_BUDGET_MB + "m", "-XX:+UseG1GC"),
        BlobPutProbe.class, List.of(input.toString(), work.resolve("blobs").toString(), "1",
            Integer.toString(rounds), "manifest"),
        context.outputDirectory().resolve("bench-store-blob-manifest.log"), Duration.ofMinutes(10));
    BenchFiles.deleteTree(work.resolve("blobs"));
    java.nio.file.Files.delete(input);

    List<Double> seconds = new ArrayList<>();
    String id = "";
    for (Map<String, String> round : probe.lines("ROUND")) {
      if (round.get("warmup").equals("false")) {
        seconds.add(Double.parseDouble(round.get("seconds")));
      }
      id = round.get("id");
    }
    double mbs = size / (double) MIB;
    double value = probe.succeeded() && !seconds.isEmpty() ? mbs / Stats.median(seconds) : Double.NaN;
    if (!probe.succeeded()) {
      context.note("the blob put probe failed: " + probe.problem());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("bytes", size);
    details.put("method", "BlobStore.local(dir).put(new FileInputStream(file)) in a JVM with -Xmx64m -XX:+UseG1GC, "
        + "file in the page cache; each put hashes, writes a temp file, forces it to disk and renames it");
    details.put("putSeconds", seconds);
    details.put("baselineSeconds", base.seconds());
    details.put("baselineOpensslMedianSeconds", Stats.median(base.hashSeconds()));
    details.put("baselineCpMedianSeconds", Stats.median(base.copySeconds()));
    details.put("untimedSyncOfCopyMedianSeconds", Stats.median(base.syncSeconds()));
    details.put("blobIdEqualsOpensslDigest", id.equals(base.sha256()));
    details.put("probeLog", "bench-store-blob.log");
    List<Figure> figures = new ArrayList<>();
    figures.add(new Figure("store.blob.put." + label, value, "MB/s", mbs / base.medianSeconds(),
        "openssl dgst -sha256 FILE then cp FILE DEST (no fsync), same file, same run", Target.ratioAtLeast(1.0),
        details));

    List<Double> manifestSeconds = new ArrayList<>();
    for (Map<String, String> round : withManifest.lines("ROUND")) {
      if (round.get("warmup").equals("false")) {
        manifestSeconds.add(Double.parseDouble(round.get("seconds")));
      }
    }
    if (!withManifest.succeeded()) {
      context.note("the blob put-with-manifest probe failed: " + withManifest.problem());
    }
    Map<String, Object> manifestDetails = new LinkedHashMap<>();
    manifestDetails.put("method", "BlobStore.local(dir).putWithManifest(new FileInputStream(file)), as above: the "
        + "id's digest with the checkpoints, and a second digest of each chunk alone (all but the first MiB)");
    manifestDetails.put("putWithManifestSeconds", manifestSeconds);
    manifestDetails.put("plainPutMBs", value);
    manifestDetails.put("probeLog", "bench-store-blob-manifest.log");
    double manifestValue = withManifest.succeeded() && !manifestSeconds.isEmpty()
        ? mbs / Stats.median(manifestSeconds) : Double.NaN;
    figures.add(new Figure("store.blob.put-with-manifest." + label, manifestValue, "MB/s", mbs / base.medianSeconds(),
        "openssl dgst -sha256 FILE then cp FILE DEST (no fsync), same file, same run", null, manifestDetails));

    Optional<Map<String, String>> heap = probe.last("HEAP");
    Map<String, Object> heapDetails = new LinkedHashMap<>();
    heapDetails.put("method", "forked JVM capped at -Xmx64m: completing proves the put fits; value = largest heap "
        + "occupancy seen just before any collection or at the end, garbage included");
    heapDetails.put("completedUnderCap", probe.succeeded());
    heap.ifPresent(h -> heapDetails.putAll(HeapWatch.describe(h)));
    double peak = probe.succeeded() && heap.isPresent()
        ? Stats.mb(Long.parseLong(heap.get().get("peak"))) : Double.NaN;
    figures.add(new Figure("store.blob.put." + label + ".peak-heap", peak, "MB", BLOB_BUDGET_MB, "budget: 64 MB",
        Target.valueBelow(BLOB_BUDGET_MB), heapDetails));
    return figures;
  }
}
