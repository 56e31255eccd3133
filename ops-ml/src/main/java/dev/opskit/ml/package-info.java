/**
 * The model lifecycle: the {@link dev.opskit.ml.ModelRegistry} of numbered, immutable model versions with aliases and
 * stages, promotions through gates with an audit trail, and {@link dev.opskit.ml.serving.LiveModel} handles for serving.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml;

import org.jspecify.annotations.NullMarked;
