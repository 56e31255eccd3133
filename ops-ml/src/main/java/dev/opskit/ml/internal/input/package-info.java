/**
 * The rules every registry entry point applies to what callers give it, the same on every backend: principals and
 * their canonical ids, free text such as reasons, {@code models:/} URIs and reserved aliases. Nothing here is API.
 */
@NullMarked
package dev.opskit.ml.internal.input;

import org.jspecify.annotations.NullMarked;
