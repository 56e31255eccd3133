package dev.opskit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Faults between the store and a real S3 API server: connections cut by a loopback proxy, and the server stopped in
 * the middle of an upload, a multipart upload and a download. Each ends in a clear error, a successful retry, or no
 * visible blob, and never in a wrong blob or wrong bytes.
 */
class S3FaultTest {
  private static final long MIB = 1 << 20;

  @TempDir
  static Path dir;
  private static S3ProxyServer server;
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  private String bucket;
  private FlakyProxy proxy;
  private S3BlobStore store;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir.resolve("s3"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void openStoreBehindAProxy() throws Exception {
    server.restart();
    bucket = server.createBucket();
    proxy = FlakyProxy.inFrontOf(server.port());
    store = S3BlobStore.builder(bucket).endpoint(proxy.endpoint()).pathStyle(true).region("us-east-1")
        .credentials(S3ProxyServer.credentials()).clock(clock).partSize(5 * MIB).parallelism(2).open();
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
    proxy.close();
    server.restart();
  }

  // Connections cut for a while: the SDK's retries and the reads' resumption get through

  @Test
  void anUploadWhoseConnectionsAreCutTwiceIsRetriedAndStored() throws IOException {
    proxy.cutUploadsAfter(2, 64 * 1024);

    BlobInfo info = store.put(Content.of(1, 300_000));

    assertThat(proxy.cuts()).isEqualTo(2);
    assertThat(info.id()).isEqualTo(Content.sha256(1, 300_000));
    assertThat(readAll(store.open(info.id()))).isEqualTo(Content.of(1, 300_000).readAllBytes());
  }

  @Test
  void aMultipartUploadWhosePartsAreCutIsRetriedAndStored() throws IOException {
    proxy.cutUploadsAfter(2, MIB);

    BlobInfo info = store.put(Content.of(2, 12 * MIB));

    assertThat(proxy.cuts()).isEqualTo(2);
    assertThat(info.id()).isEqualTo(Content.sha256(2, 12 * MIB));
    assertThat(S3BlobStoreTest.sha256(store.open(info.id()))).isEqualTo(info.id());
    assertThat(uploadsLeft()).isEmpty();
  }

  @Test
  void aDownloadWhoseConnectionsAreCutIsResumedWhereItBroke() throws IOException {
    BlobManifest manifest = store.putWithManifest(Content.of(3, 12 * MIB));
    proxy.cutDownloadsAfter(2, MIB);

    assertThat(S3BlobStoreTest.sha256(store.open(manifest.id()))).isEqualTo(manifest.id());
    assertThat(proxy.cuts()).isEqualTo(2);

    proxy.cutDownloadsAfter(2, 3 * MIB);
    assertThat(S3BlobStoreTest.sha256(store.open(manifest.id(), manifest))).isEqualTo(manifest.id());
    assertThat(proxy.cuts()).isEqualTo(4);
  }

  // Connections cut for good: a clear error, and no blob

  @Test
  void anUploadWhoseConnectionsAreAlwaysCutFailsNamingBucketAndKeyAndLeavesNoBlob() {
    proxy.cutUploadsAfter(-1, 64 * 1024);
    String id = Content.sha256(4, 300_000);

    Throwable thrown = catchThrowable(() -> store.put(Content.of(4, 300_000)));

    assertThat(thrown).isInstanceOfSatisfying(S3BlobStoreException.class, e -> {
      assertThat(e.bucket()).isEqualTo(bucket);
      assertThat(e.key()).isEqualTo(store.keyOf(id));
    }).hasMessageContaining(bucket).hasMessageContaining(store.keyOf(id)).hasMessageContaining("3 attempts");
    proxy.heal();
    assertThat(store.stat(id)).isEmpty();
    assertThat(list()).isEmpty();
  }

  @Test
  void aMultipartUploadWhosePartsAreAlwaysCutFailsAndIsAbortedLeavingNoPart() {
    proxy.cutUploadsAfter(-1, MIB);
    String id = Content.sha256(5, 12 * MIB);

    Throwable thrown = catchThrowable(() -> store.put(Content.of(5, 12 * MIB)));

    assertThat(thrown).isInstanceOf(S3BlobStoreException.class).hasMessageContaining(bucket)
        .hasMessageContaining(store.keyOf(id)).hasMessageContaining("in 3 parts");
    assertThat(proxy.cuts()).as("connections cut").isGreaterThanOrEqualTo(3);
    proxy.heal();
    assertThat(store.stat(id)).isEmpty();
    assertThat(uploadsLeft()).as("multipart uploads left behind").isEmpty();
  }

  @Test
  void aDownloadWhoseConnectionsAreAlwaysCutFailsClearlyHavingHandedOutOnlyTheBlobsOwnBytes() throws IOException {
    BlobInfo info = store.put(Content.of(6, 12 * MIB));
    proxy.cutDownloadsAfter(-1, MIB);

    Delivery delivery = readAll(() -> store.open(info.id()));

    assertThat(delivery.failure()).isInstanceOf(IOException.class).hasMessageContaining(store.keyOf(info.id()))
        .hasMessageContaining("broke at byte");
    byte[] original = Content.of(6, 12 * MIB).readAllBytes();
    assertThat(delivery.bytes().length).isLessThan(original.length);
    assertThat(delivery.bytes()).isEqualTo(Arrays.copyOf(original, delivery.bytes().length));
  }

  // The server stopped

  @Test
  void aPutWhileTheServerIsDownFailsNamingBucketAndKeyAndAPutAfterItComesBackSucceeds() throws Exception {
    String id = Content.sha256(7, 300_000);
    InputStream stopsTheServerMidway = new StopAfter(Content.of(7, 300_000), 100_000);

    Throwable thrown = catchThrowable(() -> store.put(stopsTheServerMidway));
    server.restart();

    assertThat(thrown).isInstanceOfSatisfying(S3BlobStoreException.class,
        e -> assertThat(e.key()).isEqualTo(store.keyOf(id))).hasMessageContaining(bucket);
    assertThat(store.stat(id)).isEmpty();
    assertThat(store.put(Content.of(7, 300_000)).id()).isEqualTo(id);
    assertThat(S3BlobStoreTest.sha256(store.open(id))).isEqualTo(id);
  }

  @Test
  void aServerStoppedMidMultipartLeavesNoBlobAndTheNextOpenAbortsTheUploadOnceItIsOld() throws Exception {
    String id = Content.sha256(8, 12 * MIB);
    proxy.whenUploaded(6 * MIB, () -> {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    Throwable thrown = catchThrowable(() -> store.put(Content.of(8, 12 * MIB)));
    server.restart();

    assertThat(thrown).isInstanceOf(S3BlobStoreException.class).hasMessageContaining(store.keyOf(id));
    assertThat(store.stat(id)).isEmpty();
    assertThat(list()).isEmpty();
    // The abort could not reach the server; the upload's parts are removed by the first open a day later.
    assertThat(uploadsLeft()).as("uploads left by the failed put").hasSize(1);
    server.store(bucket).clock(clock).open().close();
    assertThat(uploadsLeft()).as("uploads left after an open the same day").hasSize(1);
    ManualClock dayAfter = ManualClock.at(Instant.now().plus(Duration.ofDays(2)));
    server.store(bucket).clock(dayAfter).open().close();
    assertThat(uploadsLeft()).isEmpty();
  }

  @Test
  void aDownloadWhenTheServerStopsFailsClearlyAndSucceedsOnceItIsBack() throws Exception {
    // Larger than what loopback socket buffers and the read-ahead hold (a few MiB): with 12 MiB, a busy machine once
    // let the server send every byte before it stopped, and the download rightly succeeded
    BlobManifest manifest = store.putWithManifest(Content.of(9, 48 * MIB));
    byte[] original = Content.of(9, 48 * MIB).readAllBytes();

    Delivery broken;
    try (InputStream in = store.open(manifest.id(), manifest)) {
      byte[] first = in.readNBytes((int) MIB);
      server.stop();
      broken = readAll(() -> in);
      broken = new Delivery(concat(first, broken.bytes()), broken.failure());
    }
    server.restart();

    assertThat(broken.failure()).isInstanceOf(IOException.class)
        .hasMessageContaining(store.keyOf(manifest.id()));
    assertThat(broken.bytes()).isEqualTo(Arrays.copyOf(original, broken.bytes().length));
    assertThat(readAll(store.open(manifest.id(), manifest))).isEqualTo(original);
  }

  @Test
  void aDownloadResumesAfterTheServerRestartsBeneathIt() throws Exception {
    BlobInfo info = store.put(Content.of(10, 12 * MIB));

    try (InputStream in = store.open(info.id())) {
      byte[] first = in.readNBytes((int) MIB);
      server.stop();
      server.restart();
      byte[] rest = in.readAllBytes();

      assertThat(concat(first, rest)).isEqualTo(Content.of(10, 12 * MIB).readAllBytes());
    }
  }

  // Helpers

  private List<MultipartUpload> uploadsLeft() {
    return server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads();
  }

  private List<BlobInfo> list() {
    List<BlobInfo> all = new ArrayList<>();
    store.forEach(all::add);
    return all;
  }

  private record Delivery(byte[] bytes, Throwable failure) {}

  private interface Opener {
    InputStream open() throws IOException;
  }

  private static Delivery readAll(Opener opener) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Throwable failure = null;
    try (InputStream in = opener.open()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) != -1; ) {
        got.write(buffer, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
    return new Delivery(got.toByteArray(), failure);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** Stops the server once some bytes of the content have been read. */
  private static final class StopAfter extends InputStream {
    private final InputStream in;
    private long left;

    StopAfter(InputStream in, long bytes) {
      this.in = in;
      this.left = bytes;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0 && left > 0 && (left -= n) <= 0) {
        try {
          server.stop();
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
      return n;
    }
  }

}
