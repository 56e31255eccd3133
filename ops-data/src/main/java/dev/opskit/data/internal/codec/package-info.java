/**
 * The codecs behind {@link dev.opskit.data.Codecs}: JSON Lines, CSV, JSON, bytes and file trees, and the canonical
 * JSON configuration they share so that equal values encode to equal bytes. Nothing here is API.
 */
@NullMarked
package dev.opskit.data.internal.codec;

import org.jspecify.annotations.NullMarked;
