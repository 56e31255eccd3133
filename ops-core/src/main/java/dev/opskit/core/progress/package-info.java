/**
 * Ready-made progress displays for runs: {@link dev.opskit.core.progress.ConsoleProgress}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.core.progress;

import org.jspecify.annotations.NullMarked;
