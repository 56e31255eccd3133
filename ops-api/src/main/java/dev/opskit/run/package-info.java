/**
 * Running pipelines: the {@link dev.opskit.run.Runner}, run reports, the {@link dev.opskit.run.Executor} SPI and
 * the {@link dev.opskit.run.RunListener} hooks.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.run;

import org.jspecify.annotations.NullMarked;
