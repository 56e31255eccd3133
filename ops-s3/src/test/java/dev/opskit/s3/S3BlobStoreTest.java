package dev.opskit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opskit.store.BlobInfo;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** What the S3 store does beyond the contract: configuration, the check at open, keys, checksums, traffic. */
class S3BlobStoreTest {
  private static final long MIB = 1 << 20;

  @TempDir
  static Path dir;
  private static S3ProxyServer server;
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir.resolve("s3"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void createBucket() {
    bucket = server.createBucket();
  }

  // Configuration

  @Test
  void aUriSetsBucketPrefixRegionEndpointAndPathStyle() {
    String endpoint = URLEncoder.encode(server.endpoint().toString(), StandardCharsets.UTF_8);
    try (S3BlobStore store = S3BlobStore.fromUri("s3://" + bucket + "/team/ws-1/?region=eu-west-1&endpoint="
        + endpoint + "&pathStyle=true").credentials(S3ProxyServer.credentials()).clock(clock).open()) {
      BlobInfo info = store.put("abc".getBytes(StandardCharsets.US_ASCII));

      assertThat(store.bucket()).isEqualTo(bucket);
      assertThat(store.prefix()).isEqualTo("team/ws-1");
      assertThat(store.keyOf(info.id())).isEqualTo("team/ws-1/ba/" + info.id().substring(2));
      assertThat(server.client().headObject(b -> b.bucket(bucket).key(store.keyOf(info.id()))).contentLength())
          .isEqualTo(3);
      assertThat(store.describe()).contains("s3://" + bucket + "/team/ws-1/");
    }
  }

  @Test
  void malformedUrisAreRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> S3BlobStore.fromUri("http://bucket/x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://");
    assertThatThrownBy(() -> S3BlobStore.fromUri("s3:///x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no bucket");
    assertThatThrownBy(() -> S3BlobStore.fromUri("s3://Bad_Bucket/x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad_Bucket");
    assertThatThrownBy(() -> S3BlobStore.fromUri("s3://bucket/x?colour=red"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
    assertThatThrownBy(() -> S3BlobStore.fromUri("s3://bucket/x?pathStyle=maybe"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maybe");
    assertThatThrownBy(() -> S3BlobStore.fromUri("s3://bucket/a//b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a//b");
    assertThatThrownBy(() -> S3BlobStore.fromUri("s3://bucket/a/../b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/../b");
    assertThatThrownBy(() -> S3BlobStore.fromUri("s3://bucket/x?endpoint=ftp%3A%2F%2Fhost"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://host");
  }

  @Test
  void aSettingSetTwiceOrOutOfRangeIsRefusedNamingIt() {
    assertThatThrownBy(() -> S3BlobStore.builder("bucket").region("eu-west-1").region("us-east-1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("region").hasMessageContaining("eu-west-1");
    assertThatThrownBy(() -> S3BlobStore.fromUri("s3://bucket/x").prefix("y"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> S3BlobStore.builder("bucket").partSize(MIB))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partSize").hasMessageContaining("1048576");
    assertThatThrownBy(() -> S3BlobStore.builder("bucket").parallelism(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism");
    assertThatThrownBy(() -> S3BlobStore.builder("bucket").maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
  }

  @Test
  void aGivenClientExcludesTheSettingsThatBelongToTheClient() {
    assertThatThrownBy(() -> S3BlobStore.builder(bucket).client(server.client()).region("eu-west-1")
        .endpoint(server.endpoint()).open())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("region, endpoint");
  }

  @Test
  void aGivenClientIsUsedAndNotClosed() {
    S3BlobStore store = S3BlobStore.builder(bucket).client(server.client()).clock(clock).open();
    BlobInfo info = store.put(new byte[] {1, 2, 3});
    store.close();

    assertThat(server.client().headObject(b -> b.bucket(bucket).key(store.keyOf(info.id()))).contentLength())
        .isEqualTo(3);
  }

  // The check at open

  @Test
  void aMissingBucketIsReportedAtOpenNamingIt() {
    assertThatThrownBy(() -> server.store("no-such-bucket-here").open())
        .isInstanceOfSatisfying(S3BlobStoreException.class, e -> {
          assertThat(e.bucket()).isEqualTo("no-such-bucket-here");
          assertThat(e.key()).isEmpty();
        })
        .hasMessageContaining("no-such-bucket-here").hasMessageContaining("does not exist");
  }

  @Test
  void deniedAccessIsReportedAtOpenNamingTheBucketAndTheAction() {
    assertThatThrownBy(() -> S3BlobStore.builder(bucket).endpoint(server.endpoint()).pathStyle(true)
        .region("us-east-1").credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("intruder",
            "wrong-secret"))).open())
        .isInstanceOf(S3BlobStoreException.class).hasMessageContaining(bucket).hasMessageContaining("access denied")
        .hasMessageContaining("s3:ListBucket");
  }

  @Test
  void missingCredentialsAreReportedAtOpenSayingWhereTheyComeFrom(@TempDir Path dir) throws IOException {
    Path emptyProfiles = java.nio.file.Files.writeString(dir.resolve("credentials"), "");
    ProfileCredentialsProvider none = ProfileCredentialsProvider.builder().profileName("opskit-none")
        .profileFile(ProfileFile.builder().content(emptyProfiles).type(ProfileFile.Type.CREDENTIALS).build()).build();
    assertThatThrownBy(() -> S3BlobStore.builder(bucket).endpoint(server.endpoint()).pathStyle(true)
        .region("us-east-1").credentials(none).open())
        .isInstanceOf(S3BlobStoreException.class).hasMessageContaining(bucket)
        .hasMessageContaining("no AWS credentials were found").hasMessageContaining("credentials(...)")
        .hasMessageNotContaining("can be reached");
  }

  @Test
  void anUnreachableServiceIsReportedAtOpenNamingTheEndpoint() throws IOException {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    assertThatThrownBy(() -> S3BlobStore.builder(bucket).endpoint(nowhere).pathStyle(true).region("us-east-1")
        .credentials(S3ProxyServer.credentials()).maxAttempts(1).open())
        .isInstanceOf(S3BlobStoreException.class).hasMessageContaining(bucket)
        .hasMessageContaining(nowhere.toString());
  }

  @Test
  void aReadOnlyStoreReadsAndRefusesToWrite() {
    BlobInfo info;
    try (S3BlobStore writer = server.store(bucket).clock(clock).open()) {
      info = writer.put(new byte[] {4, 5, 6});
    }
    try (S3BlobStore reader = server.store(bucket).readOnly().open()) {
      assertThat(reader.read(info.id())).containsExactly(4, 5, 6);
      assertThatThrownBy(() -> reader.put(new byte[] {7})).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("read-only");
      assertThatThrownBy(() -> reader.delete(info.id())).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void openingRemovesSpoolFilesThatKilledPutsLeftADayAgo() throws IOException {
    Path spools = java.nio.file.Files.createDirectories(dir.resolve("spool-" + bucket));
    Path old = java.nio.file.Files.write(spools.resolve("opskit-s3-1.spool"), new byte[10]);
    Path recent = java.nio.file.Files.write(spools.resolve("opskit-s3-2.spool"), new byte[10]);
    Path other = java.nio.file.Files.write(spools.resolve("someone-else.spool"), new byte[10]);
    Instant now = java.time.Clock.systemUTC().instant(); // file times are the system clock's, whatever the store's
    for (Path p : List.of(old, other)) {
      java.nio.file.Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(now.minus(Duration.ofDays(2))));
    }
    java.nio.file.Files.setLastModifiedTime(recent, java.nio.file.attribute.FileTime.from(now.minusSeconds(60)));

    server.store(bucket).clock(clock).spoolDirectory(spools).open().close();

    assertThat(old).doesNotExist();
    assertThat(recent).exists();
    assertThat(other).exists();
  }

  // Keys, checksums, stamps

  @Test
  void aSmallBlobIsOneObjectCarryingItsSha256AsChecksumAndItsStamp() {
    try (S3BlobStore store = server.store(bucket).clock(clock).open()) {
      BlobInfo info = store.put(Content.of(1, 300_000));

      HeadObjectResponse head = server.client().headObject(b -> b.bucket(bucket).key(store.keyOf(info.id()))
          .checksumMode(ChecksumMode.ENABLED));
      assertThat(head.checksumSHA256()).isEqualTo(base64(info.id()));
      assertThat(head.metadata()).containsEntry("opskit-stored-at", "2026-03-01T00:00:00Z");
    }
  }

  @Test
  void aLargeBlobIsAMultipartObjectSentWithCrc32cPartChecksums() throws IOException {
    try (FlakyProxy proxy = FlakyProxy.inFrontOf(server.port());
         S3BlobStore store = S3BlobStore.builder(bucket).endpoint(proxy.endpoint()).pathStyle(true)
             .region("us-east-1").credentials(S3ProxyServer.credentials()).clock(clock).partSize(5 * MIB).open()) {
      proxy.watchUploadsFor("x-amz-checksum-crc32c");

      BlobInfo info = store.put(Content.of(2, 12 * MIB + 5));

      assertThat(info.id()).isEqualTo(Content.sha256(2, 12 * MIB + 5));
      // S3Proxy keeps no checksum of a multipart object, so what is checked is what was sent: each of the three
      // parts names its CRC32C (as a trailer it announces and then sends, or as a header).
      assertThat(proxy.sightings()).as("CRC32C checksums sent with the parts").isGreaterThanOrEqualTo(3);
      HeadObjectResponse head = server.client().headObject(b -> b.bucket(bucket).key(store.keyOf(info.id())));
      assertThat(head.contentLength()).isEqualTo(12 * MIB + 5);
      assertThat(head.eTag()).endsWith("-3\"");
      assertThat(head.metadata()).containsEntry("opskit-stored-at", "2026-03-01T00:00:00Z");
      assertThat(server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
      try (InputStream in = store.open(info.id())) {
        assertThat(sha256(in)).isEqualTo(info.id());
      }
    }
  }

  @Test
  void aPutOfContentAlreadyStoredSendsNoBytesAndRefreshesTheStamp() throws IOException {
    try (FlakyProxy proxy = FlakyProxy.inFrontOf(server.port());
         S3BlobStore store = S3BlobStore.builder(bucket).endpoint(proxy.endpoint()).pathStyle(true)
             .region("us-east-1").credentials(S3ProxyServer.credentials()).clock(clock).partSize(5 * MIB).open()) {
      store.put(Content.of(3, 300_000));
      store.put(Content.of(4, 11 * MIB));
      Instant later = clock.advance(Duration.ofHours(1));
      long before = proxy.uploaded();

      BlobInfo small = store.put(Content.of(3, 300_000));
      BlobInfo large = store.put(Content.of(4, 11 * MIB));
      // Once more, now that both were restamped by a copy onto themselves.
      store.put(Content.of(3, 300_000));
      store.put(Content.of(4, 11 * MIB));

      assertThat(proxy.uploaded() - before).as("bytes sent for four puts of stored content").isLessThan(32 * 1024);
      assertThat(small.storedAt()).isEqualTo(later);
      assertThat(large.storedAt()).isEqualTo(later);
      assertThat(store.stat(large.id())).contains(large);
    }
  }

  @Test
  void aPutRepairsALargeBlobDamagedInPlace() throws IOException {
    try (S3BlobStore store = server.store(bucket).clock(clock).partSize(5 * MIB).open()) {
      BlobInfo info = store.put(Content.of(6, 11 * MIB));
      String key = store.keyOf(info.id());
      byte[] damaged = Content.of(6, 11 * MIB).readAllBytes();
      damaged[7 * (int) MIB] ^= 1;
      server.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(damaged));
      assertThat(catchThrowable(() -> S3BlobStoreTest.sha256(store.open(info.id()))))
          .isInstanceOf(dev.opskit.store.CorruptBlobException.class);

      store.put(Content.of(6, 11 * MIB));

      assertThat(sha256(store.open(info.id()))).isEqualTo(info.id());
    }
  }

  @Test
  void aReaderThatStopsEarlyDoesNotDownloadTheRest() throws IOException {
    try (FlakyProxy proxy = FlakyProxy.inFrontOf(server.port());
         S3BlobStore store = S3BlobStore.builder(bucket).endpoint(proxy.endpoint()).pathStyle(true)
             .region("us-east-1").credentials(S3ProxyServer.credentials()).clock(clock).partSize(5 * MIB).open()) {
      BlobInfo info = store.put(Content.of(5, 40 * MIB));
      long before = proxy.downloaded();

      try (InputStream in = store.open(info.id())) {
        assertThat(in.readNBytes(100_000)).isEqualTo(Content.of(5, 40 * MIB).readNBytes(100_000));
      }

      assertThat(proxy.downloaded() - before).as("bytes received for a read of 100 kB").isLessThan(20 * MIB);
    }
  }

  @Test
  void aReadWhoseStoreIsClosedUnderItFailsInsteadOfHanging() throws Exception {
    S3BlobStore store = server.store(bucket).clock(clock).partSize(5 * MIB).open();
    BlobInfo info = store.put(Content.of(7, 12 * MIB));
    InputStream in = store.open(info.id());
    in.readNBytes((int) MIB);

    store.close();

    java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<Throwable> rest = reader.submit(() -> catchThrowable(in::readAllBytes));
      assertThat(rest.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    } finally {
      reader.shutdownNow();
      in.close();
    }
  }

  @Test
  void forEachListsOnlyBlobsUnderItsOwnPrefix() {
    try (S3BlobStore one = server.store(bucket).prefix("one").clock(clock).open();
         S3BlobStore two = server.store(bucket).prefix("two").clock(clock).open()) {
      BlobInfo a = one.put(new byte[] {1});
      BlobInfo b = two.put(new byte[] {2});
      server.client().putObject(r -> r.bucket(bucket).key("one/notes.txt"), RequestBody.fromString("not a blob"));
      server.client().putObject(r -> r.bucket(bucket).key("one/ab/not-hex"), RequestBody.fromString("not a blob"));

      List<BlobInfo> inOne = new ArrayList<>();
      one.forEach(inOne::add);

      assertThat(inOne).containsExactly(a);
      assertThat(two.stat(a.id())).isEmpty();
      assertThat(two.stat(b.id())).isPresent();
    }
  }

  @Test
  void aBlobWrittenByAnotherToolIsStampedWithItsLastModifiedTime() {
    try (S3BlobStore store = server.store(bucket).clock(clock).open()) {
      byte[] content = {9, 9, 9};
      String id = sha256(new java.io.ByteArrayInputStream(content));
      S3Client raw = server.client();
      raw.putObject(r -> r.bucket(bucket).key(store.keyOf(id)), RequestBody.fromBytes(content));

      Instant modified = raw.headObject(r -> r.bucket(bucket).key(store.keyOf(id))).lastModified();
      assertThat(store.stat(id)).contains(new BlobInfo(id, 3, modified));
      assertThat(store.read(id)).containsExactly(9, 9, 9);
    }
  }

  static String base64(String hexId) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hexId));
  }

  static String sha256(InputStream in) {
    try (in) {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
