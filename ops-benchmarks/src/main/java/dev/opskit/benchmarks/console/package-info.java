/** The {@code console} suite: the latency of every page of the web console on a large workspace. */
@NullMarked
package dev.opskit.benchmarks.console;

import org.jspecify.annotations.NullMarked;
