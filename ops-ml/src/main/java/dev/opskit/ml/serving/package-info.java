/**
 * Serving models: {@link dev.opskit.ml.serving.LiveModel}, a handle that serves the version an alias or stage points
 * to and switches when it moves, and the {@link dev.opskit.ml.serving.ModelCodec}s that store and load artifacts
 * ({@link dev.opskit.ml.serving.ModelCodecs} has the built-in ones).
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.serving;

import org.jspecify.annotations.NullMarked;
