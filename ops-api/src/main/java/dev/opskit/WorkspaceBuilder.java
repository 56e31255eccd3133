package dev.opskit;

import dev.opskit.run.Executor;
import dev.opskit.run.RunListener;
import dev.opskit.spi.OpsRuntime;
import dev.opskit.spi.WorkspaceConfig;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import dev.opskit.time.Scheduler;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Configures and opens a {@link Workspace}. Every setting is optional; each may be set once, and setting one twice is
 * an {@link IllegalStateException} naming it. The last call opens the workspace and names where it keeps its data.
 *
 * <pre>{@code
 * Workspace ws = Workspace.builder()
 *     .executor(Executor.parallel(4))
 *     .listener(new AuditLogListener())
 *     .openInMemory();
 * }</pre>
 *
 * <p>Not thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class WorkspaceBuilder {
  private @Nullable Clock clock;
  private @Nullable Scheduler scheduler;
  private @Nullable Executor executor;
  private @Nullable RandomGenerator random;
  private @Nullable Supplier<String> ids;
  private final List<RunListener> listeners = new ArrayList<>();
  private final Map<WorkspaceKey<?>, Object> attributes = new LinkedHashMap<>();

  WorkspaceBuilder() {}

  /**
   * Sets the clock. If it is also a {@link Scheduler}, such as {@link dev.opskit.time.ManualClock}, it schedules
   * backoff and timeouts too, unless {@link #scheduler(Scheduler)} says otherwise. Default: the system UTC clock.
   *
   * @param clock the clock
   * @return this builder
   */
  public WorkspaceBuilder clock(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    checkUnset("clock", this.clock);
    this.clock = clock;
    return this;
  }

  /**
   * Sets the scheduler of retry backoff and step timeouts. Default: a daemon thread of the runtime's.
   *
   * @param scheduler the scheduler
   * @return this builder
   */
  public WorkspaceBuilder scheduler(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    checkUnset("scheduler", this.scheduler);
    this.scheduler = scheduler;
    return this;
  }

  /**
   * Sets the executor of runs that do not choose one. The workspace owns it and closes it when it closes. Default:
   * {@link Executor#direct()}.
   *
   * @param executor the executor
   * @return this builder
   */
  public WorkspaceBuilder executor(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    checkUnset("executor", this.executor);
    this.executor = executor;
    return this;
  }

  /**
   * Adds a listener to every run, called in the order added.
   *
   * @param listener the listener
   * @return this builder
   */
  public WorkspaceBuilder listener(RunListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Sets the source of randomness for retry jitter and run ids. Default: a {@link SplittableRandom} with a random seed.
   *
   * @param random the generator; opskit calls it from several threads but always while holding the generator's own
   *     monitor, so a generator that is not thread-safe, such as {@link SplittableRandom}, may be given as long as
   *     nothing else uses it without that lock
   * @return this builder
   */
  public WorkspaceBuilder random(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    checkUnset("random", this.random);
    this.random = random;
    return this;
  }

  /**
   * Sets the source of run ids. Default: 26-character, time-ordered ids (ULIDs) from the clock and the random source.
   *
   * @param ids supplies a new, unique id on every call
   * @return this builder
   */
  public WorkspaceBuilder ids(Supplier<String> ids) {
    Objects.requireNonNull(ids, "ids");
    checkUnset("ids", this.ids);
    this.ids = ids;
    return this;
  }

  /**
   * Sets a per-workspace setting that another opskit module defines, such as the registry's authorizer
   * ({@code Authorizer.KEY} in {@code ops-ml}). Every component opened on the workspace reads it from there, so it
   * holds for all of them. Each key may be set once.
   *
   * @param key the key, a constant of the module that reads it
   * @param value the value
   * @param <T> the type of the value
   * @return this builder
   * @throws IllegalStateException if the key is already set
   */
  public <T> WorkspaceBuilder attribute(WorkspaceKey<T> key, T value) {
    Objects.requireNonNull(key, "key");
    T checked = key.cast(value);
    checkUnset(key.name(), attributes.get(key));
    attributes.put(key, checked);
    return this;
  }

  /**
   * Opens a workspace that keeps everything in memory.
   *
   * @return the workspace
   */
  public Workspace openInMemory() {
    return open(new WorkspaceConfig.InMemory());
  }

  /**
   * Opens the embedded default workspace under a directory: see {@link Workspace#local(Path)}.
   *
   * @param directory the workspace directory
   * @return the workspace
   */
  public Workspace openLocal(Path directory) {
    return open(new WorkspaceConfig.Local(Objects.requireNonNull(directory, "directory")));
  }

  /**
   * Opens a workspace on stores the caller made, such as its own implementations of {@link MetadataStore} and
   * {@link BlobStore} (test them first with the contract suites of {@code ops-test}). The schema of opskit's records
   * is the store's business; the workspace only reads and writes records and blobs through the SPIs.
   *
   * <pre>{@code
   * try (MetadataStore metadata = new MyStore(...); BlobStore blobs = BlobStore.local(dir)) {
   *   try (Workspace ws = Workspace.builder().open(metadata, blobs)) {
   *     ws.runner().run(pipeline);
   *   }
   * }
   * }</pre>
   *
   * @param metadata the metadata store
   * @param blobs the blob store
   * @return the workspace, which leaves closing the stores to the caller
   */
  public Workspace open(MetadataStore metadata, BlobStore blobs) {
    return open(new WorkspaceConfig.Given(Objects.requireNonNull(metadata, "metadata"),
        Objects.requireNonNull(blobs, "blobs")));
  }

  /**
   * Opens a PostgreSQL workspace: see {@link Workspace#postgres(DataSource, Path)}.
   *
   * @param dataSource the host's data source
   * @param blobDirectory the shared blob directory
   * @return the workspace
   */
  public Workspace openPostgres(DataSource dataSource, Path blobDirectory) {
    return open(new WorkspaceConfig.Postgres(Objects.requireNonNull(dataSource, "dataSource"),
        Objects.requireNonNull(blobDirectory, "blobDirectory")));
  }

  /**
   * Opens a PostgreSQL workspace whose blobs live in a store the caller hands over: see
   * {@link Workspace#postgres(DataSource, BlobStore)}.
   *
   * @param dataSource the host's data source
   * @param blobs the blob store, which the workspace closes when it closes
   * @return the workspace
   */
  public Workspace openPostgres(DataSource dataSource, BlobStore blobs) {
    return open(new WorkspaceConfig.PostgresWith(Objects.requireNonNull(dataSource, "dataSource"),
        Objects.requireNonNull(blobs, "blobs")));
  }

  /**
   * Opens a PostgreSQL workspace from a JDBC URL: see {@link Workspace#postgres(String, Path)}.
   *
   * @param jdbcUrl the JDBC URL
   * @param blobDirectory the shared blob directory
   * @return the workspace
   */
  public Workspace openPostgres(String jdbcUrl, Path blobDirectory) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, got " + Names.quote(jdbcUrl));
    }
    return openPostgres(new UrlDataSource(jdbcUrl), blobDirectory);
  }

  private Workspace open(WorkspaceConfig.Storage storage) {
    Clock c = clock == null ? Clock.systemUTC() : clock;
    Scheduler s = scheduler != null ? scheduler : c instanceof Scheduler ? (Scheduler) c : null;
    RandomGenerator r = random == null ? new SplittableRandom() : random;
    return OpsRuntime.get().openWorkspace(
        new WorkspaceConfig(storage, c, s, executor, executor != null, listeners, r, ids, attributes));
  }

  private static void checkUnset(String name, @Nullable Object current) {
    if (current != null) {
      throw new IllegalStateException("workspace " + name + " is already set (to " + current + "); set it once");
    }
  }
}
