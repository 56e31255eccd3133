/**
 * The implementation of ops-data. Nothing here is API.
 */
@NullMarked
package dev.opskit.data.internal;

import org.jspecify.annotations.NullMarked;
