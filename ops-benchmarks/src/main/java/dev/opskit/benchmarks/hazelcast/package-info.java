/**
 * The {@code hazelcast} suite: the scale-out executor's per-step overhead across worker JVMs against raw
 * {@code IExecutorService} tasks to the same members, and the speedup of CPU-bound steps from one worker JVM to two.
 */
@NullMarked
package dev.opskit.benchmarks.hazelcast;

import org.jspecify.annotations.NullMarked;
