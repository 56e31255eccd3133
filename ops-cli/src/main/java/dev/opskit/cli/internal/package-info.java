/** The commands of the {@code opskit} command line, its workspace opener and its output. Not API. */
@NullMarked
package dev.opskit.cli.internal;

import org.jspecify.annotations.NullMarked;
