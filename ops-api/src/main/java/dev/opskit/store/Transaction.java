package dev.opskit.store;

import dev.opskit.Page;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The operations of one {@link MetadataStore} transaction. A transaction belongs to the thread running its work and
 * is invalid after the work returns.
 *
 * <p>Collections and keys are non-empty strings of at most {@value StoredRecord#MAX_KEY_LENGTH} characters without
 * control characters. Bodies are any text. Attributes are strings, booleans, numbers or {@link java.time.Instant}s;
 * they are what queries filter and sort on.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public interface Transaction {
  /**
   * Reads a record.
   *
   * @param collection the collection
   * @param key the key
   * @return the record, or empty
   */
  Optional<StoredRecord> get(String collection, String key);

  /**
   * Reads a record that must exist.
   *
   * @param collection the collection
   * @param key the key
   * @return the record
   * @throws RecordNotFoundException naming the collection and key if there is none
   */
  default StoredRecord require(String collection, String key) {
    return get(collection, key).orElseThrow(() -> new RecordNotFoundException(collection, key));
  }

  /**
   * Creates a record at version 1.
   *
   * @param collection the collection
   * @param key the key
   * @param body the body, usually JSON
   * @param attributes the indexed attributes
   * @return the stored record
   * @throws StoreConflictException if the key exists
   */
  StoredRecord insert(String collection, String key, String body, Map<String, ?> attributes);

  /**
   * Replaces a record's body and attributes, if it is still at the version read.
   *
   * @param previous the record as read
   * @param body the new body
   * @param attributes the new attributes, replacing the old ones
   * @return the stored record, one version later
   * @throws StoreConflictException if the record changed or was deleted since it was read
   */
  StoredRecord update(StoredRecord previous, String body, Map<String, ?> attributes);

  /**
   * Deletes a record, if it is still at the version read.
   *
   * @param previous the record as read
   * @throws StoreConflictException if the record changed or was deleted since it was read
   */
  void delete(StoredRecord previous);

  /**
   * Finds records.
   *
   * @param query the collection, filters, order and page
   * @return one page of records
   */
  Page<StoredRecord> query(RecordQuery query);

  /**
   * Finds records for a caller that reads only their keys, versions and bodies: the same records, in the same order
   * and pages, as {@link #query(RecordQuery)}, but a store may leave each record's attributes out (an empty map) and so
   * read less. On the JDBC stores a page then costs no read of its attribute rows: one statement instead of two on
   * PostgreSQL, and on H2 no lookup per record (a search's page of 20 versions took about 40% less time). Filters and
   * orders still apply to the attributes.
   *
   * <p>The default answers {@link #query(RecordQuery)}, attributes included, so a store that does not override it
   * stays correct.
   *
   * @param query the collection, filters, order and page
   * @return one page of records, whose attributes may be empty
   * @since 0.1.0
   */
  default Page<StoredRecord> queryBodies(RecordQuery query) {
    return query(query);
  }

  /**
   * Counts the records a query matches, ignoring its paging.
   *
   * @param query the collection and filters
   * @return the count
   */
  long count(RecordQuery query);

  /**
   * Advances a named counter and returns its new value: 1 the first time. Concurrent transactions that advance the
   * same counter are serialized, so committed values never repeat; a transaction that rolls back gives its value back.
   *
   * @param counter the counter name
   * @return the new value
   */
  long increment(String counter);
}
