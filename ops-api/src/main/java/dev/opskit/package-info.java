/**
 * The root of opskit's public API: the {@link dev.opskit.Workspace} entry point, the name rules shared by every
 * capability and the exception root {@link dev.opskit.OpsException}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit;

import org.jspecify.annotations.NullMarked;
