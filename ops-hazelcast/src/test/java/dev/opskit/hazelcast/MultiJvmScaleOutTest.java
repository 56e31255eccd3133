package dev.opskit.hazelcast;

import static dev.opskit.hazelcast.ScaleOutPipelines.BASE;
import static dev.opskit.hazelcast.ScaleOutPipelines.KILLABLE;
import static dev.opskit.hazelcast.ScaleOutPipelines.SQUARED;
import static dev.opskit.hazelcast.ScaleOutPipelines.STOPPABLE;
import static dev.opskit.hazelcast.ScaleOutPipelines.TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.hazelcast.ScaleOutNode.SharedWorkspace;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepStatus;
import dev.opskit.run.StepTimeoutException;
import dev.opskit.s3.S3ProxyServer;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.test.PostgresTestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out across processes (issue 19): a coordinator and two workers, each a JVM of its own on 127.0.0.1, share a
 * workspace on one PostgreSQL schema and one S3Proxy bucket, and the test kills, or stops, one of them mid-step.
 * Workers run attempts of runs that are active in another process: they read inputs by version id and commit their
 * outputs once per run and step. Needs {@value PostgresTestDatabase#URL_VARIABLE}; skipped, with that reason, without
 * it (see {@link PostgresTestDatabase}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MultiJvmScaleOutTest {
  private static final Duration START_BOUND = Duration.ofSeconds(60);
  private static final Duration BOUND = Duration.ofSeconds(45);
  private static final String CLUSTER = "multi-jvm";
  private static @Nullable S3ProxyServer s3;

  @TempDir
  static Path s3Directory;
  @TempDir
  Path dir;

  private PostgresTestDatabase db;
  private String bucket;
  private Path control;
  private SharedWorkspace shared;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private @Nullable OpsCluster member;
  private final List<Throwable> retried = new CopyOnWriteArrayList<>();
  private final RunListener retries = new RunListener() {
    @Override
    public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
      retried.add(error);
    }
  };

  @BeforeEach
  void start() throws Exception {
    db = PostgresTestDatabase.create(); // skips the test without a PostgreSQL server
    if (s3 == null) { // started once, after the first test that is not skipped
      s3 = S3ProxyServer.start(s3Directory);
    }
    bucket = s3.createBucket();
    control = Files.createDirectory(dir.resolve("control"));
    shared = SharedWorkspace.open(db.url(), s3.endpoint(), bucket);
  }

  @AfterEach
  void stop() {
    try {
      if (member != null) {
        member.close();
      }
    } finally {
      nodes.forEach(NodeProcess::close);
      if (shared != null) {
        shared.close();
      }
      if (db != null) {
        db.close();
      }
    }
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }

  @Test
  void aWorkerKilledMidStepFailsItsAttemptAndTheRetryOnTheOtherWorkerCommitsTheOnlyVersion() throws Exception {
    List<String> addresses = addresses(3);
    touch("hold-square-1");
    member = coordinator(addresses, 0);
    NodeProcess a = worker("worker-a", addresses, 1);
    NodeProcess b = worker("worker-b", addresses, 2);
    awaitReady(a, b);
    awaitMembers(3);

    RunHandle handle = shared.workspace().runner().plan(pipeline(KILLABLE)).executor(member.executor())
        .listener(retries).start();
    long holder = awaitStarted("square", 1);
    NodeProcess lost = holder == a.pid() ? a : b;
    NodeProcess survivor = lost == a ? b : a;
    lost.kill();
    touch("release-square");

    Run run = awaitEnd(handle);
    String lostAddress = addresses.get(lost == a ? 1 : 2);
    String survivorAddress = addresses.get(survivor == a ? 1 : 2);
    assertThat(run.status()).as(() -> run.summary() + "\n" + logs()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.step("square").attempts()).as(this::logs).isEqualTo(2);
    assertThat(run.step("square").ranBy()).as("the record names the member of the last attempt").contains(
        survivorAddress);
    assertThat(started("square", 1)).as("the first attempt ran in the killed worker's process").containsExactly(
        lost.pid());
    assertThat(started("square", 2)).as("the retry ran in the surviving worker's process").containsExactly(
        survivor.pid());
    assertThat(retried).as(this::logs).singleElement().isInstanceOfSatisfying(MemberLostException.class,
        e -> assertThat(e.member()).isEqualTo(lostAddress));
    assertOneVersionEach(run);
    assertThat(outputs(run)).isEqualTo(direct(KILLABLE));
  }

  @Test
  void aRunWhoseCoordinatorWasKilledIsResumedOnTheSameWorkersAndReusesWhatTheyCommitted() throws Exception {
    List<String> addresses = addresses(4); // workers, the coordinator that is killed, the one that resumes
    touch("hold-add-1");
    NodeProcess a = worker("worker-a", addresses, 0);
    awaitReady(a); // the first member forms the cluster; the others join it
    NodeProcess b = worker("worker-b", addresses, 1);
    NodeProcess lost = node("coordinator", addresses, 2, "role=coordinator", "pipeline=" + KILLABLE, "size=3");
    awaitReady(b);
    String runId = lost.awaitLine("RUN ", START_BOUND);
    awaitStarted("add", 1);
    assertThat(answered(runId, "square", 1)).as("square committed before add started").isPresent();
    lost.kill();
    Workspace ws = shared.workspace();
    assertThat(ws.run(runId)).as(this::logs).hasValueSatisfying(r -> assertThat(r.status())
        .isEqualTo(RunStatus.RUNNING));
    // The attempt of the lost coordinator runs on and commits, but nobody hears its answer.
    touch("release-add");
    awaitFile(ScaleOutNode.answered(control, runId, "add", 1));

    member = coordinator(addresses, 3);
    awaitMembers(3); // the two workers and this JVM: the killed coordinator is gone
    RunHandle handle = ws.runner().plan(pipeline(KILLABLE)).resuming(runId).executor(member.executor())
        .listener(retries).start();
    Run resumed = awaitEnd(handle);

    assertThat(resumed.status()).as(() -> resumed.summary() + "\n" + logs()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(resumed.resumedFrom()).contains(runId);
    assertThat(ws.run(runId)).as("the lost coordinator's run no longer shows as running")
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(RunStatus.CANCELLED));
    assertThat(resumed.step("seed").status()).as("a source runs again").isEqualTo(StepStatus.SUCCEEDED);
    assertThat(resumed.step("square").status()).as("committed by a worker and recorded by the lost coordinator")
        .isEqualTo(StepStatus.CACHED);
    assertThat(resumed.step("add").status()).as("not recorded by the lost coordinator").isEqualTo(
        StepStatus.SUCCEEDED);
    assertThat(started("square", 1)).as("square ran once in all").hasSize(1);
    assertThat(started("square", 2)).isEmpty();
    assertThat(retried).isEmpty();
    assertOneVersionEach(resumed);
    assertThat(outputs(resumed)).isEqualTo(direct(KILLABLE));
  }

  @Test
  void aWorkerStoppedMidStepIsGivenUpOnAndItsLateAnswerCommitsNothing() throws Exception {
    List<String> addresses = addresses(3);
    touch("hold-square-1");
    member = coordinator(addresses, 0);
    NodeProcess a = worker("worker-a", addresses, 1);
    NodeProcess b = worker("worker-b", addresses, 2);
    awaitReady(a, b);
    awaitMembers(3);

    RunHandle handle = shared.workspace().runner().plan(pipeline(STOPPABLE)).executor(member.executor())
        .listener(retries).start();
    long holder = awaitStarted("square", 1);
    NodeProcess stopped = holder == a.pid() ? a : b;
    NodeProcess survivor = stopped == a ? b : a;
    Run run;
    try {
      stopped.signal("STOP");
      run = awaitEnd(handle);
      // The stopped attempt goes on when continued, and would write another value: it must not become a version.
      touch("stale-square");
      touch("release-square");
    } finally {
      stopped.signal("CONT");
    }

    Run done = run;
    assertThat(done.status()).as(() -> done.summary() + "\n" + logs()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.step("square").attempts()).as(this::logs).isEqualTo(2);
    assertThat(started("square", 2)).containsExactly(survivor.pid());
    assertThat(done.step("square").ranBy()).contains(addresses.get(survivor == a ? 1 : 2));
    assertThat(retried).as(this::logs).singleElement().satisfiesAnyOf(
        e -> assertThat(e).isInstanceOf(StepTimeoutException.class),
        e -> assertThat(e).isInstanceOf(MemberLostException.class));
    String late = Files.readString(awaitFile(ScaleOutNode.answered(control, done.id(), "square", 1)));
    assertThat(late).as("the late attempt answers the version the retry committed")
        .contains("squared=" + done.step("square").outputs().get("squared"));
    assertOneVersionEach(done);
    assertThat(outputs(done)).isEqualTo(direct(STOPPABLE));

    // The continued process rejoins the cluster or exits; either way nothing hangs.
    int stoppedPort = port(addresses.get(stopped == a ? 1 : 2));
    awaitTrue("the stopped worker rejoins or exits", () -> !stopped.isAlive() || member.hazelcast().getCluster()
        .getMembers().stream().anyMatch(m -> m.getAddress().getPort() == stoppedPort));
  }

  /** Asserts that each output has exactly one version, the one the run recorded, made by the run's steps. */
  private void assertOneVersionEach(Run run) {
    Catalog catalog = Catalog.in(shared.workspace());
    for (var step : Map.of("seed", BASE.name(), "square", SQUARED.name(), "add", TOTAL.name()).entrySet()) {
      List<DatasetVersion> history = catalog.history(step.getValue(), 10, 0).items();
      assertThat(history).as("versions of %s\n%s", step.getValue(), logs()).hasSize(1);
      assertThat(history.get(0).id()).isEqualTo(run.step(step.getKey()).outputs().get(step.getValue()));
    }
  }

  private static Map<String, Integer> outputs(Run run) {
    return Map.of(BASE.name(), run.output(BASE), SQUARED.name(), run.output(SQUARED), TOTAL.name(),
        run.output(TOTAL));
  }

  /** The outputs of the same pipeline run in one process with {@link Executor#direct()}, nothing held. */
  private Map<String, Integer> direct(String pipeline) throws IOException {
    Path quiet = Files.createDirectory(dir.resolve("direct"));
    try (MetadataStore metadata = MetadataStore.inMemory(); BlobStore blobs = BlobStore.inMemory();
         Workspace ws = Workspace.builder().open(metadata, blobs)) {
      return outputs(ws.runner().plan(ScaleOutPipelines.pipeline(pipeline, quiet)).executor(Executor.direct()).run());
    }
  }

  private Pipeline pipeline(String name) {
    return ScaleOutPipelines.pipeline(name, control);
  }

  private static List<String> addresses(int n) {
    return Stream.generate(() -> "127.0.0.1:" + TestCluster.freePort()).limit(n).toList();
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** This JVM as a member without a worker, at address {@code i}. */
  private OpsCluster coordinator(List<String> addresses, int i) {
    return OpsCluster.embedded(ScaleOutNode.member(CLUSTER, port(addresses.get(i)), addresses.toArray(new String[0]))
        .pipelines(ScaleOutPipelines.registry(control)).build());
  }

  private NodeProcess worker(String name, List<String> addresses, int i) throws IOException {
    return node(name, addresses, i, "role=worker");
  }

  private NodeProcess node(String name, List<String> addresses, int i, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("cluster=" + CLUSTER, "port=" + port(addresses.get(i)),
        "members=" + String.join(",", addresses), "pg=" + db.url(), "s3=" + s3.endpoint(), "bucket=" + bucket,
        "control=" + control));
    args.addAll(List.of(more));
    NodeProcess node = NodeProcess.start(name, dir, args);
    nodes.add(node);
    return node;
  }

  private static void awaitReady(NodeProcess... workers) throws InterruptedException {
    for (NodeProcess w : workers) {
      w.awaitLine("READY", START_BOUND);
    }
  }

  private void awaitMembers(int n) throws InterruptedException {
    awaitTrue("the cluster has " + n + " members", () -> member.hazelcast().getCluster().getMembers().size() == n);
  }

  private Run awaitEnd(RunHandle handle) throws InterruptedException {
    Optional<Run> run = handle.await(BOUND);
    assertThat(run).as(() -> "run " + handle.runId() + " ends within " + BOUND + "; its state: "
        + handle.snapshot().summary() + "\nretried after: " + retried + "\nmembers seen here: "
        + member.hazelcast().getCluster().getMembers() + "\n" + logs()).isPresent();
    return run.get();
  }

  /** Waits for the first attempt {@code attempt} of a step to start, and answers the pid of its process. */
  private long awaitStarted(String step, int attempt) throws InterruptedException {
    awaitTrue("attempt " + attempt + " of step '" + step + "' starts", () -> !started(step, attempt).isEmpty());
    return started(step, attempt).get(0);
  }

  /** The pids of the processes in which attempt {@code attempt} of a step started, over every run of the test. */
  private List<Long> started(String step, int attempt) {
    String prefix = "started-" + step + "-" + attempt + "-";
    try (Stream<Path> files = Files.list(control)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(prefix))
          .map(f -> Long.parseLong(f.substring(prefix.length()))).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Optional<Path> answered(String runId, String step, int attempt) {
    Path file = ScaleOutNode.answered(control, runId, step, attempt);
    return Files.exists(file) ? Optional.of(file) : Optional.empty();
  }

  private Path awaitFile(Path file) throws InterruptedException {
    awaitTrue(file.getFileName() + " exists", () -> Files.exists(file));
    return file;
  }

  private void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + BOUND + ": " + what + "\n" + logs());
      }
      Thread.sleep(20); // polls what another process does
    }
  }

  private void touch(String name) throws IOException {
    ScaleOutPipelines.touch(control.resolve(name));
  }

  /** The output of every node process, for assertion messages. */
  private String logs() {
    return nodes.stream().map(NodeProcess::describe).collect(Collectors.joining("\n"));
  }
}
