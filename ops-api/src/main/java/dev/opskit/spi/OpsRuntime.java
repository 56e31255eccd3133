package dev.opskit.spi;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.run.Executor;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import java.util.Iterator;
import java.util.ServiceLoader;
import org.apiguardian.api.API;

/**
 * Connects the API to the runtime that implements it. {@code ops-core} provides the implementation and registers it
 * in {@code META-INF/services}; hosts never call this interface directly.
 *
 * @since 0.1.0
 */
@API(status = API.Status.INTERNAL, since = "0.1.0")
public interface OpsRuntime {
  /**
   * Opens a workspace.
   *
   * @param config what the builder collected
   * @return the open workspace
   */
  Workspace openWorkspace(WorkspaceConfig config);

  /**
   * Creates a parallel executor.
   *
   * @param threads the pool size
   * @return the executor
   */
  Executor parallelExecutor(int threads);

  /**
   * Creates an in-memory blob store.
   *
   * @param clock the clock that stamps blobs
   * @return the store
   */
  BlobStore inMemoryBlobStore(Clock clock);

  /**
   * Opens a blob store in a local directory, creating it if missing.
   *
   * @param directory the directory
   * @param clock the clock that stamps blobs
   * @return the store
   */
  BlobStore localBlobStore(Path directory, Clock clock);

  /**
   * Creates an in-memory metadata store.
   *
   * @return the store
   */
  MetadataStore inMemoryMetadataStore();

  /**
   * Opens, creating and migrating if needed, an embedded H2 metadata store in a file.
   *
   * @param file the database file, without H2's {@code .mv.db} suffix
   * @return the store
   */
  MetadataStore h2MetadataStore(Path file);

  /**
   * Opens an H2 metadata store at a JDBC URL, as given.
   *
   * @param jdbcUrl the H2 JDBC URL
   * @return the store
   */
  MetadataStore h2MetadataStore(String jdbcUrl);

  /**
   * Opens, migrating if needed, a PostgreSQL metadata store.
   *
   * @param dataSource the host's data source
   * @return the store
   */
  MetadataStore postgresMetadataStore(DataSource dataSource);

  /**
   * Finds the runtime on the class path.
   *
   * @return the runtime
   * @throws OpsException if {@code ops-core} is not on the class path
   */
  static OpsRuntime get() {
    return Holder.RUNTIME;
  }

  /** Loads the runtime once, on first use. */
  final class Holder {
    static final OpsRuntime RUNTIME = load();

    private Holder() {}

    private static OpsRuntime load() {
      Iterator<OpsRuntime> found = ServiceLoader.load(OpsRuntime.class, OpsRuntime.class.getClassLoader()).iterator();
      if (!found.hasNext()) {
        throw new OpsException("No opskit runtime on the class path: add the dev.opskit:ops-core dependency "
            + "(ops-api holds only the public types)");
      }
      return found.next();
    }
  }
}
