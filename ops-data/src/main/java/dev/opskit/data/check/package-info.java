/**
 * Expectations on dataset content, evaluated on every version committed: {@link dev.opskit.data.check.Check}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.data.check;

import org.jspecify.annotations.NullMarked;
