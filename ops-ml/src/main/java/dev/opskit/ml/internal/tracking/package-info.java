/**
 * The implementation of tracking: runs and metric points as metadata store records, artifacts as pinned blobs, and
 * the listener that tracks pipeline runs. Nothing here is API.
 */
@NullMarked
package dev.opskit.ml.internal.tracking;

import org.jspecify.annotations.NullMarked;
