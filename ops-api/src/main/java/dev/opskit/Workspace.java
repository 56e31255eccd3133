package dev.opskit;

import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Run;
import dev.opskit.run.RunQuery;
import dev.opskit.run.Runner;
import dev.opskit.run.StepWorker;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * Everything opskit keeps and shares: the metadata and blob stores, the clock, the default executor, and the listeners
 * of every run. It is the entry point of the runtime.
 *
 * <pre>{@code
 * try (Workspace ws = Workspace.inMemory()) {
 *   Run run = ws.runner().run(pipeline);
 *   log.info(run.summary());
 * }
 * }</pre>
 *
 * <p>A workspace is thread-safe. Closing it releases its stores and the executor it owns; runs still going on are
 * cancelled.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Workspace extends AutoCloseable {
  /**
   * Opens a workspace that keeps everything in memory, for tests and experiments. Nothing survives {@link #close()}.
   *
   * @return the workspace
   */
  static Workspace inMemory() {
    return builder().openInMemory();
  }

  /**
   * Opens the embedded default workspace: an H2 database file and a blob directory, both under {@code directory},
   * which is created if missing. One process at a time may open it; to share a workspace use
   * {@link #postgres(DataSource, Path)}.
   *
   * @param directory the workspace directory, for example {@code Path.of(".opskit")}
   * @return the workspace
   * @throws dev.opskit.store.StoreException if the directory is not writable, the database is in use by another
   *     process, or the files are damaged; the message names the path
   * @throws IllegalArgumentException if the directory's absolute path holds {@code ;} (or {@code \\} where that is
   *     not the separator), which the embedded database would not read as part of a file name
   */
  static Workspace local(Path directory) {
    return builder().openLocal(directory);
  }

  /**
   * Opens a workspace whose metadata lives in PostgreSQL, shared by every process that opens it, and whose blobs live
   * in a directory those processes share.
   *
   * @param dataSource the host's data source, for example a HikariCP pool
   * @param blobDirectory the shared blob directory
   * @return the workspace
   */
  static Workspace postgres(DataSource dataSource, Path blobDirectory) {
    return builder().openPostgres(dataSource, blobDirectory);
  }

  /**
   * Opens a workspace whose metadata lives in PostgreSQL and whose blobs live in a store every process reaches, such
   * as an S3 bucket through {@code ops-s3}:
   *
   * <pre>{@code
   * try (Workspace ws = Workspace.postgres(dataSource, S3BlobStore.at("s3://team-ml/opskit?region=eu-west-1"))) {
   *   ws.runner().run(pipeline);
   * }
   * }</pre>
   *
   * <p>The workspace takes the blob store over: it closes it when it closes, or at once if it cannot open. The data
   * source stays the host's.
   *
   * @param dataSource the host's data source, for example a HikariCP pool
   * @param blobs the blob store, which the workspace closes
   * @return the workspace
   */
  static Workspace postgres(DataSource dataSource, BlobStore blobs) {
    return builder().openPostgres(dataSource, blobs);
  }

  /**
   * Opens a PostgreSQL workspace from a JDBC URL, for example
   * {@code jdbc:postgresql://127.0.0.1:5432/opskit?user=opskit}. Each operation opens a connection; a host that runs
   * many operations should pass a pooled {@link DataSource} instead.
   *
   * @param jdbcUrl the JDBC URL, with credentials if needed
   * @param blobDirectory the shared blob directory
   * @return the workspace
   */
  static Workspace postgres(String jdbcUrl, Path blobDirectory) {
    return builder().openPostgres(jdbcUrl, blobDirectory);
  }

  /**
   * Starts configuring a workspace: clock, scheduler, default executor, listeners.
   *
   * @return a new builder
   */
  static WorkspaceBuilder builder() {
    return new WorkspaceBuilder();
  }

  /**
   * Returns the runner that runs pipelines in this workspace.
   *
   * @return the runner
   */
  Runner runner();

  /**
   * Starts a query over the runs recorded in this workspace, newest first.
   *
   * @return a new query
   */
  RunQuery runs();

  /**
   * Finds one run with its step records.
   *
   * @param runId the run id
   * @return the run, or empty
   */
  Optional<Run> run(String runId);

  /**
   * Returns the metadata store, for opskit's other modules and for tools.
   *
   * @return the store
   */
  MetadataStore metadata();

  /**
   * Returns the blob store, for opskit's other modules and for tools.
   *
   * @return the store
   */
  BlobStore blobs();

  /**
   * Returns a worker that runs steps sent by a coordinator sharing this workspace, looking them up in a registry.
   *
   * @param pipelines the pipelines this process knows by name
   * @return the worker
   */
  StepWorker worker(PipelineRegistry pipelines);

  /**
   * Returns the workspace's clock; every time opskit records comes from it.
   *
   * @return the clock
   */
  Clock clock();

  /**
   * Returns a per-workspace setting of another module, as the host set it on
   * {@link WorkspaceBuilder#attribute(WorkspaceKey, Object)}; for example the registry reads its
   * {@code Authorizer} here, so that every registry opened on the workspace uses the same one.
   *
   * @param key the key, a constant of the module that defines the setting
   * @param <T> the type of the value
   * @return the value, or empty if the host did not set it
   */
  <T> Optional<T> attribute(WorkspaceKey<T> key);

  /**
   * Returns the object that another module keeps for this workspace under a key, creating it on first use: state that
   * must be one per workspace and live as long as it, such as the registry's event hub, through which every registry
   * opened on the workspace hears the others' promotions. Each key gets one object for the workspace's lifetime, even
   * when threads ask at once; {@code create} runs at most once per key and must not call this method. The workspace
   * does not close what it keeps: a module that keeps a resource closes it itself.
   *
   * <pre>{@code
   * static final WorkspaceKey<EventHub> HUB = WorkspaceKey.of("mymodule.hub", EventHub.class);
   * EventHub hub = workspace.shared(HUB, EventHub::new);     // the same hub for every caller on this workspace
   * }</pre>
   *
   * @param key the key, a constant of the module that keeps the object
   * @param create makes the object the first time; it must not return null
   * @param <T> the type of the object
   * @return the workspace's object for the key
   * @throws NullPointerException if {@code create} returns null
   * @since 0.1.0
   */
  <T> T shared(WorkspaceKey<T> key, java.util.function.Supplier<? extends T> create);

  /**
   * Closes the workspace. Idempotent.
   */
  @Override
  void close();
}
