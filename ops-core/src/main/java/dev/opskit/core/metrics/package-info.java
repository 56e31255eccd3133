/**
 * Micrometer adapters: {@link dev.opskit.core.metrics.OpsMetrics} records meters from run events and
 * {@link dev.opskit.core.metrics.OpsObservations} turns runs and steps into Observations.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.core.metrics;

import org.jspecify.annotations.NullMarked;
