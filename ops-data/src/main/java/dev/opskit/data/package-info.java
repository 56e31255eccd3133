/**
 * Versioned datasets: the {@link dev.opskit.data.Catalog} of immutable, content-addressed versions, the codecs that
 * store values ({@link dev.opskit.data.Codecs}), and {@link dev.opskit.data.Rows}, the streaming value of tabular
 * datasets.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.data;

import org.jspecify.annotations.NullMarked;
