/**
 * Promotions through gates: {@link dev.opskit.ml.promotion.Promotion}, the built-in {@link
 * dev.opskit.ml.promotion.Gates}, {@link dev.opskit.ml.promotion.PromotionPolicy} per model and stage, and the {@link
 * dev.opskit.ml.promotion.PromotionReport} with every gate's evidence.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.promotion;

import org.jspecify.annotations.NullMarked;
