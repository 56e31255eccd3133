package dev.opskit.test.contract;

import static dev.opskit.test.contract.BlobContent.KIB;
import static dev.opskit.test.contract.BlobContent.MIB;
import static dev.opskit.test.contract.BlobContent.assertSameContent;
import static dev.opskit.test.contract.BlobContent.causes;
import static dev.opskit.test.contract.BlobContent.generated;
import static dev.opskit.test.contract.BlobContent.list;
import static dev.opskit.test.contract.BlobContent.readAll;
import static dev.opskit.test.contract.BlobContent.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobStore;
import dev.opskit.store.StoreException;
import dev.opskit.test.contract.BlobContent.CloseTracking;
import dev.opskit.test.contract.BlobContent.FailingAfter;
import dev.opskit.test.contract.BlobContent.OddPieces;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The checks of putting content that {@link BlobStoreContract} runs: a blob's id is the SHA-256 of its content, at
 * every size from empty to several MiB and however the stream delivers it; the same content is stored once and its
 * stamp refreshed; {@code put} reads the stream to its end without closing it, and
 * {@code write} stores what the writer writes; a stream or writer that fails leaves nothing behind;
 * and sixteen threads putting at once all succeed.
 */
final class BlobPutChecks {
  /** The SHA-256 of no bytes. */
  private static final String EMPTY_ID = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  /** The SHA-256 of {@code "abc"}, from FIPS 180-2, appendix B.1. */
  private static final String ABC_ID = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final Duration BOUND = Duration.ofSeconds(60);

  private final BlobStore store;
  private final ManualClock clock;

  BlobPutChecks(BlobStore store, ManualClock clock) {
    this.store = store;
    this.clock = clock;
  }

  // Content addressing and round trips

  void emptyContentRoundTripsUnderTheHashOfNoBytes() {
    BlobInfo info = store.put(new byte[0]);

    assertThat(info.id()).isEqualTo(EMPTY_ID);
    assertThat(info.size()).isZero();
    assertThat(store.read(EMPTY_ID)).isEmpty();
    assertThat(store.stat(EMPTY_ID)).map(BlobInfo::size).contains(0L);
  }

