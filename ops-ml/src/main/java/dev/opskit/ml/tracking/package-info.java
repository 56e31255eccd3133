/**
 * Tracking of training runs: parameters, metrics with steps and timestamps, tags, artifacts and dataset inputs.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.tracking;

import org.jspecify.annotations.NullMarked;
