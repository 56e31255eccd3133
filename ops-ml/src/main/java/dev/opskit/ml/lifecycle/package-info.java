/**
 * Declared model lifecycles: training, evaluation, registration and promotion as one idempotent call,
 * {@link dev.opskit.ml.lifecycle.ModelLifecycle#advance}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.lifecycle;

import org.jspecify.annotations.NullMarked;
