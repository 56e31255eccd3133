/**
 * The storage SPIs a workspace stands on: the transactional {@link dev.opskit.store.MetadataStore} with optimistic
 * concurrency, and the content-addressed {@link dev.opskit.store.BlobStore}. opskit ships in-memory, H2 and
 * PostgreSQL metadata stores and in-memory and local-filesystem blob stores; {@code ops-test} publishes the contract
 * suites that a third-party implementation must pass.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.store;

import org.jspecify.annotations.NullMarked;
