/**
 * The {@code engine} suite: per-step orchestration overhead of the pipeline engine against a bare
 * {@code CompletableFuture} DAG, flatness from 1,000 to 100,000 steps, the cost of building and validating a
 * 100,000-step pipeline, and the peers Dexecutor and Spring Batch at 1,000 steps.
 */
@NullMarked
package dev.opskit.benchmarks.engine;

import org.jspecify.annotations.NullMarked;
