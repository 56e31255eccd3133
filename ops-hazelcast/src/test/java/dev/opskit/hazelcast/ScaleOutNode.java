package dev.opskit.hazelcast;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepWorker;
import dev.opskit.s3.S3BlobStore;
import dev.opskit.s3.S3ProxyServer;
import dev.opskit.store.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A JVM of the multi-JVM tests, started as a process by {@link MultiJvmScaleOutTest}. Its arguments are
 * {@code key=value} pairs: {@code role} ({@code worker} or {@code coordinator}), {@code cluster}, {@code port},
 * {@code members} (comma-separated), {@code pg} (a JDBC URL), {@code s3} (an endpoint), {@code bucket},
 * {@code control} (the pipelines' control directory) and, for a coordinator, {@code pipeline} and {@code size} (the
 * members to wait for before it starts the run).
 *
 * <ul>
 *   <li>A {@code worker} uses the shared stores once ({@link #WARM_UP}), joins the cluster as a member with one slot
 *       and a worker over the shared workspace, prints {@code READY}, and runs steps until it is killed or its
 *       standard input closes. After each attempt it creates the file {@link #answered} names in the control
 *       directory, holding the outputs it answered and its pid.
 *   <li>A {@code coordinator} joins as a member without a worker, starts a run of the pipeline, prints
 *       {@code RUN <id>}, waits for its end and prints {@code END <status>}.
 * </ul>
 */
public final class ScaleOutNode {
  /** A dataset each worker writes and reads once before it joins the cluster. */
  static final Dataset<Integer> WARM_UP = Datasets.json("warm-up", Integer.class);
  /** The longest a coordinator waits for its run. */
  static final Duration RUN_BOUND = Duration.ofSeconds(120);

  private ScaleOutNode() {}

  /**
   * Entry point.
   *
   * @param args {@code key=value} pairs, see the class comment
   * @throws Exception if the node fails; the exit code is then not 0
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Path control = Path.of(a.get("control"));
    PipelineRegistry registry = ScaleOutPipelines.registry(control);
    try (SharedWorkspace shared = SharedWorkspace.open(a.get("pg"), URI.create(a.get("s3")), a.get("bucket"))) {
      Workspace ws = shared.workspace();
      OpsClusterConfig.Builder config = member(a.get("cluster"), Integer.parseInt(a.get("port")),
          a.get("members").split(",")).pipelines(registry);
      switch (a.get("role")) {
        case "worker" -> worker(config, ws, registry, control);
        case "coordinator" -> coordinator(config, ws, registry.require(a.get("pipeline")),
            Integer.parseInt(a.getOrDefault("size", "1")));
        default -> throw new IllegalArgumentException("unknown role " + a.get("role"));
      }
    }
    System.exit(0); // without waiting for the stores' non-daemon threads
  }

  private static void worker(OpsClusterConfig.Builder config, Workspace ws, PipelineRegistry registry, Path control)
      throws IOException {
    StepWorker worker = ws.worker(registry);
    StepWorker answering = invocation -> {
      StepOutcome outcome = worker.execute(invocation);
      List<String> lines = new ArrayList<>();
      new TreeMap<>(outcome.outputs()).forEach((name, version) -> lines.add(name + "=" + version));
      if (outcome.error() != null) {
        lines.add("error=" + outcome.error().message());
      }
      try {
        lines.add("pid=" + ProcessHandle.current().pid());
        Files.write(answered(control, invocation.runId(), invocation.step(), invocation.attempt()), lines);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return outcome;
    };
    // The first use of the stores (the S3 client, PostgreSQL, the codec) is slow in a cold JVM on a busy machine; paid
    // here, it does not eat into a step's timeout.
    Catalog catalog = Catalog.in(ws);
    catalog.read(WARM_UP, catalog.commit(WARM_UP, 1).id());
    try (OpsCluster cluster = OpsCluster.embedded(config.slots(1).worker(answering).build())) {
      System.out.println("READY " + ProcessHandle.current().pid() + " " + cluster.hazelcast().getCluster()
          .getLocalMember().getAddress());
      InputStream in = System.in;
      while (in.read() >= 0) {
        // runs steps until the test closes this process's input, or kills it
      }
    }
  }

  private static void coordinator(OpsClusterConfig.Builder config, Workspace ws, Pipeline pipeline, int size)
      throws InterruptedException {
    try (OpsCluster cluster = OpsCluster.embedded(config.build())) {
      long deadline = System.nanoTime() + RUN_BOUND.toNanos();
      while (cluster.hazelcast().getCluster().getMembers().size() < size) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not reach " + size + " members within " + RUN_BOUND);
        }
        Thread.sleep(20); // polls the member list until the workers have joined
      }
      RunHandle handle = ws.runner().plan(pipeline).executor(cluster.executor()).start();
      System.out.println("RUN " + handle.runId());
      Optional<Run> run = handle.await(RUN_BOUND);
      System.out.println("END " + run.map(r -> r.status().toString()).orElse("UNFINISHED"));
    }
  }

  /**
   * A member's configuration in these tests: the cluster's addresses, its port, Hazelcast's joins shortened as in
   * {@link TestCluster#fast}, a member that stops answering dropped after 5 seconds, and split clusters merged
   * within seconds (a member dropped while it was stopped comes back as a cluster of its own).
   */
  static OpsClusterConfig.Builder member(String cluster, int port, String... members) {
    return TestCluster.fast(OpsClusterConfig.builder(cluster).members(members).port(port))
        .property("hazelcast.heartbeat.interval.seconds", "1")
        .property("hazelcast.max.no.heartbeat.seconds", "5")
        .property("hazelcast.merge.first.run.delay.seconds", "2")
        .property("hazelcast.merge.next.run.delay.seconds", "2");
  }

  /** A workspace on a PostgreSQL schema and an S3Proxy bucket, and the stores it is made of. */
  record SharedWorkspace(MetadataStore metadata, S3BlobStore blobs, Workspace workspace) implements AutoCloseable {
    static SharedWorkspace open(String jdbcUrl, URI endpoint, String bucket) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(jdbcUrl);
      MetadataStore metadata = MetadataStore.postgres(ds);
      S3BlobStore blobs = S3BlobStore.builder(bucket).endpoint(endpoint).pathStyle(true).region("us-east-1")
          .credentials(S3ProxyServer.credentials()).prefix("ws").open();
      return new SharedWorkspace(metadata, blobs, Workspace.builder().open(metadata, blobs));
    }

    @Override
    public void close() {
      workspace.close();
      blobs.close();
      metadata.close();
    }
  }

  /** The file a worker writes when it has answered an attempt. */
  static Path answered(Path control, String runId, String step, int attempt) {
    return control.resolve("answered-" + runId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + step + "-" + attempt);
  }
}
