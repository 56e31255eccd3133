package dev.opskit.core.internal;

import dev.opskit.Workspace;
import dev.opskit.core.internal.metadata.H2Store;
import dev.opskit.core.internal.metadata.InMemoryMetadataStore;
import dev.opskit.core.internal.metadata.JdbcMetadataStore;
import dev.opskit.run.Executor;
import dev.opskit.spi.OpsRuntime;
import dev.opskit.spi.WorkspaceConfig;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/** The runtime {@link java.util.ServiceLoader} finds. */
public final class CoreRuntime implements OpsRuntime {
  /** Called by the service loader. */
  public CoreRuntime() {}

  @Override
  public Workspace openWorkspace(WorkspaceConfig config) {
    HostLibraries.requireOpskitModules();
    WorkspaceConfig.Storage storage = config.storage();
    if (storage instanceof WorkspaceConfig.InMemory) {
      return new CoreWorkspace(config, new InMemoryMetadataStore(), inMemoryBlobStore(config.clock()));
    }
    if (storage instanceof WorkspaceConfig.Given) {
      WorkspaceConfig.Given given = (WorkspaceConfig.Given) storage;
      return new CoreWorkspace(config, given.metadata(), given.blobs());
    }
    if (storage instanceof WorkspaceConfig.Local) {
      Path directory = ((WorkspaceConfig.Local) storage).directory().toAbsolutePath().normalize();
      HostLibraries.require(HostLibraries.H2);
      MetadataStore metadata = H2Store.open(directory.resolve("metadata"), config.clock());
      try {
        return new CoreWorkspace(config, metadata, localBlobStore(directory.resolve("blobs"), config.clock()));
      } catch (RuntimeException e) {
        metadata.close();
        throw e;
      }
    }
    if (storage instanceof WorkspaceConfig.PostgresWith) {
      WorkspaceConfig.PostgresWith with = (WorkspaceConfig.PostgresWith) storage;
      // The blob store was handed over: it is closed here if the workspace does not open.
      MetadataStore metadata;
      try {
        metadata = JdbcMetadataStore.postgres(with.dataSource(), config.clock());
      } catch (RuntimeException e) {
        closeAfter(e, with.blobs());
        throw e;
      }
      try {
        return new CoreWorkspace(config, metadata, with.blobs());
      } catch (RuntimeException e) {
        closeAfter(e, metadata);
        closeAfter(e, with.blobs());
        throw e;
      }
    }
    WorkspaceConfig.Postgres postgres = (WorkspaceConfig.Postgres) storage;
    MetadataStore metadata = JdbcMetadataStore.postgres(postgres.dataSource(), config.clock());
    try {
      return new CoreWorkspace(config, metadata, localBlobStore(postgres.blobDirectory(), config.clock()));
    } catch (RuntimeException e) {
      metadata.close();
      throw e;
    }
  }

  private static void closeAfter(RuntimeException failure, AutoCloseable store) {
    try {
      store.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public Executor parallelExecutor(int threads) {
    return new ParallelExecutor(threads);
  }

  @Override
  public BlobStore inMemoryBlobStore(Clock clock) {
    return new dev.opskit.core.internal.blob.InMemoryBlobStore(clock);
  }

  @Override
  public BlobStore localBlobStore(Path directory, Clock clock) {
    return dev.opskit.core.internal.blob.LocalBlobStore.open(directory, clock);
  }

  @Override
  public MetadataStore inMemoryMetadataStore() {
    return new InMemoryMetadataStore();
  }

  @Override
  public MetadataStore h2MetadataStore(Path file) {
    HostLibraries.require(HostLibraries.H2);
    return H2Store.open(file, Clock.systemUTC());
  }

  @Override
  public MetadataStore h2MetadataStore(String jdbcUrl) {
    HostLibraries.require(HostLibraries.H2);
    return H2Store.open(jdbcUrl, Clock.systemUTC());
  }

  @Override
  public MetadataStore postgresMetadataStore(DataSource dataSource) {
    return JdbcMetadataStore.postgres(dataSource, Clock.systemUTC());
  }
}
