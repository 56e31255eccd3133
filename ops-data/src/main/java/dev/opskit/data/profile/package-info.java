/**
 * Column profiles of tabular versions, drift between versions (PSI and Kolmogorov-Smirnov), and diffs.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.data.profile;

import org.jspecify.annotations.NullMarked;
