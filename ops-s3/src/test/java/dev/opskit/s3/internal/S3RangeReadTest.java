package dev.opskit.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opskit.s3.S3BlobStore;
import dev.opskit.s3.S3ProxyServer;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.CorruptBlobException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Ranged reads on S3 fetch just the chunks that cover the range, with one ranged GetObject. */
class S3RangeReadTest {
  private static final int CHUNK = BlobManifest.DEFAULT_CHUNK_SIZE;
  /** Four chunks, the last of 10 bytes. */
  private static final int SIZE = 3 * CHUNK + 10;

  @TempDir
  static Path dir;
  private static S3ProxyServer server;

  private final byte[] content = new byte[SIZE];
  private String bucket;
  private S3Client raw;
  private InterceptingS3Client intercepting;
  private S3BlobStore store;
  private BlobManifest manifest;
  private String key;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir.resolve("s3"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void putABlob() {
    new Random(11).nextBytes(content);
    bucket = server.createBucket();
    raw = S3ProxyServer.rawClient(server.endpoint());
    intercepting = new InterceptingS3Client(raw);
    store = S3BlobStore.builder(bucket).client(intercepting.client()).partSize(5L << 20).open();
    manifest = store.putWithManifest(new ByteArrayInputStream(content));
    key = store.keyOf(manifest.id());
    intercepting.clear();
  }

  @AfterEach
  void closeStore() {
    store.close();
    raw.close();
  }

  @Test
  void aRangeInTheMiddleIsOneGetOfItsChunks() throws IOException {
    byte[] got = read(CHUNK + 5, CHUNK);

    assertThat(got).isEqualTo(Arrays.copyOfRange(content, CHUNK + 5, 2 * CHUNK + 5));
    assertThat(intercepting.sent(GetObjectRequest.class)).extracting(GetObjectRequest::range)
        .containsExactly("bytes=" + CHUNK + "-" + (3 * CHUNK - 1));
  }

  @Test
  void aRangeThatReachesTheEndGetsEverythingFromItsFirstChunkAndIgnoresDamageBeforeIt() throws IOException {
    damage(7);

    byte[] got = read(2 * CHUNK + 3, CHUNK + 7);

    assertThat(got).isEqualTo(Arrays.copyOfRange(content, 2 * CHUNK + 3, SIZE));
    assertThat(intercepting.sent(GetObjectRequest.class)).extracting(GetObjectRequest::range)
        .containsExactly("bytes=" + 2 * CHUNK + "-");
  }

  @Test
  void anObjectLongerOrShorterThanTheBlobFailsARangeThatReachesItsEnd() {
    byte[] longer = Arrays.copyOf(content, SIZE + 1);
    raw.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(longer));

    Throwable appended = catchThrowable(() -> read(SIZE - 5, 5));
    Throwable middle = catchThrowable(() -> read(CHUNK, 10));
    raw.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(Arrays.copyOf(content, 2 * CHUNK)));
    Throwable truncated = catchThrowable(() -> read(SIZE - 5, 5));

    assertThat(appended).isInstanceOf(CorruptBlobException.class).hasMessageContaining("goes on past its " + SIZE)
        .hasMessageContaining("s3://" + bucket + "/" + key);
    assertThat(middle).as("a range that does not reach the end").isNull();
    assertThat(truncated).isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining("it ends before byte " + 3 * CHUNK + ", but the blob has " + SIZE);
  }

  @Test
  void aRangeOfAManifestWithoutChunkDigestsIsOneGetFromTheStart() throws IOException {
    byte[] got;
    try (InputStream in = store.openRange(manifest.id(), manifest.withoutChunkDigests(), 2 * CHUNK + 1, 100)) {
      got = in.readAllBytes();
    }

    assertThat(got).isEqualTo(Arrays.copyOfRange(content, 2 * CHUNK + 1, 2 * CHUNK + 101));
    assertThat(intercepting.sent(GetObjectRequest.class)).extracting(GetObjectRequest::range)
        .containsExactly("bytes=0-" + (3 * CHUNK - 1));
  }

  private byte[] read(long offset, long length) throws IOException {
    try (InputStream in = store.openRange(manifest.id(), manifest, offset, length)) {
      return in.readAllBytes();
    }
  }

  private void damage(int at) {
    ResponseBytes<GetObjectResponse> object = raw.getObjectAsBytes(b -> b.bucket(bucket).key(key));
    byte[] bytes = object.asByteArray();
    bytes[at] ^= 1;
    raw.putObject(b -> b.bucket(bucket).key(key).metadata(object.response().metadata()), RequestBody.fromBytes(bytes));
  }
}