  void smallContentRoundTripsUnderItsSha256() {
    BlobInfo info = store.put("abc".getBytes(StandardCharsets.US_ASCII));

    assertThat(info.id()).isEqualTo(ABC_ID);
    assertThat(info.size()).isEqualTo(3);
    assertThat(store.read(ABC_ID)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
  }

  void multiMebibyteContentRoundTripsThroughStreams() throws IOException {
    long size = 6L * MIB + 7;

    BlobInfo info = store.put(generated(42, size));

    assertThat(info.id()).isEqualTo(sha256(generated(42, size)));
    assertThat(info.size()).isEqualTo(size);
    try (InputStream in = store.open(info.id())) {
      assertSameContent(in, generated(42, size));
    }
  }

  Stream<DynamicTest> idIsTheSha256OfTheContentAtSizesAroundBufferBoundaries() {
    return IntStream.of(0, 1, 2, 63, 64, 65, 4095, 4096, 4097, 8192, 65535, 65536, 65537, 131071, 131072, 131073,
            262143, 262144, 262145, 393216, MIB + 1)
        .mapToObj(size -> DynamicTest.dynamicTest(size + " bytes", () -> {
          BlobInfo info = store.put(generated(size, size));

          assertThat(info.id()).isEqualTo(sha256(generated(size, size)));
          assertThat(info.size()).isEqualTo(size);
          try (InputStream in = store.open(info.id())) {
            assertSameContent(in, generated(size, size));
          }
        }));
  }

  void putReadsAStreamThatDeliversOddSizedPieces() throws IOException {
    long size = 700L * KIB + 3;

    BlobInfo info = store.put(new OddPieces(generated(7, size), 1, 7, 4093, 13, 65537, 3, 131071, 200_000));

    assertThat(info.id()).isEqualTo(sha256(generated(7, size)));
    assertThat(info.size()).isEqualTo(size);
    try (InputStream in = store.open(info.id())) {
      assertSameContent(in, generated(7, size));
    }
  }

  void putReadsTheStreamToItsEndButDoesNotCloseIt() throws IOException {
    CloseTracking content = new CloseTracking(generated(3, 1000));

    store.put(content);

    assertThat(content.read()).as("bytes left in the stream").isEqualTo(-1);
    assertThat(content.closed).as("stream closed by put").isFalse();
  }

  void sameContentGetsTheSameIdAndIsStoredOnce() {
    BlobInfo first = store.put(generated(11, 300 * KIB));
    BlobInfo second = store.put(new OddPieces(generated(11, 300 * KIB), 5000, 17));
    BlobInfo other = store.put(generated(12, 300 * KIB));

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(other.id()).isNotEqualTo(first.id());
    assertThat(list(store)).extracting(BlobInfo::id).containsExactlyInAnyOrder(first.id(), other.id());
  }

  void putStampsBlobsWithTheClock() {
    BlobInfo info = store.put(generated(1, 10));

    assertThat(info.storedAt()).isEqualTo(clock.instant());
    assertThat(store.stat(info.id())).contains(info);
  }

  void puttingContentAgainRefreshesItsStoredAt() {
    Instant first = clock.instant();
    BlobInfo before = store.put(generated(1, 10));
    Instant later = clock.advance(Duration.ofHours(3));

    BlobInfo again = store.put(generated(1, 10));

    assertThat(before.storedAt()).isEqualTo(first);
    assertThat(again).isEqualTo(new BlobInfo(before.id(), 10, later));
    assertThat(store.stat(before.id())).contains(again);
    assertThat(list(store)).containsExactly(again);
  }

  // Failures while putting

  void aStreamThatFailsMidwayLeavesNothingBehind() {
    IOException failure = new IOException("the network went away");

    Throwable thrown = catchThrowable(() -> store.put(new FailingAfter(generated(2, MIB), 300 * KIB + 1, failure)));

    assertThat(thrown).isInstanceOf(StoreException.class);
    assertThat(causes(thrown)).as("cause chain").contains(failure);
    assertThat(list(store)).isEmpty();
    assertThat(store.stat(sha256(generated(2, 300 * KIB + 1)))).isEmpty();
  }

  void aStreamThatFailsAtOnceLeavesNothingBehindAndTheStoreStaysUsable() {
    IOException failure = new IOException("refused");

    Throwable thrown = catchThrowable(() -> store.put(new FailingAfter(generated(2, 10), 0, failure)));
    BlobInfo next = store.put(generated(2, 10));

    assertThat(thrown).isInstanceOf(StoreException.class);
    assertThat(causes(thrown)).as("cause chain").contains(failure);
    assertThat(list(store)).containsExactly(next);
    assertThat(store.read(next.id())).isEqualTo(readAll(generated(2, 10)));
  }

  // Concurrency

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
            infos.add(store.put(generated(1000, sharedSize)));
            infos.add(store.put(generated(thread, ownSize(thread))));
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

    List<BlobInfo> listed = list(store);
    assertThat(listed).hasSize(expected.size());
    for (BlobInfo info : listed) {
      assertThat(expected).containsEntry(info.id(), info.size());
      try (InputStream in = store.open(info.id())) {
        assertThat(sha256(in)).isEqualTo(info.id());
      }
    }
  }

  void aWriterStreamsContentIntoTheStoreLikeAPut() {
    byte[] content = "written through a writer, line by line\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    BlobInfo written = store.write(out -> {
      for (int i = 0; i < 1000; i++) {
        out.write("written through a writer, line by line\n".getBytes(StandardCharsets.UTF_8));
      }
    });
    assertThat(written.size()).isEqualTo(content.length);
    assertThat(store.put(content).id()).isEqualTo(written.id());
    assertThat(store.read(written.id())).isEqualTo(content);
  }

  void aFailingWriterLeavesNothingBehind() {
    assertThatThrownBy(() -> store.write(out -> {
      out.write(new byte[300_000]);
      throw new java.io.IOException("the encoder broke");
    })).isInstanceOf(dev.opskit.store.StoreException.class).hasMessageContaining("the encoder broke");
    java.util.List<BlobInfo> all = new java.util.ArrayList<>();
    store.forEach(all::add);
    assertThat(all).isEmpty();
  }

  private static long ownSize(int thread) {
    return 100_000L + thread * 997L;
  }
}
