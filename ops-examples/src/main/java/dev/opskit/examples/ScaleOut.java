package dev.opskit.examples;

import dev.opskit.Workspace;
import dev.opskit.data.Datasets;
import dev.opskit.hazelcast.OpsCluster;
import dev.opskit.hazelcast.OpsClusterConfig;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import dev.opskit.s3.S3BlobStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs a pipeline's steps on other JVMs with the Hazelcast executor of {@code ops-hazelcast}. Every process runs this
 * same class: <b>workers</b> are Hazelcast members that run the steps sent to them, and the <b>coordinator</b>
 * connects to them as a Hazelcast client, plans the run and sends each step to the worker with the most free slots.
 * Steps travel by name; their inputs and outputs go through the workspace that every process opens on the same
 * stores: metadata in PostgreSQL, blobs in a directory they all see or in an S3 bucket. So every dataset of the
 * pipeline has a codec ({@code Datasets.json}).
 *
 * <p>The pipeline: {@code seed} writes a number, eight {@code shard-<i>} steps each read it and hash for a moment (a
 * stand-in for real work), and {@code total} adds their results up. The coordinator prints which worker ran each step.
 *
 * <p><b>On one machine</b>, with PostgreSQL at {@code $PG} (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) and the blobs in a local directory: build once, then
 * start two workers and the coordinator, each in a terminal of its own.
 *
 * <pre>
 * ./mvnw -q -pl ops-examples -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
 * CP=ops-examples/target/classes:$(cat ops-examples/target/classpath.txt)
 * MEMBERS=127.0.0.1:5701,127.0.0.1:5702
 * java -cp $CP dev.opskit.examples.ScaleOut worker $PG .opskit-scale-out/blobs 5701 $MEMBERS
 * java -cp $CP dev.opskit.examples.ScaleOut worker $PG .opskit-scale-out/blobs 5702 $MEMBERS
 * java -cp $CP dev.opskit.examples.ScaleOut coordinator $PG .opskit-scale-out/blobs $MEMBERS
 * </pre>
 *
 * <p>A worker prints {@code worker 5701 ready} and runs until it is stopped (Ctrl-C). The coordinator waits until every
 * listed member is up, runs the pipeline, prints each step's status and worker and the total, and exits; run it again
 * and the shards are {@code CACHED}, since nothing they read changed. Hazelcast logs a warning about JVM flags unless
 * the JVMs get those of {@code docs/scale-out.md} ("JVM flags"); it works without them.
 *
 * <p><b>On three machines</b> the code is the same; only the arguments change. Say the workers are {@code 10.0.0.11}
 * and {@code 10.0.0.12}, the coordinator is a third machine, PostgreSQL is {@code db.internal} and the blobs go to the
 * bucket {@code team-ml}: each worker lists both workers, and the blob location is an {@code s3://} URI, which this
 * class opens as {@code Workspace.postgres(dataSource, S3BlobStore.at(uri))} (credentials from the AWS SDK's default
 * chain).
 *
 * <pre>
 * PG=jdbc:postgresql://db.internal:5432/opskit?user=opskit
 * BLOBS=s3://team-ml/opskit?region=eu-west-1
 * MEMBERS=10.0.0.11:5701,10.0.0.12:5701
 * java -cp $CP dev.opskit.examples.ScaleOut worker $PG $BLOBS 5701 $MEMBERS        # on 10.0.0.11
 * java -cp $CP dev.opskit.examples.ScaleOut worker $PG $BLOBS 5701 $MEMBERS        # on 10.0.0.12
 * java -cp $CP dev.opskit.examples.ScaleOut coordinator $PG $BLOBS $MEMBERS        # on the third machine
 * </pre>
 *
 * <p>The workers' port must be open to each other and to the coordinator, and to nothing else: Hazelcast's community
 * edition has no authentication or encryption (see {@code docs/scale-out.md}, "Security").
 */
public final class ScaleOut {
  /** The Hazelcast cluster name; members and clients of other names never meet. */
  static final String CLUSTER = "opskit-scale-out";
  static final int SHARDS = 8;
  static final Dataset<Long> SEED = Datasets.json("scale-out/seed", Long.class);
  static final Dataset<Long> TOTAL = Datasets.json("scale-out/total", Long.class);

  private ScaleOut() {}

  /**
   * Runs a worker or the coordinator.
   *
   * @param args {@code worker <jdbc-url> <blobs> <port> <members>} or {@code coordinator <jdbc-url> <blobs>
   *     <members>}, where {@code blobs} is a directory or an {@code s3://} URI and {@code members} lists the workers'
   *     {@code host:port}, comma-separated
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length == 5 && args[0].equals("worker")) {
      work(args[1], args[2], Integer.parseInt(args[3]), args[4].split(","), System.out, new CountDownLatch(1));
    } else if (args.length == 4 && args[0].equals("coordinator")) {
      coordinate(args[1], args[2], args[3].split(","), System.out);
    } else {
      System.err.println("usage: ScaleOut worker <jdbc-url> <blob-dir | s3://bucket/prefix> <port> <host:port,...>");
      System.err.println("       ScaleOut coordinator <jdbc-url> <blob-dir | s3://bucket/prefix> <host:port,...>");
      System.exit(2);
    }
  }

  /** The pipeline, built the same in every process: steps are looked up by name where they run. */
  static Pipeline pipeline() {
    PipelineBuilder b = Pipeline.builder("scale-out")
        .step("seed", s -> s.writes(SEED).apply(() -> 42L));
    List<Dataset<?>> shards = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      int shard = i;
      Dataset<Long> out = Datasets.json("scale-out/shard-" + i, Long.class);
      shards.add(out);
      b.step("shard-" + i, s -> s.reads(SEED).writes(out).apply(seed -> work(seed, shard)));
    }
    return b.step("total", s -> s.inputs(shards.toArray(new Dataset<?>[0])).outputs(TOTAL).run(ctx -> {
      long sum = 0;
      for (Dataset<?> shard : shards) {
        sum += (Long) ctx.input(shard);
      }
      ctx.output(TOTAL, sum);
    })).build();
  }

  /** A shard's work, a stand-in for a real one: 50 million rounds of a 64-bit xorshift, some tens of milliseconds. */
  static long work(long seed, int shard) {
    long x = seed * 31 + shard;
    for (int i = 0; i < 50_000_000; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x & 0xffff;
  }

  /**
   * Opens the shared workspace: metadata in PostgreSQL; blobs in an S3 bucket for an {@code s3://} URI, else in a
   * directory every process sees.
   */
  static Workspace workspace(String jdbcUrl, String blobs) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    DataSource ds = dataSource;
    return blobs.startsWith("s3://") ? Workspace.postgres(ds, S3BlobStore.at(blobs))
        : Workspace.postgres(ds, Path.of(blobs));
  }

  /**
   * Runs a worker: a member of the cluster that runs up to two steps at once, until {@code stop} is counted down or
   * the JVM shuts down.
   */
  static void work(String jdbcUrl, String blobs, int port, String[] members, PrintStream out, CountDownLatch stop)
      throws InterruptedException {
    PipelineRegistry pipelines = PipelineRegistry.of(pipeline());
    try (Workspace workspace = workspace(jdbcUrl, blobs);
        OpsCluster member = OpsCluster.embedded(OpsClusterConfig.builder(CLUSTER)
            .members(members)
            .port(port)
            .slots(2)
            .worker(workspace.worker(pipelines))
            .build())) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      out.println("worker " + port + " ready, in " + member);
      stop.await();
    }
  }

  /** Runs the coordinator: a client that waits for the listed workers, runs the pipeline on them and reports. */
  static Run coordinate(String jdbcUrl, String blobs, String[] members, PrintStream out) throws InterruptedException {
    Pipeline pipeline = pipeline();
    try (Workspace workspace = workspace(jdbcUrl, blobs);
        OpsCluster client = OpsCluster.client(OpsClusterConfig.builder(CLUSTER)
            .members(members)
            .pipelines(PipelineRegistry.of(pipeline))
            .build())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (client.hazelcast().getCluster().getMembers().size() < members.length) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + client.hazelcast().getCluster().getMembers() + " of "
              + String.join(", ", members) + " joined within 60 s");
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      out.println("[coordinator] cluster '" + CLUSTER + "' has " + members.length + " workers");
      long start = System.nanoTime();
      Run run = workspace.runner().plan(pipeline).executor(client.executor()).run();
      out.printf(Locale.ROOT, "[coordinator] run %s %s in %d ms%n", run.id(), run.status(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      TreeSet<String> workers = new TreeSet<>();
      for (StepRecord step : run.steps()) {
        String by = step.ranBy().orElse("-");
        out.printf(Locale.ROOT, "  %-8s %-9s %s%n", step.step(), step.status(), by);
        step.ranBy().ifPresent(workers::add);
      }
      out.printf(Locale.ROOT, "[coordinator] total = %d; steps ran on %d workers: %s%n", run.output(TOTAL),
          workers.size(), String.join(", ", workers));
      return run;
    }
  }
}
