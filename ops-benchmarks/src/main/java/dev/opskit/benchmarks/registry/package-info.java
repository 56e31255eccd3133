/**
 * The {@code registry} suite: register and promote latency and throughput on H2 and PostgreSQL against raw JDBC doing
 * the equivalent writes, search over 100,000 versions, and a live model's read against a plain volatile read.
 */
@NullMarked
package dev.opskit.benchmarks.registry;

import org.jspecify.annotations.NullMarked;
