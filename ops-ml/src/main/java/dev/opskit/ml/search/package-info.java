/**
 * Searching the registry: {@link dev.opskit.ml.search.ModelSearch} over model versions and {@link
 * dev.opskit.ml.search.RegisteredModelSearch} over models, with MLflow's filter grammar.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.search;

import org.jspecify.annotations.NullMarked;
