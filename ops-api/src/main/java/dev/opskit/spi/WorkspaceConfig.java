package dev.opskit.spi;

import dev.opskit.WorkspaceKey;
import dev.opskit.run.Executor;
import dev.opskit.run.RunListener;
import dev.opskit.time.Scheduler;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link dev.opskit.WorkspaceBuilder} collected, handed to the runtime.
 *
 * @param storage where metadata and blobs live
 * @param clock the clock
 * @param scheduler the scheduler for backoff and timeouts, or null for the runtime's own
 * @param executor the default executor, or null for {@link Executor#direct()}
 * @param ownsExecutor whether the workspace closes the executor when it closes
 * @param listeners listeners of every run
 * @param random the source of jitter
 * @param ids the source of run ids, or null for the runtime's time-ordered ids
 * @param attributes the settings of other modules, by key ({@link dev.opskit.WorkspaceBuilder#attribute})
 * @since 0.1.0
 */
@API(status = API.Status.INTERNAL, since = "0.1.0")
public record WorkspaceConfig(
    Storage storage,
    Clock clock,
    @Nullable Scheduler scheduler,
    @Nullable Executor executor,
    boolean ownsExecutor,
    List<RunListener> listeners,
    RandomGenerator random,
    @Nullable Supplier<String> ids,
    Map<WorkspaceKey<?>, Object> attributes) {

  /**
   * Checks and copies the components.
   *
   * @param storage where metadata and blobs live
   * @param clock the clock
   * @param scheduler the scheduler, or null
   * @param executor the default executor, or null
   * @param ownsExecutor whether the workspace closes the executor
   * @param listeners listeners of every run
   * @param random the source of jitter
   * @param ids the source of run ids, or null
   * @param attributes the settings of other modules
   */
  public WorkspaceConfig {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(clock, "clock");
    listeners = List.copyOf(listeners);
    Objects.requireNonNull(random, "random");
    attributes = Map.copyOf(attributes);
  }

  /**
   * The configuration without attributes.
   *
   * @param storage where metadata and blobs live
   * @param clock the clock
   * @param scheduler the scheduler, or null
   * @param executor the default executor, or null
   * @param ownsExecutor whether the workspace closes the executor
   * @param listeners listeners of every run
   * @param random the source of jitter
   * @param ids the source of run ids, or null
   */
  public WorkspaceConfig(Storage storage, Clock clock, @Nullable Scheduler scheduler, @Nullable Executor executor,
      boolean ownsExecutor, List<RunListener> listeners, RandomGenerator random, @Nullable Supplier<String> ids) {
    this(storage, clock, scheduler, executor, ownsExecutor, listeners, random, ids, Map.of());
  }

  /**
   * Returns the value of a setting of another module.
   *
   * @param key the key
   * @param <T> the type of the value
   * @return the value, or empty if it was not set
   */
  public <T> Optional<T> attribute(WorkspaceKey<T> key) {
    Object value = attributes.get(Objects.requireNonNull(key, "key"));
    return value == null ? Optional.empty() : Optional.of(key.cast(value));
  }

  /**
   * Where a workspace keeps its metadata and blobs.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  public sealed interface Storage {}

  /**
   * Everything in memory, gone when the workspace closes.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  public record InMemory() implements Storage {}

  /**
   * An embedded H2 database file and a blob directory, both under one directory.
   *
   * @param directory the workspace directory
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  public record Local(Path directory) implements Storage {
    /**
     * Checks the component.
     *
     * @param directory the workspace directory
     */
    public Local {
      Objects.requireNonNull(directory, "directory");
    }
  }

  /**
   * Stores the caller made, such as its own implementations of the SPIs. The workspace uses them and leaves closing
   * them to the caller.
   *
   * @param metadata the metadata store
   * @param blobs the blob store
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  public record Given(MetadataStore metadata, BlobStore blobs) implements Storage {
    /**
     * Checks the components.
     *
     * @param metadata the metadata store
     * @param blobs the blob store
     */
    public Given {
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(blobs, "blobs");
    }
  }

  /**
   * Metadata in PostgreSQL through the host's data source, blobs in a directory all processes share.
   *
   * @param dataSource the host's data source
   * @param blobDirectory the shared blob directory
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  public record Postgres(DataSource dataSource, Path blobDirectory) implements Storage {
    /**
     * Checks the components.
     *
     * @param dataSource the host's data source
     * @param blobDirectory the shared blob directory
     */
    public Postgres {
      Objects.requireNonNull(dataSource, "dataSource");
      Objects.requireNonNull(blobDirectory, "blobDirectory");
    }
  }

  /**
   * Metadata in PostgreSQL through the host's data source, blobs in a store the caller made and hands over (an S3
   * bucket through {@code ops-s3}, say): the workspace closes that blob store when it closes, or if it fails to open.
   *
   * @param dataSource the host's data source
   * @param blobs the blob store, now the workspace's
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  public record PostgresWith(DataSource dataSource, BlobStore blobs) implements Storage {
    /**
     * Checks the components.
     *
     * @param dataSource the host's data source
     * @param blobs the blob store
     */
    public PostgresWith {
      Objects.requireNonNull(dataSource, "dataSource");
      Objects.requireNonNull(blobs, "blobs");
    }
  }
}
