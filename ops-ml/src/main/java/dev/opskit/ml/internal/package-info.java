/**
 * The implementation of ops-ml. Nothing here is API.
 */
@NullMarked
package dev.opskit.ml.internal;

import org.jspecify.annotations.NullMarked;
