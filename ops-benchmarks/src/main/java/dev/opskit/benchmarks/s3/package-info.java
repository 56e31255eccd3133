/**
 * The {@code s3} suite: opskit's S3 blob store against the raw AWS SDK on the same S3Proxy server.
 */
@NullMarked
package dev.opskit.benchmarks.s3;

import org.jspecify.annotations.NullMarked;
