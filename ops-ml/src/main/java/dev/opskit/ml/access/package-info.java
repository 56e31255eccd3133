/**
 * Who may do what in the registry: the {@link dev.opskit.ml.Actor} every write names, the {@link
 * dev.opskit.ml.access.Action}s, the workspace's {@link dev.opskit.ml.access.Authorizer}, and {@link
 * dev.opskit.ml.access.AccessDeniedException}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.access;

import org.jspecify.annotations.NullMarked;
