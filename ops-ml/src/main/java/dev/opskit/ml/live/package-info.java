/**
 * Live models: {@link dev.opskit.ml.live.LiveModel}, a handle that serves the version an alias or stage points to and switches when it moves.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.live;

import org.jspecify.annotations.NullMarked;
