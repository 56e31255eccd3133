/**
 * A {@link dev.opskit.store.BlobStore} on S3-compatible object storage (AWS S3, MinIO, Ceph, Cloudflare R2, Google
 * Cloud Storage through its interoperability API), on the AWS SDK for Java v2: {@link dev.opskit.s3.S3BlobStore}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.s3;

import org.jspecify.annotations.NullMarked;
