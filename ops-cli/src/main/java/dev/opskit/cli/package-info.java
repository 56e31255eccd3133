/**
 * The {@code opskit} command line: {@link dev.opskit.cli.Opskit} is its entry point, and
 * {@link dev.opskit.cli.CliExtension} lets an application give it its pipelines and its authorizer.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.cli;

import org.jspecify.annotations.NullMarked;
