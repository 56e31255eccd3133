/**
 * The benchmark harness: {@link dev.opskit.benchmarks.BenchMain} runs registered {@link dev.opskit.benchmarks.Suite
 * suites} and reports each {@link dev.opskit.benchmarks.Figure} as a {@code BENCH} line and as JSON. Not published.
 */
@NullMarked
package dev.opskit.benchmarks;

import org.jspecify.annotations.NullMarked;
