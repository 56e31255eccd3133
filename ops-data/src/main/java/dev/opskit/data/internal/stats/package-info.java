/**
 * The machinery behind checks, profiles, drift and diffs: 128-bit value hashing, compact hash tables, streaming column
 * statistics over Apache DataSketches, and the quantile grid stored in profiles. Internal.
 *
 * <p>Only the on-heap parts of DataSketches are used (updates and queries); nothing is serialized with it, because its
 * serialization layer (datasketches-memory 3.0.2) refuses to run on JDK 22 and later.
 */
@NullMarked
package dev.opskit.data.internal.stats;

import org.jspecify.annotations.NullMarked;
