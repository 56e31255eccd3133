package dev.opskit.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.s3.S3BlobStore;
import dev.opskit.s3.S3BlobStoreException;
import dev.opskit.s3.S3ProxyServer;
import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.time.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The restamp of an object too large for one CopyObject (over 5 GiB on S3), driven on a small object against S3Proxy
 * by lowering the store's copy limit: a multipart copy of the object onto itself, part by part on the server.
 */
class S3LargeRestampTest {
  private static final int MIB = 1 << 20;
  /** Three parts of 5 MiB, the last short. */
  private static final int SIZE = 12 * MIB + 5;

  @TempDir
  static Path dir;
  private static S3ProxyServer server;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  private final byte[] content = new byte[SIZE];
  private String bucket;
  private S3Client raw;
  private InterceptingS3Client intercepting;
  private S3BlobStoreImpl store;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir.resolve("s3"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void openStore() {
    new Random(7).nextBytes(content);
    bucket = server.createBucket();
    raw = S3ProxyServer.rawClient(server.endpoint());
    intercepting = new InterceptingS3Client(raw);
    store = (S3BlobStoreImpl) S3BlobStore.builder(bucket).client(intercepting.client()).clock(clock)
        .partSize(5L * MIB).open();
    store.uploads().copyInPartsAbove(0);
  }

  @AfterEach
  void closeStore() {
    store.close();
    raw.close();
  }

  @Test
  void aRestampAboveTheLimitCopiesThePartsOnTheServerAndKeepsContentChecksumAndStamp() throws IOException {
    Instant first = clock.instant();
    BlobManifest manifest = store.putWithManifest(new ByteArrayInputStream(content));
    String key = store.keyOf(manifest.id());
    HeadObjectResponse before = head(key);
    Instant later = clock.advance(Duration.ofHours(2));
    intercepting.clear();

    BlobInfo again = store.put(content);

    assertThat(again).isEqualTo(new BlobInfo(manifest.id(), SIZE, later));
    assertThat(intercepting.sent(UploadPartCopyRequest.class)).as("parts copied on the server")
        .extracting(UploadPartCopyRequest::copySourceRange)
        .containsExactlyInAnyOrder("bytes=0-5242879", "bytes=5242880-10485759", "bytes=10485760-12582916");
    assertThat(intercepting.sent(UploadPartCopyRequest.class)).extracting(UploadPartCopyRequest::copySourceIfMatch)
        .containsOnly(before.eTag());
    assertThat(intercepting.sent(UploadPartRequest.class)).as("parts uploaded").isEmpty();
    assertThat(intercepting.sent(PutObjectRequest.class)).as("objects put").isEmpty();
    assertThat(intercepting.sent(CopyObjectRequest.class)).as("single copies").isEmpty();

    HeadObjectResponse after = head(key);
    assertThat(after.eTag()).as("ETag, made from the parts' MD5s").isEqualTo(before.eTag());
    // S3Proxy keeps no checksums of multipart objects, so what is checked here is what the copy asks for: the same
    // per-part checksums as the upload (CRC32C), which S3 keeps.
    assertThat(intercepting.sent(CreateMultipartUploadRequest.class)).singleElement().satisfies(copy -> {
      assertThat(copy.checksumAlgorithm()).isEqualTo(Uploads.PART_CHECKSUM).isEqualTo(ChecksumAlgorithm.CRC32_C);
      assertThat(copy.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
      assertThat(copy.metadata()).containsEntry(S3Ops.STORED_AT, later.toString());
    });
    assertThat(after.checksumCRC32C()).as("CRC32C checksum").isEqualTo(before.checksumCRC32C());
    assertThat(after.metadata()).containsEntry(S3Ops.STORED_AT, later.toString());
    assertThat(store.stat(manifest.id())).contains(again);
    assertThat(store.deleteIfStoredBefore(manifest.id(), first.plus(Duration.ofHours(1)))).isFalse();
    try (InputStream in = store.open(manifest.id(), manifest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(openUploads()).as("multipart uploads left").isZero();

    // The copy kept what a put recognizes the content by: the next put is a restamp again.
    Instant third = clock.advance(Duration.ofHours(2));
    intercepting.clear();
    assertThat(store.put(content).storedAt()).isEqualTo(third);
    assertThat(intercepting.sent(UploadPartRequest.class)).as("parts uploaded by the third put").isEmpty();
    assertThat(intercepting.sent(UploadPartCopyRequest.class)).hasSize(3);
  }

  @Test
  void aPartCopyThatFailsMidwayIsAbortedAndTheObjectStaysAsItWas() throws IOException {
    Instant first = clock.instant();
    BlobManifest manifest = store.putWithManifest(new ByteArrayInputStream(content));
    String key = store.keyOf(manifest.id());
    HeadObjectResponse before = head(key);
    clock.advance(Duration.ofHours(2));
    intercepting.before("uploadPartCopy", (request, call) -> {
      if (call == 2) {
        throw (S3Exception) S3Exception.builder().statusCode(500).message("injected failure")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").errorMessage("injected").build())
            .build();
      }
    });

    assertThatThrownBy(() -> store.put(content)).isInstanceOf(S3BlobStoreException.class)
        .hasMessageContaining("s3://" + bucket + "/" + key).hasMessageContaining("restamp");

    assertThat(openUploads()).as("multipart uploads left").isZero();
    assertThat(head(key).eTag()).isEqualTo(before.eTag());
    assertThat(store.stat(manifest.id())).map(BlobInfo::storedAt).contains(first);
    try (InputStream in = store.open(manifest.id(), manifest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void anObjectReplacedMidCopyAbortsTheCopyAndThePutStoresItsContentAgain() throws IOException {
    BlobManifest manifest = store.putWithManifest(new ByteArrayInputStream(content));
    String key = store.keyOf(manifest.id());
    Instant later = clock.advance(Duration.ofHours(2));
    byte[] other = Arrays.copyOf(content, SIZE);
    other[SIZE / 2] ^= 1;
    intercepting.before("uploadPartCopy", (request, call) -> {
      if (call == 2) {
        raw.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(other));
      }
    });
    intercepting.clear();

    BlobInfo again = store.put(content);

    assertThat(again).isEqualTo(new BlobInfo(manifest.id(), SIZE, later));
    assertThat(intercepting.sent(UploadPartCopyRequest.class)).as("part copies tried").hasSizeGreaterThanOrEqualTo(2);
    assertThat(intercepting.sent(UploadPartRequest.class)).as("parts uploaded once the copy was abandoned").hasSize(3);
    assertThat(openUploads()).as("multipart uploads left").isZero();
    try (InputStream in = store.open(manifest.id(), manifest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void theCopyLimitIsCheckedAndObjectsAtOrBelowItAreCopiedWhole() {
    assertThatThrownBy(() -> store.uploads().copyInPartsAbove(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> store.uploads().copyInPartsAbove(Uploads.MAX_COPY + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Long.toString(Uploads.MAX_COPY + 1));
    store.uploads().copyInPartsAbove(SIZE);
    store.put(content);
    clock.advance(Duration.ofHours(1));
    intercepting.clear();

    store.put(content);

    assertThat(intercepting.sent(CopyObjectRequest.class)).hasSize(1);
    assertThat(intercepting.sent(UploadPartCopyRequest.class)).isEmpty();
  }

  private HeadObjectResponse head(String key) {
    return raw.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
  }

  private int openUploads() {
    return raw.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
  }
}
