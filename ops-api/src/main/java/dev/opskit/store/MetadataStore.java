package dev.opskit.store;

import dev.opskit.spi.OpsRuntime;
import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * Where a workspace keeps what it knows: runs, dataset versions, model versions, audit records, cache entries. Each is
 * a {@link StoredRecord}: a key in a collection, a version for optimistic concurrency, a JSON body, and indexed
 * attributes for queries.
 *
 * <p>All access goes through {@link #transact(TransactionWork)}. A transaction sees its own writes, commits when the
 * work returns and rolls back when it throws, so that several records change together or not at all:
 *
 * <pre>{@code
 * store.transact(tx -> {
 *   StoredRecord model = tx.require("model", "churn");
 *   tx.update(model, newBody, attributes);                 // fails if another writer got there first
 *   tx.insert("audit", auditId, auditBody, auditAttributes);
 *   return null;
 * });
 * }</pre>
 *
 * <p>Nothing is ever silently overwritten: an update names the version it read, and a conflicting write fails with a
 * retryable {@link StoreConflictException}. Implementations are thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public interface MetadataStore extends AutoCloseable {
  /**
   * Creates a metadata store in memory, for tests. Transactions are serialized.
   *
   * @return the store
   */
  static MetadataStore inMemory() {
    return OpsRuntime.get().inMemoryMetadataStore();
  }

  /**
   * Opens an embedded H2 database file, creating and migrating it as needed. Only one process may open it at a time.
   *
   * @param file the database file, without H2's {@code .mv.db} suffix
   * @return the store
   * @throws StoreException if the file is in use by another process, damaged, or not writable, naming it
   * @throws IncompatibleStoreException if its schema is newer than this library knows
   */
  static MetadataStore h2(Path file) {
    return OpsRuntime.get().h2MetadataStore(Objects.requireNonNull(file, "file"));
  }

  /**
   * Opens an H2 database at a JDBC URL of the host's choosing, creating and migrating it as needed. This is how
   * several processes share an H2 workspace through H2's server mode, for example
   * {@code jdbc:h2:file:/srv/ops/metadata;AUTO_SERVER=TRUE} (the first process serves the others) or a
   * {@code jdbc:h2:tcp://host/...} URL of a running H2 server. opskit adds nothing to the URL: durability settings such
   * as {@code WRITE_DELAY=0}, which {@link #h2(Path)} sets, are the URL's to give. PostgreSQL is the store opskit
   * supports and tests for sharing; this is for hosts already running H2.
   *
   * @param jdbcUrl an H2 JDBC URL, starting with {@code jdbc:h2:}
   * @return the store
   * @throws IllegalArgumentException if the URL is not an H2 URL, naming it
   * @throws StoreException if the database cannot be opened, naming the URL
   * @throws IncompatibleStoreException if its schema is newer than this library knows
   * @since 0.1.0
   */
  static MetadataStore h2(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException("jdbcUrl must be an H2 URL starting with 'jdbc:h2:', got '" + jdbcUrl
          + "'; use MetadataStore.postgres(dataSource) for PostgreSQL");
    }
    return OpsRuntime.get().h2MetadataStore(jdbcUrl);
  }

  /**
   * Opens a PostgreSQL database through the host's data source, migrating it as needed. Several processes may share
   * it.
   *
   * @param dataSource the host's data source, for example a HikariCP pool
   * @return the store
   * @throws StoreException if the database cannot be reached or the grants are missing
   * @throws IncompatibleStoreException if its schema is newer than this library knows
   */
  static MetadataStore postgres(DataSource dataSource) {
    return OpsRuntime.get().postgresMetadataStore(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Runs work in one transaction.
   *
   * @param work what to do; it may run only once, so it must not retry inside
   * @param <T> the result type
   * @return what the work returned, after the commit
   * @throws StoreConflictException if a record changed under the work, or a key was taken; nothing was written
   * @throws StoreException if the store failed; nothing was written
   */
  <T> T transact(TransactionWork<T> work);

  /**
   * Describes the store for messages, for example {@code "H2 file /srv/ws/metadata.mv.db"}.
   *
   * @return the description
   */
  String describe();

  /**
   * Releases the store's resources. Idempotent.
   */
  @Override
  void close();

  /**
   * The work of one transaction.
   *
   * @param <T> the result type
   * @since 0.1.0
   */
  @API(status = API.Status.MAINTAINED, since = "0.1.0")
  @FunctionalInterface
  interface TransactionWork<T> {
    /**
     * Does the work.
     *
     * @param tx the transaction
     * @return the result
     */
    T run(Transaction tx);
  }
}
