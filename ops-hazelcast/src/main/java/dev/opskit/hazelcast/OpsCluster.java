package dev.opskit.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.hazelcast.internal.Dispatcher;
import dev.opskit.hazelcast.internal.HazelcastConfigs;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * This JVM's place in an opskit cluster on Hazelcast: a member ({@link #embedded}) or a client ({@link #client}).
 * {@link #executor()} makes executors that run steps on the members; {@link #close()} leaves the cluster.
 *
 * <p>Both kinds start with safe defaults: the cluster name of the configuration, an explicit TCP/IP member list
 * (multicast, auto-detection and cloud discovery off), phone-home off ({@code hazelcast.phone.home.enabled=false}),
 * Hazelcast's logging through SLF4J, and a fixed port (no auto-increment). The configuration's
 * {@link OpsClusterConfig#properties() properties} override them.
 *
 * <p><b>JVM flags.</b> On Java 9 and later, Hazelcast asks for access to some JDK internals, for speed and for its
 * metrics, and logs a warning naming the flags when it lacks it; it works without them. Hazelcast 5.7 asks, for a
 * member or client on the class path, for:
 *
 * <pre>
 * --add-modules java.se
 * --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
 * --add-opens java.base/java.lang=ALL-UNNAMED
 * --add-opens java.base/sun.nio.ch=ALL-UNNAMED
 * --add-opens java.management/sun.management=ALL-UNNAMED
 * --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
 * </pre>
 *
 * <p>Hazelcast's documentation ("Running in Modular Java") also lists
 * {@code --add-opens java.base/java.nio=ALL-UNNAMED}, and on OpenJ9
 * {@code --add-opens jdk.management/com.ibm.lang.management.internal=ALL-UNNAMED}. Add
 * {@code -Dhazelcast.logging.type=slf4j} to route the few lines Hazelcast logs before an instance exists (this
 * warning among them) through SLF4J too; the instances opskit makes log through SLF4J already.
 *
 * <p><b>Security.</b> Hazelcast's community edition has no TLS and no member or client authentication: anything that
 * reaches a member's port with the cluster name can join or connect, send steps to run and read what travels. Keep
 * members on a private network; see {@code docs/scale-out.md}.
 *
 * <pre>{@code
 * try (OpsCluster cluster = OpsCluster.embedded(config)) {
 *   Run run = workspace.runner().plan(pipeline).executor(cluster.executor()).run();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class OpsCluster implements AutoCloseable {
  private final HazelcastInstance hz;
  private final OpsClusterConfig config;
  private final List<HazelcastExecutor> executors = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private OpsCluster(HazelcastInstance hz, OpsClusterConfig config) {
    this.hz = hz;
    this.config = config;
  }

  /**
   * Makes this JVM a member of the cluster: it listens on the configured port, joins the configured members (or
   * starts the cluster if none answers), and, if the configuration has a worker, runs the steps coordinators send it,
   * up to its slots at once.
   *
   * @param config the configuration
   * @return the running member
   * @throws com.hazelcast.core.HazelcastException if the member cannot start, for example when its port is taken
   */
  public static OpsCluster embedded(OpsClusterConfig config) {
    Objects.requireNonNull(config, "config");
    return new OpsCluster(Hazelcast.newHazelcastInstance(HazelcastConfigs.member(config)), config);
  }

  /**
   * Connects to a running cluster as a Hazelcast client: it runs no steps, but its executors send steps to the
   * members. It tries the configured members for up to 30 seconds.
   *
   * @param config the configuration, without member settings (port, slots, tags, worker)
   * @return the connected client
   * @throws IllegalArgumentException if the configuration sets what only a member uses
   * @throws IllegalStateException if no member could be reached
   */
  public static OpsCluster client(OpsClusterConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.hasMemberSettings()) {
      throw new IllegalArgumentException("a client of cluster '" + config.clusterName() + "' runs no steps and listens "
          + "on no port, but the configuration sets port, slots, tags or worker; use OpsCluster.embedded for a member");
    }
    return new OpsCluster(HazelcastClient.newHazelcastClient(HazelcastConfigs.client(config)), config);
  }

  /**
   * Makes an executor that runs steps on the members, placing them by the tags of the configuration's
   * {@link OpsClusterConfig#pipelines() registry}. Each call makes a new executor, with its own queue; closing it
   * leaves the cluster running. {@link #close()} closes those still open.
   *
   * @return the executor
   * @throws IllegalStateException if this cluster is closed
   */
  public HazelcastExecutor executor() {
    return newExecutor(config.pipelines().orElse(null));
  }

  /**
   * Makes an executor that looks steps up in the given registry to place them by their {@code member.} tags.
   *
   * @param pipelines the registry
   * @return the executor
   * @throws IllegalStateException if this cluster is closed
   */
  public HazelcastExecutor executor(PipelineRegistry pipelines) {
    return newExecutor(Objects.requireNonNull(pipelines, "pipelines"));
  }

  /**
   * Resumes, on this cluster's members, a run whose coordinator stopped without finishing it (a crash, a lost machine)
   * or that failed or was cancelled: the run's pipeline is looked up by name in the configuration's
   * {@link OpsClusterConfig#pipelines() registry}, and the run is resumed through
   * {@link dev.opskit.run.Runner#resume(Pipeline, String)} with a new executor of this cluster, which is closed
   * afterwards. Steps whose outputs workers committed and the lost coordinator recorded are cache hits. opskit cannot
   * tell a lost coordinator from a slow one: call this only once the run's coordinator is known to be gone.
   *
   * @param workspace the workspace the run was recorded in (the coordinator's shared stores)
   * @param runId the run to resume
   * @return the report of the resumed run, a new run whose {@link Run#resumedFrom()} is {@code runId}
   * @throws IllegalStateException if the configuration has no pipeline registry, or this cluster is closed
   * @throws OpsException if the workspace has no such run, or the registry no such pipeline
   * @throws dev.opskit.run.RunFailedException if the resumed run fails
   */
  public Run resume(Workspace workspace, String runId) {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(runId, "runId");
    PipelineRegistry registry = config.pipelines().orElseThrow(() -> new IllegalStateException("cluster '"
        + config.clusterName() + "' was configured without pipelines, so it cannot find the pipeline of run " + runId
        + "; set OpsClusterConfig.Builder.pipelines(...)"));
    Run previous = workspace.run(runId).orElseThrow(() -> new OpsException("no run " + runId + " in " + workspace
        + "; resume needs the id of a run recorded in the coordinator's workspace"));
    Pipeline pipeline = registry.require(previous.pipeline());
    try (HazelcastExecutor executor = executor()) {
      return workspace.runner().plan(pipeline).resuming(runId).executor(executor).run();
    }
  }

  private HazelcastExecutor newExecutor(@Nullable PipelineRegistry pipelines) {
    if (closed.get()) {
      throw new IllegalStateException("cluster '" + config.clusterName() + "' is closed; it makes no executors");
    }
    HazelcastExecutor executor = new HazelcastExecutor(new Dispatcher(hz, config.clusterName(), pipelines));
    executors.add(executor);
    return executor;
  }

  /**
   * Returns the Hazelcast instance, a member or a client, for what opskit does not cover. Its lifecycle belongs to
   * this object.
   *
   * @return the instance
   */
  public HazelcastInstance hazelcast() {
    return hz;
  }

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  public OpsClusterConfig config() {
    return config;
  }

  /**
   * Closes the executors made here, then leaves the cluster: a member shuts down, and the attempts it was running
   * fail on their coordinators with {@link MemberLostException}; a client disconnects. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    executors.forEach(HazelcastExecutor::close);
    hz.shutdown();
  }

  @Override
  public String toString() {
    return "OpsCluster[" + config.clusterName() + ", " + hz.getLocalEndpoint() + "]";
  }
}
