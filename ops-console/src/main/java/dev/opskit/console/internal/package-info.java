/**
 * The console's implementation: its read model over the public API, the HTTP handler and the page renderers. Not API.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.console.internal;

import org.jspecify.annotations.NullMarked;
