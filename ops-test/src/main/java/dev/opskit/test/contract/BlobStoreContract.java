package dev.opskit.test.contract;

import static dev.opskit.test.contract.BlobContent.KIB;
import static dev.opskit.test.contract.BlobContent.concat;
import static dev.opskit.test.contract.BlobContent.generated;
import static dev.opskit.test.contract.BlobContent.list;
import static dev.opskit.test.contract.BlobContent.readAll;
import static dev.opskit.test.contract.BlobContent.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobNotFoundException;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

  // Content addressing and round trips (see BlobPutChecks)

  @Test
  void emptyContentRoundTripsUnderTheHashOfNoBytes() {
    puts().emptyContentRoundTripsUnderTheHashOfNoBytes();
  }

  @Test
  void smallContentRoundTripsUnderItsSha256() {
    puts().smallContentRoundTripsUnderItsSha256();
  }

  @Test
  void multiMebibyteContentRoundTripsThroughStreams() throws IOException {
    puts().multiMebibyteContentRoundTripsThroughStreams();
  }

  @TestFactory
  Stream<DynamicTest> idIsTheSha256OfTheContentAtSizesAroundBufferBoundaries() {
    return puts().idIsTheSha256OfTheContentAtSizesAroundBufferBoundaries();
  }

  @Test
  void putReadsAStreamThatDeliversOddSizedPieces() throws IOException {
    puts().putReadsAStreamThatDeliversOddSizedPieces();
  }

  @Test
  void putReadsTheStreamToItsEndButDoesNotCloseIt() throws IOException {
    puts().putReadsTheStreamToItsEndButDoesNotCloseIt();
  }

  @Test
  void sameContentGetsTheSameIdAndIsStoredOnce() {
    puts().sameContentGetsTheSameIdAndIsStoredOnce();
  }

  @Test
  void putStampsBlobsWithTheClock() {
    puts().putStampsBlobsWithTheClock();
  }

  @Test
  void puttingContentAgainRefreshesItsStoredAt() {
    puts().puttingContentAgainRefreshesItsStoredAt();
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

  // Failures while putting (see BlobPutChecks)

  @Test
  void aStreamThatFailsMidwayLeavesNothingBehind() {
    puts().aStreamThatFailsMidwayLeavesNothingBehind();
  }

  @Test
  void aStreamThatFailsAtOnceLeavesNothingBehindAndTheStoreStaysUsable() {
    puts().aStreamThatFailsAtOnceLeavesNothingBehindAndTheStoreStaysUsable();
  }

  @Test
  void aWriterStreamsContentIntoTheStoreLikeAPut() {
    puts().aWriterStreamsContentIntoTheStoreLikeAPut();
  }

  @Test
  void aFailingWriterLeavesNothingBehind() {
    puts().aFailingWriterLeavesNothingBehind();
  }

  // Concurrency (see BlobPutChecks)

  @Test
  void sixteenThreadsPuttingTheSameAndDifferentContentAllSucceed() throws Exception {
    puts().sixteenThreadsPuttingTheSameAndDifferentContentAllSucceed();
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
    assertThat(list(store())).containsExactly(kept);
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

  @Test
  void forEachListsEveryBlobOnceWithItsSizeAndStamp() {
    assertThat(list(store())).isEmpty();
    List<BlobInfo> put = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      put.add(store().put(generated(100 + i, i * 1000L)));
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(list(store())).containsExactlyInAnyOrderElementsOf(put);
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

  // Corruption; needs corrupt(...) (see BlobCorruptionChecks)

  @Test
  void readingACorruptBlobThrowsCorruptBlobExceptionNamingTheIdAndLocation() throws IOException {
    corruption().readingACorruptBlobThrowsCorruptBlobExceptionNamingTheIdAndLocation();
  }

  @Test
  void aReaderOfACorruptBlobNeverReceivesEveryByte() throws IOException {
    corruption().aReaderOfACorruptBlobNeverReceivesEveryByte();
  }

  @Test
  void readingACorruptBlobNeitherRemovesNorRepairsIt() throws IOException {
    corruption().readingACorruptBlobNeitherRemovesNorRepairsIt();
  }

  @Test
  void puttingTheOriginalContentAgainRepairsACorruptBlob() throws IOException {
    corruption().puttingTheOriginalContentAgainRepairsACorruptBlob();
  }

  // Manifests: reads checked chunk by chunk (see BlobManifestChecks)

  @TestFactory
  Stream<DynamicTest> putWithManifestComputesTheIdAndTheHashAtEveryChunkBoundary() {
    return manifests().putWithManifestComputesTheIdAndTheHashAtEveryChunkBoundary();
  }

  @Test
  void openWithAManifestHonoursItsChunkSize() throws IOException {
    manifests().openWithAManifestHonoursItsChunkSize();
  }

  @Test
  void openWithTheManifestOfAnotherBlobIsRefused() {
    manifests().openWithTheManifestOfAnotherBlobIsRefused();
  }

  @Test
  void openWithAManifestOfAMissingBlobThrowsBlobNotFound() {
    manifests().openWithAManifestOfAMissingBlobThrowsBlobNotFound();
  }

  @Test
  void aManifestReadFindsAManifestThatDoesNotMatchTheContentBeforeHandingOutAByte() throws IOException {
    manifests().aManifestReadFindsAManifestThatDoesNotMatchTheContentBeforeHandingOutAByte();
  }

  @Test
  void aManifestReadHandsOutNoByteOfADamagedChunkNorAnyAfterIt() throws IOException {
    manifests().aManifestReadHandsOutNoByteOfADamagedChunkNorAnyAfterIt();
  }

  @Test
  void aManifestReadOfADamagedOneChunkBlobHandsOutNothing() throws IOException {
    manifests().aManifestReadOfADamagedOneChunkBlobHandsOutNothing();
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

  private BlobPutChecks puts() {
    return new BlobPutChecks(store(), clock);
  }

  private BlobCorruptionChecks corruption() {
    return new BlobCorruptionChecks(store(), this::corruptOrSkip);
  }

  private BlobManifestChecks manifests() {
    return new BlobManifestChecks(store(), this::corruptOrSkip, this::corruptAtOrSkip);
  }

  private BlobRangeChecks ranges() {
    return new BlobRangeChecks(store(), (id, offset) -> {
      Optional<String> location = corrupt(store(), id, offset);
      Assumptions.assumeTrue(location.isPresent(), () -> getClass().getSimpleName()
          + " does not override corrupt(store, id, offset), so damage inside a range cannot be tested");
    });
  }

  // Helpers

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
}
