/**
 * The registry's Micrometer metrics: {@link dev.opskit.ml.metrics.OpsMlMetrics}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.metrics;

import org.jspecify.annotations.NullMarked;
