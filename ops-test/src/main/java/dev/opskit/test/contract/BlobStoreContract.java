package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobNotFoundException;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import dev.opskit.store.StoreException;
import dev.opskit.time.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The behaviour every {@link BlobStore} must have. Extend this class in a test, create the store under test in
 * {@link #createStore()}, stamping blobs with {@link #clock()}, and the whole contract runs against it:
 *
 * <pre>{@code
 * class S3BlobStoreTest extends BlobStoreContract {
 *   @Override
 *   protected BlobStore createStore() {
 *     return new S3BlobStore(bucket, clock());
 *   }
 *
 *   @Override
 *   protected Optional<String> corrupt(BlobStore store, String id) {
 *     String key = "blobs/" + id;
 *     bucket.overwrite(key, flipOneBit(bucket.read(key)));
 *     return Optional.of("s3://bucket/" + key);
 *   }
 * }
 * }</pre>
 *
 * <p>The suite checks content addressing against an independent SHA-256, round trips from empty to several MiB,
 * streams that arrive in odd-sized pieces or fail midway, sixteen threads putting at once, {@code stat},
 * {@code delete} and {@code forEach}, and, if the store can be damaged through {@link #corrupt(BlobStore, String)},
 * that reads detect corruption before handing out a whole corrupt blob. Reads with a {@link BlobManifest} are checked
 * against a manifest the suite computes independently; if the store can be damaged at a given byte through
 * {@link #corrupt(BlobStore, String, long)}, the suite checks that such a read hands out no byte of a damaged chunk,
 * nor any after it. Content is generated, so heap use stays a few
 * MiB. Nothing sleeps; concurrent tests wait on latches with a bound.
 *
 * <p>Each test gets a fresh store from {@link #createStore()} and a fresh clock, and closes the store afterwards.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public abstract class BlobStoreContract {
  /** The SHA-256 of no bytes. */
  private static final String EMPTY_ID = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  /** The SHA-256 of {@code "abc"}, from FIPS 180-2, appendix B.1. */
  private static final String ABC_ID = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  private @Nullable BlobStore store;

  /** Creates the suite; subclasses are created by JUnit. */
  protected BlobStoreContract() {}

  /**
   * Creates the store under test, empty. It must stamp blobs with {@link #clock()}. It is called once per test, and
   * the suite closes the store after the test.
   *
   * @return a new, empty store
   * @since 0.1.0
   */
  protected abstract BlobStore createStore();

  /**
   * Damages a stored blob in place, so that its bytes no longer match its id, the way a failing disk or a stray edit
   * would. The suite calls it only for blobs of at least one byte. Stores that cannot be damaged from outside keep
   * the default, which returns empty; the tests that need damage are then skipped.
   *
   * @param store the store under test, as {@link #createStore()} made it
   * @param id the id of a blob in it
   * @return where the damaged copy lives, exactly as the store names it in {@link CorruptBlobException#location()},
   *     or empty if this store cannot be damaged
   * @throws IOException if damaging it failed
   * @since 0.1.0
   */
  protected Optional<String> corrupt(BlobStore store, String id) throws IOException {
    return Optional.empty();
  }

  /**
   * Damages one byte of a stored blob in place, as {@link #corrupt(BlobStore, String)} damages its last one, so that
   * the suite can check that a read {@linkplain BlobStore#open(String, BlobManifest) with the blob's manifest} hands
   * out no byte of the damaged chunk, nor any after it. Stores that cannot be damaged from outside keep the default,
   * which returns empty; the tests that need it are then skipped.
   *
   * @param store the store under test
   * @param id the id of a blob in it
   * @param offset the byte to damage, less than the blob's size
   * @return where the damaged copy lives, for messages, or empty if this store cannot be damaged
   * @throws IOException if damaging it failed
   * @since 0.1.0
   */
  protected Optional<String> corrupt(BlobStore store, String id, long offset) throws IOException {
    return Optional.empty();
  }

  /**
   * Returns the clock the store under test must stamp blobs with. It starts at 2026-03-01T00:00:00Z and moves only
   * when a test advances it, by whole seconds.
   *
   * @return the clock
   * @since 0.1.0
   */
  protected final ManualClock clock() {
    return clock;
  }

  /**
   * Returns the store of the running test.
   *
   * @return the store {@link #createStore()} made for this test
   * @throws IllegalStateException outside a test
   * @since 0.1.0
   */
  protected final BlobStore store() {
    BlobStore s = store;
    if (s == null) {
      throw new IllegalStateException("no store: store() is only available while a test runs");
    }
    return s;
  }

  @BeforeEach
  void createStoreForTest() {
    store = Objects.requireNonNull(createStore(), "createStore() returned null");
  }

  @AfterEach
  void closeStoreAfterTest() {
    BlobStore s = store;
    store = null;
    if (s != null) {
      s.close();
    }
  }

  // Content addressing and round trips

  @Test
  void emptyContentRoundTripsUnderTheHashOfNoBytes() {
    BlobInfo info = store().put(new byte[0]);

    assertThat(info.id()).isEqualTo(EMPTY_ID);
    assertThat(info.size()).isZero();
    assertThat(store().read(EMPTY_ID)).isEmpty();
    assertThat(store().stat(EMPTY_ID)).map(BlobInfo::size).contains(0L);
  }

  @Test
  void smallContentRoundTripsUnderItsSha256() {
    BlobInfo info = store().put("abc".getBytes(StandardCharsets.US_ASCII));

    assertThat(info.id()).isEqualTo(ABC_ID);
    assertThat(info.size()).isEqualTo(3);
    assertThat(store().read(ABC_ID)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void multiMebibyteContentRoundTripsThroughStreams() throws IOException {
    long size = 6L * MIB + 7;

    BlobInfo info = store().put(generated(42, size));

    assertThat(info.id()).isEqualTo(sha256(generated(42, size)));
    assertThat(info.size()).isEqualTo(size);
    try (InputStream in = store().open(info.id())) {
      assertSameContent(in, generated(42, size));
    }
  }

  @TestFactory
  Stream<DynamicTest> idIsTheSha256OfTheContentAtSizesAroundBufferBoundaries() {
    return IntStream.of(0, 1, 2, 63, 64, 65, 4095, 4096, 4097, 8192, 65535, 65536, 65537, 131071, 131072, 131073,
            262143, 262144, 262145, 393216, MIB + 1)
        .mapToObj(size -> DynamicTest.dynamicTest(size + " bytes", () -> {
          BlobInfo info = store().put(generated(size, size));

          assertThat(info.id()).isEqualTo(sha256(generated(size, size)));
          assertThat(info.size()).isEqualTo(size);
          try (InputStream in = store().open(info.id())) {
            assertSameContent(in, generated(size, size));
          }
        }));
  }

  @Test
  void putReadsAStreamThatDeliversOddSizedPieces() throws IOException {
    long size = 700L * KIB + 3;

    BlobInfo info = store().put(new OddPieces(generated(7, size), 1, 7, 4093, 13, 65537, 3, 131071, 200_000));

    assertThat(info.id()).isEqualTo(sha256(generated(7, size)));
    assertThat(info.size()).isEqualTo(size);
    try (InputStream in = store().open(info.id())) {
      assertSameContent(in, generated(7, size));
    }
  }

  @Test
  void putReadsTheStreamToItsEndButDoesNotCloseIt() throws IOException {
    CloseTracking content = new CloseTracking(generated(3, 1000));

    store().put(content);

    assertThat(content.read()).as("bytes left in the stream").isEqualTo(-1);
    assertThat(content.closed).as("stream closed by put").isFalse();
  }

  @Test
  void sameContentGetsTheSameIdAndIsStoredOnce() {
    BlobInfo first = store().put(generated(11, 300 * KIB));
    BlobInfo second = store().put(new OddPieces(generated(11, 300 * KIB), 5000, 17));
    BlobInfo other = store().put(generated(12, 300 * KIB));

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(other.id()).isNotEqualTo(first.id());
    assertThat(list()).extracting(BlobInfo::id).containsExactlyInAnyOrder(first.id(), other.id());
  }

  @Test
  void putStampsBlobsWithTheClock() {
    BlobInfo info = store().put(generated(1, 10));

    assertThat(info.storedAt()).isEqualTo(clock.instant());
    assertThat(store().stat(info.id())).contains(info);
  }

  @Test
  void puttingContentAgainRefreshesItsStoredAt() {
    Instant first = clock.instant();
    BlobInfo before = store().put(generated(1, 10));
    Instant later = clock.advance(Duration.ofHours(3));

    BlobInfo again = store().put(generated(1, 10));

    assertThat(before.storedAt()).isEqualTo(first);
    assertThat(again).isEqualTo(new BlobInfo(before.id(), 10, later));
    assertThat(store().stat(before.id())).contains(again);
    assertThat(list()).containsExactly(again);
  }

  // Reads

  @Test
  void openOfAMissingBlobThrowsBlobNotFoundNamingTheId() {
    String id = sha256(generated(5, 5));

    assertThatThrownBy(() -> store().open(id)).isInstanceOf(BlobNotFoundException.class).hasMessageContaining(id);
    assertThatThrownBy(() -> store().read(id)).isInstanceOf(BlobNotFoundException.class).hasMessageContaining(id);
  }

  @Test
  void malformedIdsAreRejectedByEveryOperation() {
    String valid = sha256(generated(5, 5));
    store().put(generated(5, 5));
    List<String> malformed = List.of("", "abc", valid.substring(1), valid + "0", valid.toUpperCase(),
        valid.substring(1) + "g", "../" + valid.substring(3), valid.substring(0, 2) + "/" + valid.substring(3),
        " " + valid.substring(1), valid.substring(0, 63) + "\n");

    for (String id : malformed) {
      assertThatThrownBy(() -> store().open(id)).as("open(%s)", id).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store().stat(id)).as("stat(%s)", id).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store().delete(id)).as("delete(%s)", id).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store().read(valid)).isEqualTo(readAll(generated(5, 5)));
  }

  @Test
  void streamsOfTheSameBlobAreIndependent() throws IOException {
    BlobInfo info = store().put(generated(9, 300 * KIB));

    try (InputStream a = store().open(info.id()); InputStream b = store().open(info.id())) {
      byte[] firstOfA = a.readNBytes(100 * KIB);
      byte[] allOfB = b.readAllBytes();
      byte[] restOfA = a.readAllBytes();

      byte[] expected = readAll(generated(9, 300 * KIB));
      assertThat(allOfB).isEqualTo(expected);
      assertThat(concat(firstOfA, restOfA)).isEqualTo(expected);
    }
  }

  // Failures while putting

  @Test
  void aStreamThatFailsMidwayLeavesNothingBehind() {
    IOException failure = new IOException("the network went away");

    Throwable thrown = catchThrowable(() -> store().put(new FailingAfter(generated(2, MIB), 300 * KIB + 1, failure)));

    assertThat(thrown).isInstanceOf(StoreException.class);
    assertThat(causes(thrown)).as("cause chain").contains(failure);
    assertThat(list()).isEmpty();
    assertThat(store().stat(sha256(generated(2, 300 * KIB + 1)))).isEmpty();
  }

  @Test
  void aStreamThatFailsAtOnceLeavesNothingBehindAndTheStoreStaysUsable() {
    IOException failure = new IOException("refused");

    Throwable thrown = catchThrowable(() -> store().put(new FailingAfter(generated(2, 10), 0, failure)));
    BlobInfo next = store().put(generated(2, 10));

    assertThat(thrown).isInstanceOf(StoreException.class);
    assertThat(causes(thrown)).as("cause chain").contains(failure);
    assertThat(list()).containsExactly(next);
    assertThat(store().read(next.id())).isEqualTo(readAll(generated(2, 10)));
  }

  // Concurrency

  @Test
  void sixteenThreadsPuttingTheSameAndDifferentContentAllSucceed() throws Exception {
    int threads = 16;
    int rounds = 3;
    long sharedSize = 300L * KIB + 3;
    String sharedId = sha256(generated(1000, sharedSize));
    Map<String, Long> expected = new HashMap<>();
    expected.put(sharedId, sharedSize);
    for (int t = 0; t < threads; t++) {
      expected.put(sha256(generated(t, ownSize(t))), ownSize(t));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<BlobInfo>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          ready.countDown();
          if (!go.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("not started within " + BOUND);
          }
          List<BlobInfo> infos = new ArrayList<>();
          for (int r = 0; r < rounds; r++) {
            infos.add(store().put(generated(1000, sharedSize)));
            infos.add(store().put(generated(thread, ownSize(thread))));
          }
          return infos;
        }));
      }
      assertThat(ready.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("all threads ready").isTrue();
      go.countDown();

      for (Future<List<BlobInfo>> result : results) {
        for (BlobInfo info : result.get(BOUND.toSeconds(), TimeUnit.SECONDS)) {
          assertThat(expected).containsEntry(info.id(), info.size());
        }
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).as("pool stopped").isTrue();
    }

    List<BlobInfo> listed = list();
    assertThat(listed).hasSize(expected.size());
    for (BlobInfo info : listed) {
      assertThat(expected).containsEntry(info.id(), info.size());
      try (InputStream in = store().open(info.id())) {
        assertThat(sha256(in)).isEqualTo(info.id());
      }
    }
  }

  // stat, delete, forEach, describe, close

  @Test
  void statDescribesABlobAndIsEmptyForAMissingOne() {
    BlobInfo info = store().put(generated(4, 12_345));

    assertThat(store().stat(info.id())).contains(new BlobInfo(info.id(), 12_345, clock.instant()));
    assertThat(store().stat(sha256(generated(4, 12_346)))).isEmpty();
  }

  @Test
  void deleteRemovesABlobAndTellsWhetherItExisted() {
    BlobInfo gone = store().put(generated(6, 1000));
    BlobInfo kept = store().put(generated(7, 1000));

    assertThat(store().delete(gone.id())).isTrue();

    assertThat(store().delete(gone.id())).isFalse();
    assertThat(store().stat(gone.id())).isEmpty();
    assertThatThrownBy(() -> store().open(gone.id())).isInstanceOf(BlobNotFoundException.class);
    assertThat(list()).containsExactly(kept);
    assertThat(store().read(kept.id())).isEqualTo(readAll(generated(7, 1000)));
  }

  @Test
  void aDeletedBlobCanBePutAgain() {
    BlobInfo info = store().put(generated(6, 1000));
    store().delete(info.id());
    Instant later = clock.advance(Duration.ofMinutes(1));

    BlobInfo again = store().put(generated(6, 1000));

    assertThat(again).isEqualTo(new BlobInfo(info.id(), 1000, later));
    assertThat(store().read(info.id())).isEqualTo(readAll(generated(6, 1000)));
  }

  @Test
  void forEachListsEveryBlobOnceWithItsSizeAndStamp() {
    assertThat(list()).isEmpty();
    List<BlobInfo> put = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      put.add(store().put(generated(100 + i, i * 1000L)));
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(list()).containsExactlyInAnyOrderElementsOf(put);
  }

  @Test
  void describeSaysWhatTheStoreIs() {
    assertThat(store().describe()).isNotBlank();
  }

  @Test
  void closeIsIdempotent() {
    store().close();
    store().close();
  }

  // Corruption; needs corrupt(...)

  @Test
  void readingACorruptBlobThrowsCorruptBlobExceptionNamingTheIdAndLocation() throws IOException {
    BlobInfo info = store().put(generated(8, 300 * KIB));
    String location = corruptOrSkip(info.id());

    Throwable thrown = catchThrowable(() -> store().read(info.id()));

    assertThat(thrown).isInstanceOf(CorruptBlobException.class).hasMessageContaining(info.id())
        .hasMessageContaining(location);
    CorruptBlobException corrupt = (CorruptBlobException) thrown;
    assertThat(corrupt.id()).isEqualTo(info.id());
    assertThat(corrupt.location()).isEqualTo(location);
  }

  @Test
  void aReaderOfACorruptBlobNeverReceivesEveryByte() throws IOException {
    for (long size : new long[] {1, 10, 4096, 128 * KIB, 256 * KIB, 256 * KIB + 1, MIB + 17}) {
      BlobInfo info = store().put(generated(size, size));
      corruptOrSkip(info.id());

      for (int readSize : new int[] {1, 1000, 8192, 64 * KIB, MIB}) {
        long delivered = 0;
        Throwable thrown = null;
        try (InputStream in = store().open(info.id())) {
          byte[] buffer = new byte[readSize];
          for (int n; (n = in.read(buffer)) != -1; ) {
            delivered += n;
          }
        } catch (RuntimeException | IOException e) {
          thrown = e;
        }
        assertThat(thrown).as("reading %s bytes in reads of %s", size, readSize)
            .isInstanceOf(CorruptBlobException.class);
        assertThat(delivered).as("bytes delivered of %s in reads of %s", size, readSize).isLessThan(size);
      }
    }
  }

  @Test
  void readingACorruptBlobNeitherRemovesNorRepairsIt() throws IOException {
    BlobInfo info = store().put(generated(8, 5000));
    corruptOrSkip(info.id());

    assertThatThrownBy(() -> store().read(info.id())).isInstanceOf(CorruptBlobException.class);

    assertThat(store().stat(info.id())).isPresent();
    assertThat(list()).extracting(BlobInfo::id).containsExactly(info.id());
    assertThatThrownBy(() -> store().read(info.id())).as("second read").isInstanceOf(CorruptBlobException.class);
  }

  @Test
  void puttingTheOriginalContentAgainRepairsACorruptBlob() throws IOException {
    BlobInfo info = store().put(generated(8, 200 * KIB));
    corruptOrSkip(info.id());
    assertThatThrownBy(() -> store().read(info.id())).isInstanceOf(CorruptBlobException.class);

    BlobInfo again = store().put(generated(8, 200 * KIB));

    assertThat(again.id()).isEqualTo(info.id());
    try (InputStream in = store().open(info.id())) {
      assertSameContent(in, generated(8, 200 * KIB));
    }
  }

  // Manifests: reads checked chunk by chunk

  @TestFactory
  Stream<DynamicTest> putWithManifestComputesTheIdAndTheHashAtEveryChunkBoundary() {
    int chunk = BlobManifest.DEFAULT_CHUNK_SIZE;
    return LongStream.of(0, 1, chunk - 1, chunk, chunk + 1, 2L * chunk, 3L * chunk + 17)
        .mapToObj(size -> DynamicTest.dynamicTest(size + " bytes", () -> {
          BlobManifest put = store().putWithManifest(generated(size, size));
          BlobManifest written = store().writeWithManifest(out -> generated(size, size).transferTo(out));

          // A store may cut content into chunks of its own size; the checkpoints must be those of that size.
          BlobManifest expected = independentManifest(generated(size, size), put.chunkSize());
          assertThat(put).as("manifest of putWithManifest").isEqualTo(expected);
          assertThat(written).as("manifest of writeWithManifest").isEqualTo(expected);
          assertThat(store().stat(expected.id())).map(BlobInfo::size).contains(size);
          try (InputStream in = store().open(expected.id(), put)) {
            assertSameContent(in, generated(size, size));
          }
        }));
  }

  @Test
  void openWithAManifestHonoursItsChunkSize() throws IOException {
    long size = 100L * KIB + 5;
    BlobInfo info = store().put(generated(31, size));
    BlobManifest small = independentManifest(generated(31, size), 4 * KIB);

    try (InputStream in = store().open(info.id(), small)) {
      assertSameContent(in, generated(31, size));
    }
  }

  @Test
  void openWithTheManifestOfAnotherBlobIsRefused() {
    BlobManifest one = store().putWithManifest(generated(32, 1000));
    BlobManifest other = store().putWithManifest(generated(33, 1000));

    assertThatThrownBy(() -> store().open(one.id(), other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(one.id()).hasMessageContaining(other.id());
  }

  @Test
  void openWithAManifestOfAMissingBlobThrowsBlobNotFound() {
    BlobManifest gone = store().putWithManifest(generated(34, 1000));
    store().delete(gone.id());

    assertThatThrownBy(() -> store().open(gone.id(), gone)).isInstanceOf(BlobNotFoundException.class)
        .hasMessageContaining(gone.id());
  }

  @Test
  void aManifestReadFindsAManifestThatDoesNotMatchTheContentBeforeHandingOutAByte() throws IOException {
    long size = 40L * KIB;
    BlobInfo info = store().put(generated(35, size));
    BlobManifest good = independentManifest(generated(35, size), 4 * KIB);
    List<String> lying = new ArrayList<>(good.checkpoints());
    lying.set(0, sha256(generated(36, 4 * KIB)));
    BlobManifest forged = new BlobManifest(info.id(), size, 4 * KIB, lying);

    Delivery delivery = readAll(() -> store().open(info.id(), forged), 1000);

    assertThat(delivery.failure()).isInstanceOf(CorruptBlobException.class);
    assertThat(delivery.bytes()).as("bytes handed out before the first chunk was checked").isEmpty();
  }

  @Test
  void aManifestReadHandsOutNoByteOfADamagedChunkNorAnyAfterIt() throws IOException {
    int chunk = 64 * KIB;
    long size = 5L * chunk + 123;
    for (long offset : new long[] {0, chunk - 1, chunk, 2L * chunk + 777, 5L * chunk, size - 1}) {
      BlobInfo info = store().put(generated(37, size));
      BlobManifest manifest = independentManifest(generated(37, size), chunk);
      corruptAtOrSkip(info.id(), offset);
      byte[] original = readAll(generated(37, size));
      long damagedChunkStart = offset / chunk * chunk;

      for (int readSize : new int[] {1, 1000, chunk, MIB}) {
        Delivery delivery = readAll(() -> store().open(info.id(), manifest), readSize);

        assertThat(delivery.failure()).as("damage at %s, reads of %s", offset, readSize)
            .isInstanceOf(CorruptBlobException.class).hasMessageContaining(info.id());
        assertThat(delivery.bytes().length).as("bytes handed out, damage at %s, reads of %s", offset, readSize)
            .isLessThanOrEqualTo((int) damagedChunkStart);
        assertThat(delivery.bytes()).as("bytes handed out are the original's")
            .isEqualTo(Arrays.copyOf(original, delivery.bytes().length));
      }
      // Put the original back for the next offset.
      store().put(generated(37, size));
    }
  }

  @Test
  void aManifestReadOfADamagedOneChunkBlobHandsOutNothing() throws IOException {
    BlobManifest manifest = store().putWithManifest(generated(38, 300 * KIB));
    corruptOrSkip(manifest.id());

    Delivery delivery = readAll(() -> store().open(manifest.id(), manifest), 1);

    assertThat(delivery.failure()).isInstanceOf(CorruptBlobException.class);
    assertThat(delivery.bytes()).isEmpty();
  }

  // Ranges: partial reads checked chunk by chunk (see BlobRangeChecks)

  @TestFactory
  Stream<DynamicTest> aRangeReadsBackItsBytesAtTheStartMiddleAndEndAcrossChunksAndWhole() {
    return ranges().rangesReadBack();
  }

  @Test
  void aRangeOfAManifestWithoutChunkDigestsReadsBackTheSameBytes() throws IOException {
    ranges().oldManifestsStillWork();
  }

  @Test
  void aRangeHandsOutNoByteOfADamagedChunkNorAnyAfterIt() throws IOException {
    ranges().damageInsideTheRangeFailsBeforeItsChunk();
  }

  @Test
  void aRangeIsNotFailedByDamageOutsideItsChunks() throws IOException {
    ranges().damageOutsideTheRangeIsNotSeen();
  }

  @Test
  void aRangeOfAManifestWithoutChunkDigestsIsCheckedFromTheBlobsStart() throws IOException {
    ranges().oldManifestsCheckFromTheStart();
  }

  @Test
  void aRangeFindsChunkDigestsThatDoNotMatchTheContentBeforeHandingOutAByte() {
    ranges().forgedChunkDigestsAreFound();
  }

  @Test
  void badRangesAreRefusedNamingTheValues() {
    ranges().badRangesAreRefused();
  }

  @Test
  void aRangeOfAMissingBlobThrowsBlobNotFound() {
    ranges().aMissingBlobIsNotFound();
  }

  private BlobRangeChecks ranges() {
    return new BlobRangeChecks(store(), (id, offset) -> {
      Optional<String> location = corrupt(store(), id, offset);
      Assumptions.assumeTrue(location.isPresent(), () -> getClass().getSimpleName()
          + " does not override corrupt(store, id, offset), so damage inside a range cannot be tested");
    });
  }

  // Helpers

  /** What a read handed out before it ended or failed. */
  record Delivery(byte[] bytes, @Nullable Throwable failure) {}

  /** Opens a stream and reads it to its end or its first failure, in reads of a given size. */
  static Delivery readAll(java.util.function.Supplier<InputStream> open, int readSize) {
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    Throwable failure = null;
    try (InputStream in = open.get()) {
      byte[] buffer = new byte[readSize];
      for (int n; (n = in.read(buffer)) != -1; ) {
        got.write(buffer, 0, n);
      }
    } catch (RuntimeException | IOException e) {
      failure = e;
    }
    return new Delivery(got.toByteArray(), failure);
  }

  /**
   * The manifest of some content, computed with the JDK's SHA-256 independently of the store and of opskit: the
   * checkpoints and, for content of several chunks, the digest of each chunk alone.
   */
  static BlobManifest independentManifest(InputStream content, int chunk) {
    try (content) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      List<String> checkpoints = new ArrayList<>();
      List<String> chunkDigests = new ArrayList<>();
      byte[] buffer = content.readNBytes(chunk);
      long size = 0;
      while (true) {
        digest.update(buffer);
        chunkDigests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buffer)));
        size += buffer.length;
        byte[] next = content.readNBytes(chunk);
        if (next.length == 0) {
          break;
        }
        checkpoints.add(HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest()));
        buffer = next;
      }
      return new BlobManifest(HexFormat.of().formatHex(digest.digest()), size, chunk, checkpoints,
          checkpoints.isEmpty() ? List.of() : chunkDigests);
    } catch (IOException | NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  private String corruptAtOrSkip(String id, long offset) throws IOException {
    Optional<String> location = corrupt(store(), id, offset);
    Assumptions.assumeTrue(location.isPresent(), () -> getClass().getSimpleName()
        + " does not override corrupt(store, id, offset), so damage inside a blob cannot be tested");
    return location.orElseThrow();
  }

  private String corruptOrSkip(String id) throws IOException {
    Optional<String> location = corrupt(store(), id);
    Assumptions.assumeTrue(location.isPresent(), () -> getClass().getSimpleName()
        + " does not override corrupt(store, id), so corruption cannot be tested");
    return location.orElseThrow();
  }

  private List<BlobInfo> list() {
    List<BlobInfo> all = new ArrayList<>();
    store().forEach(all::add);
    assertThat(all).extracting(BlobInfo::id).as("ids listed by forEach").doesNotHaveDuplicates();
    return all;
  }

  private static long ownSize(int thread) {
    return 100_000L + thread * 997L;
  }

  private static List<Throwable> causes(Throwable thrown) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Hashes a stream with the JDK's own SHA-256, independently of the store under test. */
  private static String sha256(InputStream in) {
    try (in) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * KIB];
      for (int n; (n = in.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertSameContent(InputStream actual, InputStream expected) throws IOException {
    long offset = 0;
    while (true) {
      byte[] a = actual.readNBytes(64 * KIB);
      byte[] e = expected.readNBytes(64 * KIB);
      if (!Arrays.equals(a, e)) {
        int at = Arrays.mismatch(a, e);
        fail("content differs at byte " + (offset + at) + ": expected " + (at < e.length ? e[at] : "the end")
            + " but got " + (at < a.length ? a[at] : "the end"));
      }
      if (a.length == 0) {
        return;
      }
      offset += a.length;
    }
  }

  /** Deterministic pseudo-random bytes, generated as they are read, so large content costs no heap. */
  static InputStream generated(long seed, long size) {
    return new Generated(seed, size);
  }

  private static final class Generated extends InputStream {
    private long state;
    private long remaining;

    Generated(long seed, long size) {
      this.state = seed * 0x9E3779B97F4A7C15L + size;
      this.remaining = size;
    }

    @Override
    public int read() {
      if (remaining == 0) {
        return -1;
      }
      remaining--;
      return next() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        b[off + i] = next();
      }
      remaining -= n;
      return n;
    }

    private byte next() {
      state = state * 6364136223846793005L + 1442695040888963407L;
      return (byte) (state >>> 56);
    }
  }

  /** Hands out at most one of the given sizes per read, in turn, as a network stream might. */
  private static final class OddPieces extends InputStream {
    private final InputStream in;
    private final int[] pieces;
    private int next;

    OddPieces(InputStream in, int... pieces) {
      this.in = in;
      this.pieces = pieces.clone();
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int piece = pieces[next++ % pieces.length];
      return in.read(b, off, Math.min(len, piece));
    }
  }

  /** Delivers some bytes, then throws. */
  private static final class FailingAfter extends InputStream {
    private final InputStream in;
    private final IOException failure;
    private long remaining;

    FailingAfter(InputStream in, long bytes, IOException failure) {
      this.in = in;
      this.remaining = bytes;
      this.failure = failure;
    }

    @Override
    public int read() throws IOException {
      if (remaining == 0) {
        throw failure;
      }
      remaining--;
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        throw failure;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      remaining -= n;
      return n;
    }
  }

  /** Remembers whether it was closed. */
  private static final class CloseTracking extends ByteArrayInputStream {
    boolean closed;

    CloseTracking(InputStream content) {
      super(readAll(content));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void aWriterStreamsContentIntoTheStoreLikeAPut() {
    byte[] content = "written through a writer, line by line\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    BlobInfo written = store().write(out -> {
      for (int i = 0; i < 1000; i++) {
        out.write("written through a writer, line by line\n".getBytes(StandardCharsets.UTF_8));
      }
    });
    assertThat(written.size()).isEqualTo(content.length);
    assertThat(store().put(content).id()).isEqualTo(written.id());
    assertThat(store().read(written.id())).isEqualTo(content);
  }

  @Test
  void aFailingWriterLeavesNothingBehind() {
    assertThatThrownBy(() -> store().write(out -> {
      out.write(new byte[300_000]);
      throw new java.io.IOException("the encoder broke");
    })).isInstanceOf(dev.opskit.store.StoreException.class).hasMessageContaining("the encoder broke");
    java.util.List<BlobInfo> all = new java.util.ArrayList<>();
    store().forEach(all::add);
    assertThat(all).isEmpty();
  }

  @Test
  void deleteIfStoredBeforeSparesABlobStoredAgainSinceTheCutoff() {
    BlobInfo old = store().put("old".getBytes(StandardCharsets.UTF_8));
    BlobInfo renewed = store().put("renewed".getBytes(StandardCharsets.UTF_8));
    clock().advance(java.time.Duration.ofHours(2));
    java.time.Instant cutoff = clock().instant().minus(java.time.Duration.ofHours(1));
    store().put("renewed".getBytes(StandardCharsets.UTF_8));

    assertThat(store().deleteIfStoredBefore(old.id(), cutoff)).isTrue();
    assertThat(store().deleteIfStoredBefore(renewed.id(), cutoff)).isFalse();
    assertThat(store().stat(old.id())).isEmpty();
    assertThat(store().read(renewed.id())).isEqualTo("renewed".getBytes(StandardCharsets.UTF_8));
    assertThat(store().deleteIfStoredBefore(old.id(), cutoff)).isFalse();
  }
}
