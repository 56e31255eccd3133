/**
 * The {@code store} suite: metadata writes and reads on the in-memory, H2 and PostgreSQL stores against raw JDBC on the
 * same database (and a {@code ConcurrentHashMap} for the in-memory store), and a 1 GiB blob put against
 * {@code openssl dgst -sha256} then {@code cp}, with its heap under a 64 MB cap.
 */
@NullMarked
package dev.opskit.benchmarks.store;

import org.jspecify.annotations.NullMarked;
