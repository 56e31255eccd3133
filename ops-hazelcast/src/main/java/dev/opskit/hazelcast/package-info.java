/**
 * Runs pipeline steps on the members of a Hazelcast cluster: {@link dev.opskit.hazelcast.OpsCluster} makes this JVM a
 * member (embedded in the host application) or a client of a cluster, and its
 * {@link dev.opskit.hazelcast.HazelcastExecutor} sends each step, by name, to a member with a free slot. Steps never
 * travel as closures: every member runs the same application code and registers the same pipelines.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.hazelcast;

import org.jspecify.annotations.NullMarked;
