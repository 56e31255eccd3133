package dev.opskit.benchmarks.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.opskit.Workspace;
import dev.opskit.benchmarks.BenchFiles;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.hazelcast.HazelcastExecutor;
import dev.opskit.hazelcast.OpsCluster;
import dev.opskit.hazelcast.OpsClusterConfig;
import dev.opskit.hazelcast.internal.HazelcastConfigs;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator of the {@code hazelcast} suite, run in a JVM of its own: an embedded member without a worker. It
 * starts two worker JVMs ({@link ClusterWorker}) on the loopback address, measures, and prints one line per round:
 *
 * <ol>
 *   <li><b>Overhead</b> (each worker with {@code slots} slots). Per round: {@code raw}, the milliseconds from the first
 *       {@code IExecutorService.submitToMember} of {@code width} {@link NoOpTask}s (alternating between the two
 *       workers, on the executor service whose pool on each worker has its slots as threads, the one opskit's steps
 *       use) until the last answer; then one run each of {@link ClusterPipelines#EMPTY_MEM},
 *       {@link ClusterPipelines#EMPTY_PG} and {@link ClusterPipelines#FANOUT} (with {@code forceAll()}) through one
 *       {@link HazelcastExecutor}, from the runner's call until it returns. The PostgreSQL pipelines run only when
 *       {@value PostgresSchema#URL_VARIABLE} names a server that answers; their workspace is a schema of its own and a
 *       blob directory the worker JVMs share.
 *   <li><b>Scaling</b> (the cluster started again, each worker with 1 slot). Per round: a run of
 *       {@link ClusterPipelines#HASH_SOLO}, whose steps only the first worker may run, then one of
 *       {@link ClusterPipelines#HASH_ALL}, which both run.
 * </ol>
 *
 * <p>Output lines: {@code CALIBRATE}, {@code ROUND phase=... round=... warmup=... <variant>=<ms>...}, {@code SPLIT
 * phase=... pipeline=... w1=<steps> w2=<steps>} (which worker ran how many steps of a measured round's run) and
 * {@code NOTE <text>}. Arguments: {@code workDir width warmups rounds slots hashSteps hashMillis}.
 */
public final class ClusterProbe {
  /** The JDK access Hazelcast 5.7 asks for (see {@code OpsCluster}), and its static logger through SLF4J. */
  public static final List<String> HAZELCAST_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "-Dhazelcast.logging.type=slf4j");
  static final List<String> WORKER_HEAP = List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC");
  private static final long BOUND_SECONDS = 120;
  /** The round's column of raw tasks sent at most as many at once as the workers have slots. */
  static final String RAW_SLOTS = "raw-slots";

  private ClusterProbe() {}

  /**
   * What to measure.
   *
   * @param workDirectory scratch: the shared blob directory and the worker JVMs' logs
   * @param width the fan-out's width, and how many raw tasks and empty steps
   * @param warmups rounds run first and reported as warm-up
   * @param rounds measured rounds
   * @param slots each worker's slots in the overhead phase
   * @param hashSteps the number of CPU-bound steps in the scaling phase
   * @param hashMillis about how long each of them hashes, calibrated in this JVM
   */
  record Plan(Path workDirectory, int width, int warmups, int rounds, int slots, int hashSteps, int hashMillis) {
    static Plan parse(String[] args) {
      return new Plan(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
          Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
    }
  }

  /**
   * Measures, printing to standard output.
   *
   * @param args see the class description
   * @throws Exception if the cluster cannot be started or a run fails
   */
  public static void main(String[] args) throws Exception {
    run(Plan.parse(args), System.out);
    System.exit(0); // Hikari's and Hazelcast's threads are gone, but a stray non-daemon one must not keep the JVM
  }

  static void run(Plan plan, PrintStream out) throws Exception {
    Path dir = plan.workDirectory().toAbsolutePath();
    Files.createDirectories(dir);
    long blocks = calibrate(plan.hashMillis(), out);
    PipelineRegistry pipelines = ClusterPipelines.all(plan.width(), plan.hashSteps(), blocks);
    Optional<String> unavailable = PostgresSchema.unavailable();
    unavailable.ifPresent(reason -> out.println("NOTE " + reason));
    PostgresSchema schema = unavailable.isEmpty() ? PostgresSchema.create("bench_hz") : null;
    Path blobs = dir.resolve("blobs");
    try (Workspace mem = Workspace.inMemory();
        Workspace pg = schema == null ? null : Workspace.postgres(schema.dataSource(), blobs)) {
      try (Phase phase = Phase.start("overhead", plan, plan.slots(), blocks, pipelines, schema, blobs)) {
        for (int r = 0; r < plan.warmups() + plan.rounds(); r++) {
          boolean warmup = r < plan.warmups();
          StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "ROUND phase=overhead round=%d warmup=%b",
              r, warmup));
          line.append(" raw=").append(ms(raw(phase.cluster.hazelcast(), plan.width(), 0)));
          line.append(" ").append(RAW_SLOTS).append('=').append(ms(raw(phase.cluster.hazelcast(), plan.width(),
              2 * plan.slots())));
          line.append(" ").append(ClusterPipelines.EMPTY_MEM).append('=').append(ms(phase.time(mem,
              pipelines, ClusterPipelines.EMPTY_MEM, !warmup && r == plan.warmups(), out)));
          if (pg != null) {
            for (String name : List.of(ClusterPipelines.EMPTY_PG, ClusterPipelines.FANOUT)) {
              line.append(" ").append(name).append('=').append(ms(phase.time(pg, pipelines, name,
                  !warmup && r == plan.warmups(), out)));
            }
          }
          out.println(line);
          out.flush();
        }
      }
      try (Phase phase = Phase.start("scaling", plan, 1, blocks, pipelines, null, blobs)) {
        for (int r = 0; r < plan.warmups() + plan.rounds(); r++) {
          boolean warmup = r < plan.warmups();
          boolean split = !warmup && r == plan.warmups();
          double solo = phase.time(mem, pipelines, ClusterPipelines.HASH_SOLO, split, out);
          double all = phase.time(mem, pipelines, ClusterPipelines.HASH_ALL, split, out);
          out.printf(Locale.ROOT, "ROUND phase=scaling round=%d warmup=%b %s=%s %s=%s%n", r, warmup,
              ClusterPipelines.HASH_SOLO, ms(solo), ClusterPipelines.HASH_ALL, ms(all));
          out.flush();
        }
      }
    } finally {
      if (schema != null) {
        schema.close();
      }
      BenchFiles.deleteQuietly(blobs);
    }
  }

  /** Finds how many 64 KiB blocks one step hashes in about {@code millis}, on this JVM, warmed up. */
  static long calibrate(int millis, PrintStream out) {
    for (int i = 0; i < 5; i++) {
      ClusterPipelines.hash(i, 400);
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      ClusterPipelines.hash(i, 400);
      best = Math.min(best, System.nanoTime() - t0);
    }
    double nanosPerBlock = best / 400.0;
    long blocks = Math.max(1, Math.round(millis * 1e6 / nanosPerBlock));
    out.printf(Locale.ROOT, "CALIBRATE blocks=%d blockMicros=%s stepMillis=%d%n", blocks,
        ms(nanosPerBlock / 1000), millis);
    return blocks;
  }

  /** Submits {@code n} no-op tasks to the worker members, alternating, and waits for every answer. */
  /**
   * Sends n no-op tasks with raw {@code submitToMember}, alternating between the worker members, and waits for the last
   * answer.
   *
   * @param hz the coordinator
   * @param n how many tasks
   * @param window the most tasks in flight at once (as opskit's slots allow), or 0 for all of them at once
   * @return milliseconds
   * @throws InterruptedException if interrupted
   */
  static double raw(HazelcastInstance hz, int n, int window) throws InterruptedException {
    List<Member> workers = new ArrayList<>();
    for (Member m : hz.getCluster().getMembers()) {
      if (m.getAttribute(HazelcastConfigs.SLOTS_ATTRIBUTE) != null) {
        workers.add(m);
      }
    }
    // The service opskit's steps use: on each worker its pool has the worker's slots as threads.
    IExecutorService service = hz.getExecutorService(HazelcastConfigs.EXECUTOR);
    CountDownLatch done = new CountDownLatch(n);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Semaphore inFlight = new Semaphore(window > 0 ? window : n);
    ExecutionCallback<Integer> callback = new ExecutionCallback<>() {
      @Override
      public void onResponse(Integer response) {
        inFlight.release();
        done.countDown();
      }

      @Override
      public void onFailure(Throwable t) {
        failure.compareAndSet(null, t);
        inFlight.release();
        done.countDown();
      }
    };
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (!inFlight.tryAcquire(BOUND_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("raw tasks: no answer within " + BOUND_SECONDS + " s");
      }
      service.submitToMember(new NoOpTask(), workers.get(i % workers.size()), callback);
    }
    if (!done.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("raw tasks: " + done.getCount() + " of " + n + " unanswered after "
          + BOUND_SECONDS + " s");
    }
    double millis = (System.nanoTime() - t0) / 1e6;
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("a raw task failed", t);
    }
    return millis;
  }

  static String ms(double millis) {
    return String.format(Locale.ROOT, "%.3f", millis);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Shortens Hazelcast's waits for joining and leaving, and its partition count, for a cluster of a few JVMs. */
  static OpsClusterConfig.Builder fast(OpsClusterConfig.Builder builder) {
    return builder
        .property("hazelcast.wait.seconds.before.join", "0")
        .property("hazelcast.max.wait.seconds.before.join", "0")
        .property("hazelcast.partition.count", "11")
        .property("hazelcast.graceful.shutdown.max.wait", "5")
        .property("hazelcast.shutdownhook.enabled", "false");
  }

  /** The coordinator's member, two worker JVMs, and one executor. */
  static final class Phase implements AutoCloseable {
    final OpsCluster cluster;
    final HazelcastExecutor executor;
    final List<Process> workers;
    final List<String> addresses;
    final String name;

    private Phase(String name, OpsCluster cluster, List<Process> workers, List<String> addresses) {
      this.name = name;
      this.cluster = cluster;
      this.executor = cluster.executor();
      this.workers = workers;
      this.addresses = addresses;
    }

    static Phase start(String name, Plan plan, int slots, long blocks, PipelineRegistry pipelines,
        @Nullable PostgresSchema schema, Path blobs) throws IOException, InterruptedException {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        addresses.add("127.0.0.1:" + freePort());
      }
      String clusterName = "bench-" + name + "-" + ProcessHandle.current().pid();
      OpsCluster cluster = OpsCluster.embedded(fast(OpsClusterConfig.builder(clusterName)
          .members(addresses.toArray(new String[0])).port(port(addresses.get(0))).pipelines(pipelines)).build());
      List<Process> processes = new ArrayList<>();
      Phase phase = new Phase(name, cluster, processes, addresses);
      try {
        List<Path> logs = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
          List<String> command = new ArrayList<>();
          command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
          command.addAll(WORKER_HEAP);
          command.addAll(HAZELCAST_FLAGS);
          command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterWorker.class.getName(),
              clusterName, Integer.toString(port(addresses.get(w))), String.join(",", addresses),
              Integer.toString(slots), w == 1 ? ClusterPipelines.SOLO_TAG : "-", Integer.toString(plan.width()),
              Integer.toString(plan.hashSteps()), Long.toString(blocks)));
          if (schema != null) {
            command.addAll(List.of(PostgresSchema.configuredUrl().orElseThrow(), schema.schema(),
                blobs.toString()));
          }
          Path log = plan.workDirectory().resolve("worker-" + name + "-" + w + ".log");
          logs.add(log);
          processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        long by = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        for (int w = 0; w < processes.size(); w++) {
          while (!Files.readString(logs.get(w), StandardCharsets.UTF_8).contains("READY ")) {
            if (!processes.get(w).isAlive() || System.nanoTime() > by) {
              throw new IllegalStateException("worker " + (w + 1) + " of phase " + name + " did not start: "
                  + Files.readString(logs.get(w), StandardCharsets.UTF_8));
            }
            processes.get(w).waitFor(50, TimeUnit.MILLISECONDS);
          }
        }
        while (cluster.hazelcast().getCluster().getMembers().size() < 3) {
          if (System.nanoTime() > by) {
            throw new IllegalStateException("the workers of phase " + name + " did not join the coordinator: "
                + cluster.hazelcast().getCluster().getMembers());
          }
          processes.get(0).waitFor(50, TimeUnit.MILLISECONDS);
        }
        return phase;
      } catch (IOException | InterruptedException | RuntimeException e) {
        phase.close();
        throw e;
      }
    }

    /** Runs a pipeline once, forcing every step, and returns the milliseconds; prints its split if asked. */
    double time(Workspace ws, PipelineRegistry pipelines, String pipelineName, boolean split, PrintStream out) {
      Pipeline p = pipelines.require(pipelineName);
      long t0 = System.nanoTime();
      Run run = ws.runner().plan(p).executor(executor).forceAll().run();
      double millis = (System.nanoTime() - t0) / 1e6;
      if (run.status() != RunStatus.SUCCEEDED) {
        throw new IllegalStateException("run " + run.id() + " of " + pipelineName + " ended " + run.status());
      }
      if (split) {
        Map<String, Integer> by = new TreeMap<>();
        for (StepRecord s : run.steps()) {
          String worker = s.ranBy().map(a -> a.equals(addresses.get(1)) ? "w1" : a.equals(addresses.get(2))
              ? "w2" : "other").orElse("none");
          by.merge(worker, 1, Integer::sum);
        }
        StringBuilder line = new StringBuilder("SPLIT phase=" + name + " pipeline=" + pipelineName);
        by.forEach((w, n) -> line.append(' ').append(w).append('=').append(n));
        out.println(line);
      }
      return millis;
    }

    private static int port(String address) {
      return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    @Override
    public void close() {
      executor.close();
      for (Process p : workers) {
        try {
          p.getOutputStream().close();
        } catch (IOException e) {
          p.destroy();
        }
      }
      for (Process p : workers) {
        try {
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
      cluster.close();
    }
  }
}
