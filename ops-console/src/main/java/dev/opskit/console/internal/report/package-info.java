/**
 * The one-file HTML reports behind {@link dev.opskit.console.Report}: the page shell with its inline style and its
 * Content-Security-Policy, and the run, model and comparison sections. Not API.
 */
@NullMarked
package dev.opskit.console.internal.report;

import org.jspecify.annotations.NullMarked;
