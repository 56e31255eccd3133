/**
 * The {@code data} suite: committing a 1 GiB JSON Lines file against {@code openssl dgst -sha256} then {@code cp}, the
 * 5 GB streaming proof under a 128 MB heap, re-running an unchanged 1,000-step pipeline, garbage collection over
 * 100,000 versions, and profiling a million rows.
 */
@NullMarked
package dev.opskit.benchmarks.data;

import org.jspecify.annotations.NullMarked;
