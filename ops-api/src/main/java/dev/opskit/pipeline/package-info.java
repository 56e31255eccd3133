/**
 * Declaring pipelines: typed {@link dev.opskit.pipeline.Dataset} handles, {@link dev.opskit.pipeline.Step steps}
 * with retry and timeout policies, and immutable, validated {@link dev.opskit.pipeline.Pipeline pipelines}. Declaring does no
 * I/O and starts no thread.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.pipeline;

import org.jspecify.annotations.NullMarked;
