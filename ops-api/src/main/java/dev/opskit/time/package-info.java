/**
 * Injected time: the {@link dev.opskit.time.Scheduler} that the runtime uses for backoff delays and timeouts,
 * so that tests can drive them with a manual clock instead of sleeping.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.time;

import org.jspecify.annotations.NullMarked;
