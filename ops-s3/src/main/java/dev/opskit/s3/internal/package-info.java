/**
 * The S3 blob store's implementation: keys, staged puts, multipart uploads, resumable verified reads. Internal.
 */
@NullMarked
package dev.opskit.s3.internal;

import org.jspecify.annotations.NullMarked;
