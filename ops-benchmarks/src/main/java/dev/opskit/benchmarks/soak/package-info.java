/**
 * The {@code soak} suite and its harness: a mixed registry, catalog, pipeline and live-model workload run by several
 * threads in several JVMs on one workspace for a fixed time, measured per time window, with the workspace's invariants
 * checked at the end ({@link dev.opskit.benchmarks.soak.Soak}); and the registry's lookups at 1,000 to 1,000,000 versions
 * of one model on PostgreSQL ({@link dev.opskit.benchmarks.soak.ScaleProbe}).
 */
@NullMarked
package dev.opskit.benchmarks.soak;

import org.jspecify.annotations.NullMarked;
