package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import dev.opskit.store.StoreException;
import dev.opskit.time.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the local blob store does on disk, beyond the contract every blob store passes. */
class LocalBlobStoreTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final int KIB = 1024;

  @TempDir
  Path dir;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));

  private Path root() {
    return dir.resolve("blobs");
  }

  private BlobStore open() {
    return BlobStore.local(root(), clock);
  }

  // Reads with a manifest

  @Test
  void aManifestReadOfADamagedChunkNamesTheFileAndTheFirstByteNotHandedOut() throws IOException {
    try (BlobStore store = open()) {
      byte[] content = new byte[3 * BlobManifest.DEFAULT_CHUNK_SIZE + 10];
      new Random(5).nextBytes(content);
      BlobManifest manifest = store.putWithManifest(new ByteArrayInputStream(content));
      Path file = BlobFiles.pathOf(root(), manifest.id());
      BlobFiles.flipBit(file, BlobManifest.DEFAULT_CHUNK_SIZE + 5);

      Throwable thrown;
      byte[] first;
      try (InputStream in = store.open(manifest.id(), manifest)) {
        first = in.readNBytes(BlobManifest.DEFAULT_CHUNK_SIZE);
        thrown = catchThrowable(in::read);
      }

      assertThat(first).isEqualTo(java.util.Arrays.copyOf(content, BlobManifest.DEFAULT_CHUNK_SIZE));
      assertThat(thrown).isInstanceOf(CorruptBlobException.class)
          .hasMessageContaining("no byte from offset " + BlobManifest.DEFAULT_CHUNK_SIZE + " on was handed out");
      assertThat(((CorruptBlobException) thrown).location()).isEqualTo(file.toString());
    }
  }

  @Test
  void aRangeIsReadFromItsFirstChunkSoDamageBeforeItIsNotSeenEvenWhenItReachesTheEnd() throws IOException {
    try (BlobStore store = open()) {
      byte[] content = new byte[3 * BlobManifest.DEFAULT_CHUNK_SIZE + 10];
      new Random(6).nextBytes(content);
      BlobManifest manifest = store.putWithManifest(new ByteArrayInputStream(content));
      Path file = BlobFiles.pathOf(root(), manifest.id());
      BlobFiles.flipBit(file, 5);
      int offset = 2 * BlobManifest.DEFAULT_CHUNK_SIZE + 7;

      byte[] tail;
      try (InputStream in = store.openRange(manifest.id(), manifest, offset, content.length - offset)) {
        tail = in.readAllBytes();
      }
      Throwable fromTheStart = catchThrowable(() -> {
        try (InputStream in = store.openRange(manifest.id(), manifest.withoutChunkDigests(), offset, 10)) {
          in.readAllBytes();
        }
      });

      assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(content, offset, content.length));
      assertThat(fromTheStart).isInstanceOf(CorruptBlobException.class)
          .hasMessageContaining("(chunk 0 of 4)").hasMessageContaining(file.toString());
    }
  }

  @Test
  void aSymbolicLinkInPlaceOfABlobIsReportedAsCorruptByAManifestRead() throws IOException {
    try (BlobStore store = open()) {
      byte[] content = "the real content".getBytes(StandardCharsets.UTF_8);
      BlobManifest manifest = store.putWithManifest(new ByteArrayInputStream(content));
      Path file = BlobFiles.pathOf(root(), manifest.id());
      Path copy = dir.resolve("copy");
      Files.move(file, copy);
      Files.createSymbolicLink(file, copy);

      assertThatThrownBy(() -> store.open(manifest.id(), manifest)).isInstanceOf(CorruptBlobException.class)
          .hasMessageContaining("symbolic link");
      assertThatThrownBy(() -> store.openRange(manifest.id(), manifest, 2, 3))
          .isInstanceOf(CorruptBlobException.class).hasMessageContaining("symbolic link");
    }
  }

  // Layout

  @Test
  void blobsLiveInShardFoldersNamedByTheirFirstTwoHexCharacters() throws IOException {
    try (BlobStore store = open()) {
      BlobInfo info = store.put("abc".getBytes(StandardCharsets.US_ASCII));

      assertThat(info.id()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      assertThat(BlobFiles.filesUnder(root()))
          .containsExactly("ba/7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      assertThat(Files.readAllBytes(BlobFiles.pathOf(root(), info.id())))
          .isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    }
  }

  @Test
  void blobsSpanningSeveralBackgroundWriteBacksArriveWhole() throws Exception {
    long size = 100L * KIB * KIB + 12_345; // three 32 MiB write-backs, and a tail
    try (BlobStore store = open()) {
      MessageDigest expected = MessageDigest.getInstance("SHA-256");
      BlobInfo put = store.put(new java.security.DigestInputStream(generated(size, 7), expected));
      String expectedId = HexFormat.of().formatHex(expected.digest());
      assertThat(put.id()).isEqualTo(expectedId);
      assertThat(put.size()).isEqualTo(size);
      assertThat(Files.size(BlobFiles.pathOf(root(), put.id()))).isEqualTo(size);
      MessageDigest read = MessageDigest.getInstance("SHA-256");
      try (InputStream in = store.open(put.id())) {
        byte[] buffer = new byte[64 * KIB];
        for (int n; (n = in.read(buffer)) > 0; ) {
          read.update(buffer, 0, n);
        }
      }
      assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(expectedId);

      BlobInfo written = store.write(out -> generated(size, 8).transferTo(out));
      assertThat(written.id()).isNotEqualTo(put.id()).isEqualTo(sha256(generated(size, 8)));
      assertThat(written.size()).isEqualTo(size);
    }
  }

  /** A deterministic stream of pseudo-random bytes, generated as it is read. */
  private static InputStream generated(long size, long seed) {
    return new InputStream() {
      private final Random random = new Random(seed);
      private long left = size;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, Math.min(left, 8 * KIB));
        byte[] next = new byte[n];
        random.nextBytes(next);
        System.arraycopy(next, 0, b, off, n);
        left -= n;
        return n;
      }
    };
  }

  private static String sha256(InputStream in) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[64 * KIB];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Test
  void openCreatesMissingDirectories() {
    Path deep = dir.resolve("a/b/c");

    try (BlobStore store = BlobStore.local(deep, clock)) {
      store.put(new byte[] {1});
    }

    assertThat(deep).isDirectory();
  }

  @Test
  void describeNamesTheDirectory() {
    try (BlobStore store = open()) {
      assertThat(store.describe()).isEqualTo("local blobs in " + root().toAbsolutePath());
    }
  }

  @Test
  void storedAtIsTheFilesLastModifiedTimeWhichEveryPutSetsFromTheClock() throws IOException {
    try (BlobStore store = open()) {
      BlobInfo first = store.put(content(1, 1000));
      Path file = BlobFiles.pathOf(root(), first.id());
      assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(clock.instant());

      Instant later = clock.advance(Duration.ofDays(2));
      BlobInfo again = store.put(content(1, 1000));

      assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(later);
      assertThat(again.storedAt()).isEqualTo(later);
      Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
      assertThat(store.stat(first.id())).map(BlobInfo::storedAt).contains(Instant.parse("2020-01-01T00:00:00Z"));
    }
  }

  @Test
  void puttingSmallContentAgainKeepsTheStoredFileAndAnyLargerContentReplacesIt() throws IOException {
    try (BlobStore store = open()) {
      BlobInfo small = store.put(content(7, 1000));
      BlobInfo large = store.put(content(8, 2 * KIB * KIB));
      Path smallFile = BlobFiles.pathOf(root(), small.id());
      Path largeFile = BlobFiles.pathOf(root(), large.id());
      Object smallKey = Files.readAttributes(smallFile, BasicFileAttributes.class).fileKey();
      Object largeKey = Files.readAttributes(largeFile, BasicFileAttributes.class).fileKey();
      Assumptions.assumeTrue(smallKey != null, "this file system gives files no identity to compare");

      Instant later = clock.advance(Duration.ofHours(1));
      assertThat(store.put(content(7, 1000))).isEqualTo(new BlobInfo(small.id(), 1000, later));
      assertThat(store.put(content(8, 2 * KIB * KIB))).isEqualTo(new BlobInfo(large.id(), 2 * KIB * KIB, later));

      // The small blob was checked in place, not written again; the large one was replaced by the new copy.
      assertThat(Files.readAttributes(smallFile, BasicFileAttributes.class).fileKey()).isEqualTo(smallKey);
      assertThat(Files.readAttributes(largeFile, BasicFileAttributes.class).fileKey()).isNotEqualTo(largeKey);
      assertThat(BlobFiles.filesUnder(root())).hasSize(2);
    }
  }

  @Test
  void blobsSurviveReopening() {
    BlobInfo info;
    try (BlobStore store = open()) {
      info = store.put(content(2, 300 * KIB));
    }

    try (BlobStore reopened = open()) {
      List<BlobInfo> listed = new ArrayList<>();
      reopened.forEach(listed::add);
      assertThat(listed).containsExactly(info);
      assertThat(reopened.read(info.id())).isEqualTo(content(2, 300 * KIB));
    }
  }

  // Temporary files

  @Test
  void temporaryFilesACrashLeftBehindAreDeletedOnOpen() throws IOException {
    BlobInfo info;
    try (BlobStore store = open()) {
      info = store.put(content(3, 1000));
    }
    Files.write(root().resolve(".tmp-4242-17"), content(4, 5000));
    Files.write(root().resolve(".tmp-4242-18"), new byte[0]);
    Files.write(root().resolve("notes.txt"), "not ours".getBytes(StandardCharsets.UTF_8));

    try (BlobStore store = open()) {
      assertThat(BlobFiles.filesUnder(root())).containsExactlyInAnyOrder("notes.txt",
          info.id().substring(0, 2) + "/" + info.id().substring(2));
      assertThat(store.read(info.id())).isEqualTo(content(3, 1000));
    }
  }

  @Test
  void openingTheStoreAgainSparesTheTemporaryFileOfAPutInProgress() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (BlobStore writer = open()) {
      CountDownLatch reading = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      InputStream paused = new SequenceInputStream(new ByteArrayInputStream(content(5, 1000)), new InputStream() {
        @Override
        public int read() throws IOException {
          reading.countDown();
          try {
            if (!release.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
              throw new IOException("not released within " + BOUND);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
          return -1;
        }
      });
      Future<BlobInfo> put = pool.submit(() -> writer.put(paused));
      assertThat(reading.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("put started").isTrue();
      List<String> temps = temporaryFiles();
      assertThat(temps).hasSize(1);

      open().close();

      assertThat(temporaryFiles()).isEqualTo(temps);
      release.countDown();
      BlobInfo info = put.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      assertThat(writer.read(info.id())).isEqualTo(content(5, 1000));
      assertThat(temporaryFiles()).isEmpty();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void forEachIgnoresTemporaryAndForeignFiles() throws IOException {
    try (BlobStore store = open()) {
      BlobInfo info = store.put(content(6, 100));
      Files.write(root().resolve(".tmp-1-1"), new byte[10]);
      Files.write(root().resolve("README"), new byte[10]);
      Files.createDirectories(root().resolve("zz"));
      Files.write(root().resolve("zz").resolve("0".repeat(62)), new byte[10]);
      Files.write(root().resolve(info.id().substring(0, 2)).resolve(".tmp-1-2"), new byte[10]);
      Files.write(root().resolve(info.id().substring(0, 2)).resolve("short"), new byte[10]);

      List<BlobInfo> listed = new ArrayList<>();
      store.forEach(listed::add);

      assertThat(listed).containsExactly(info);
    }
  }

  @Test
  void aPutWhoseStreamFailsLeavesNoFileBehind() {
    try (BlobStore store = open()) {
      InputStream failing = new SequenceInputStream(new ByteArrayInputStream(content(7, 400 * KIB)),
          new InputStream() {
            @Override
            public int read() throws IOException {
              throw new IOException("cable cut");
            }
          });

      assertThatThrownBy(() -> store.put(failing)).isInstanceOf(StoreException.class)
          .hasMessageContaining(root().toString()).hasRootCauseMessage("cable cut");

      assertThat(files()).isEmpty();
    }
  }

  @Test
  void aPutWhoseStreamThrowsAnUncheckedExceptionLeavesNoFileBehind() {
    try (BlobStore store = open()) {
      IllegalStateException bug = new IllegalStateException("bug in the producer");
      InputStream failing = new SequenceInputStream(new ByteArrayInputStream(content(7, 400 * KIB)),
          new InputStream() {
            @Override
            public int read() {
              throw bug;
            }
          });

      assertThatThrownBy(() -> store.put(failing)).isSameAs(bug);

      assertThat(files()).isEmpty();
    }
  }

  // Corruption

  @ParameterizedTest(name = "bit 0 of byte {0} of {1}")
  @CsvSource({"0, 1", "0, 300000", "150000, 300000", "299999, 300000", "131072, 262145", "262144, 262145"})
  void flippingOneBitAnywhereIsDetectedAndTheFileIsLeftAsItIs(long index, int size) throws IOException {
    try (BlobStore store = open()) {
      BlobInfo info = store.put(content(8, size));
      Path file = BlobFiles.pathOf(root(), info.id());
      BlobFiles.flipBit(file, index);
      byte[] damaged = Files.readAllBytes(file);
      FileTime modified = Files.getLastModifiedTime(file);

      Throwable thrown = catchThrowable(() -> store.read(info.id()));

      assertThat(thrown).isInstanceOf(CorruptBlobException.class).hasMessageContaining(info.id())
          .hasMessageContaining(file.toString());
      assertThat(((CorruptBlobException) thrown).id()).isEqualTo(info.id());
      assertThat(((CorruptBlobException) thrown).location()).isEqualTo(file.toString());
      assertThat(Files.readAllBytes(file)).as("file after the read").isEqualTo(damaged);
      assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
      assertThat(BlobFiles.filesUnder(root())).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1, 2, 1000, 65536, 131071, 131072, 131073, 262144, 262145, 1048576})
  void aConsumerThatReadsACorruptBlobToTheEndNeverGetsItWhole(int size) throws IOException {
    try (BlobStore store = open()) {
      BlobInfo info = store.put(content(9, size));
      Path file = BlobFiles.pathOf(root(), info.id());
      BlobFiles.flipBit(file, size - 1);

      List<Reader> readers = List.of(InputStream::readAllBytes, in -> drain(in, 1), in -> drain(in, 8192),
          in -> drain(in, 2 * size + 1), in -> byteByByte(in), in -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
          });
      for (int r = 0; r < readers.size(); r++) {
        Reader reader = readers.get(r);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Throwable thrown;
        try (InputStream in = store.open(info.id())) {
          thrown = catchThrowable(() -> reader.read(new Recording(in, got)));
        }
        assertThat(thrown).as("reader %s", r).isInstanceOf(CorruptBlobException.class);
        assertThat(got.size()).as("bytes reader %s got", r).isLessThan(size);
      }
    }
  }

  // Concurrency

  @Test
  void sixteenThreadsLeaveExactlyOneFilePerContentAndNoTemporaryFiles() throws Exception {
    int threads = 16;
    Set<String> expected = new HashSet<>();
    expected.add(sha256(content(100, 200 * KIB + 1)));
    for (int t = 0; t < threads; t++) {
      expected.add(sha256(content(t, 50 * KIB + t)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (BlobStore store = open()) {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          ready.countDown();
          if (!go.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("not started within " + BOUND);
          }
          for (int round = 0; round < 4; round++) {
            store.put(content(100, 200 * KIB + 1));
            store.put(content(thread, 50 * KIB + thread));
          }
          return null;
        }));
      }
      assertThat(ready.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<?> result : results) {
        result.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    List<String> files = files();
    assertThat(files).hasSize(expected.size());
    for (String file : files) {
      String id = file.replace("/", "");
      assertThat(expected).contains(id);
      assertThat(sha256(Files.readAllBytes(root().resolve(file)))).isEqualTo(id);
    }
  }

  // Directories that cannot be used

  @Test
  void aDirectoryUnderARegularFileCannotBeCreatedAndTheErrorNamesIt() throws IOException {
    Path file = Files.write(dir.resolve("plain"), new byte[] {1});
    Path under = file.resolve("blobs");

    assertThatThrownBy(() -> BlobStore.local(under, clock)).isInstanceOf(StoreException.class)
        .hasMessageContaining(under.toString());
  }

  @Test
  void aRegularFileIsNotADirectoryAndTheErrorNamesIt() throws IOException {
    Path file = Files.write(dir.resolve("plain"), new byte[] {1});

    assertThatThrownBy(() -> BlobStore.local(file, clock)).isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("not a directory");
  }

  /**
   * Tests run as root, whom permission bits do not stop, so an unwritable directory is made with the immutable
   * attribute. Where {@code chattr} is missing or the file system has no such attribute, the test is skipped; the
   * regular-file tests above still cover the failure to create one.
   */
  @Test
  void anImmutableDirectoryIsReportedAsNotWritable() throws IOException {
    Files.createDirectories(root());
    assumeImmutable(root());
    try {
      assertThatThrownBy(this::open).isInstanceOf(StoreException.class).hasMessageContaining(root().toString())
          .hasMessageContaining("not writable");
    } finally {
      chattr("-i", root());
    }
  }

  @Test
  void aPutIntoADirectoryThatBecameImmutableFailsNamingItAndLeavesNothing() throws IOException {
    try (BlobStore store = open()) {
      assumeImmutable(root());
      try {
        assertThatThrownBy(() -> store.put(content(10, 1000))).isInstanceOf(StoreException.class)
            .hasMessageContaining(root().toString());
      } finally {
        chattr("-i", root());
      }
      assertThat(files()).isEmpty();
    }
  }

  // Helpers

  private static void assumeImmutable(Path path) {
    Assumptions.assumeTrue(chattr("+i", path),
        "chattr +i does not work here (no chattr, not root, or a file system without the attribute)");
  }

  private static boolean chattr(String flag, Path path) {
    try {
      Process process = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private List<String> files() {
    try {
      return BlobFiles.filesUnder(root());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<String> temporaryFiles() throws IOException {
    List<String> temps = new ArrayList<>();
    for (String file : BlobFiles.filesUnder(root())) {
      if (file.startsWith(".tmp-")) {
        temps.add(file);
      }
    }
    return temps;
  }

  private static byte[] content(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] drain(InputStream in, int size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[size];
    for (int n; (n = in.read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static byte[] byteByByte(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != -1; ) {
      out.write(b);
    }
    return out.toByteArray();
  }

  /** A way to read a stream to its end. */
  @FunctionalInterface
  private interface Reader {
    byte[] read(InputStream in) throws IOException;
  }

  /** Copies every byte handed to the reader, so the test sees what it got even when the read throws. */
  private static final class Recording extends InputStream {
    private final InputStream in;
    private final OutputStream copy;

    Recording(InputStream in, OutputStream copy) {
      this.in = in;
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }
  }
}
