/**
 * The runtime's implementation. Nothing here is API: it may change in any release.
 */
@NullMarked
package dev.opskit.core.internal;

import org.jspecify.annotations.NullMarked;
