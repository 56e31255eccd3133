/**
 * An embeddable, read-only web console over a workspace: {@link dev.opskit.console.Console#serve} starts it.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.console;

import org.jspecify.annotations.NullMarked;
