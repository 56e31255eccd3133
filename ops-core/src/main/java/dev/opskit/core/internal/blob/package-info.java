/**
 * Blob store implementations: in memory, and content-addressed files in a local directory. Internal.
 */
@NullMarked
package dev.opskit.core.internal.blob;

import org.jspecify.annotations.NullMarked;
