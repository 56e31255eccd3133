package dev.opskit.test.contract;

import static dev.opskit.test.contract.BlobContent.generated;
import static dev.opskit.test.contract.BlobContent.independentManifest;
import static dev.opskit.test.contract.BlobContent.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobNotFoundException;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import dev.opskit.test.contract.BlobContent.Delivery;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The checks of {@link BlobStore#openRange} that {@link BlobStoreContract} runs: ranges read back their bytes, each
 * chunk that covers a range is checked before any byte of it is handed out, damage outside those chunks does not fail
 * the range, and manifests without chunk digests still work, checked from the blob's start. Most use a manifest
 * computed independently in chunks of {@value #CHUNK} bytes, which a store must honour, so that blobs of many chunks
 * stay small.
 */
final class BlobRangeChecks {
  /** The chunk of the independent manifests. */
  static final int CHUNK = 64 * 1024;
  /** Seventeen chunks, the last of 123 bytes. */
  private static final long SIZE = 16L * CHUNK + 123;
  private static final int[] READ_SIZES = {1, 1000, CHUNK, 1 << 20};

  /** Damages one byte of a stored blob, or skips the test if the store cannot be damaged. */
  @FunctionalInterface
  interface Damage {
    void at(String id, long offset) throws IOException;
  }

  private final BlobStore store;
  private final Damage damage;

  BlobRangeChecks(BlobStore store, Damage damage) {
    this.store = store;
    this.damage = damage;
  }

  /** Ranges of a blob of several of the store's own chunks, and of the same blob in small chunks. */
  Stream<DynamicTest> rangesReadBack() {
    BlobManifest own = store.putWithManifest(generated(41, 3L * BlobManifest.DEFAULT_CHUNK_SIZE + 17));
    long chunk = own.chunkSize();
    long size = own.size();
    assertThat(own.chunkDigests()).as("chunk digests of putWithManifest for %s chunks", own.chunks())
        .hasSize((int) own.chunks());
    BlobManifest small = independentManifest(generated(41, size), CHUNK);
    byte[] content = readAll(generated(41, size));
    long[][] ranges = {{0, 1}, {0, 100}, {chunk - 10, 20}, {chunk, chunk}, {chunk + 5, 2 * chunk},
        {size - 17, 17}, {size - 1, 1}, {0, 0}, {2 * chunk + 3, 0}, {size, 0}, {0, size}, {1, size - 2}};
    List<DynamicTest> tests = new ArrayList<>();
    for (BlobManifest manifest : List.of(own, small)) {
      for (long[] range : ranges) {
        tests.add(DynamicTest.dynamicTest(range[1] + " bytes from " + range[0] + " in chunks of "
            + manifest.chunkSize(), () -> assertReadsBack(manifest, range[0], range[1], content)));
      }
    }
    return tests.stream();
  }

  void oldManifestsStillWork() {
    BlobManifest manifest = independentManifest(generated(42, SIZE), CHUNK);
    store.put(generated(42, SIZE));
    byte[] content = readAll(generated(42, SIZE));
    BlobManifest old = manifest.withoutChunkDigests();

    for (long[] range : new long[][] {{0, 10}, {5L * CHUNK - 3, 2L * CHUNK}, {SIZE - 200, 200}, {0, SIZE}}) {
      assertReadsBack(old, range[0], range[1], content);
    }
  }

  void damageInsideTheRangeFailsBeforeItsChunk() throws IOException {
    byte[] original = readAll(generated(43, SIZE));
    BlobManifest manifest = independentManifest(generated(43, SIZE), CHUNK);
    long[][] cases = { // offset, length, damaged byte
        {CHUNK + 100, 2L * CHUNK, CHUNK}, {CHUNK + 100, 2L * CHUNK, 2L * CHUNK + 5},
        {CHUNK + 100, 2L * CHUNK, 3L * CHUNK + 99}, {CHUNK + 100, 2L * CHUNK, 4L * CHUNK - 1},
        {0, 1, 0}, {SIZE - 200, 200, SIZE - 1}, {SIZE - 200, 200, SIZE - 150}, {0, SIZE, 9L * CHUNK + 1}};
    for (long[] c : cases) {
      store.put(generated(43, SIZE));
      damage.at(manifest.id(), c[2]);
      long damagedChunkStart = c[2] / CHUNK * CHUNK;
      int allowed = (int) Math.max(0, damagedChunkStart - c[0]);

      for (int readSize : READ_SIZES) {
        Delivery d = BlobContent.readAll(() -> store.openRange(manifest.id(), manifest, c[0], c[1]), readSize);

        assertThat(d.failure()).as("%s bytes from %s, damage at %s, reads of %s", c[1], c[0], c[2], readSize)
            .isInstanceOf(CorruptBlobException.class).hasMessageContaining(manifest.id());
        assertThat(d.bytes().length).as("bytes handed out of %s from %s, damage at %s, reads of %s", c[1], c[0],
            c[2], readSize).isLessThanOrEqualTo(allowed);
        assertThat(d.bytes()).as("bytes handed out are the original's")
            .isEqualTo(Arrays.copyOfRange(original, (int) c[0], (int) c[0] + d.bytes().length));
      }
    }
  }

  void damageOutsideTheRangeIsNotSeen() throws IOException {
    BlobManifest manifest = independentManifest(generated(44, SIZE), CHUNK);
    store.put(generated(44, SIZE));
    byte[] content = readAll(generated(44, SIZE));
    damage.at(manifest.id(), 10);
    damage.at(manifest.id(), 4L * CHUNK); // the first byte after the range's chunks
    damage.at(manifest.id(), SIZE - 1);

    assertReadsBack(manifest, 2L * CHUNK + 7, CHUNK, content);
    assertReadsBack(manifest, CHUNK, 3L * CHUNK, content);
  }

  void oldManifestsCheckFromTheStart() throws IOException {
    BlobManifest manifest = independentManifest(generated(45, SIZE), CHUNK);
    store.put(generated(45, SIZE));
    byte[] content = readAll(generated(45, SIZE));
    damage.at(manifest.id(), 10);
    BlobManifest old = manifest.withoutChunkDigests();

    Delivery d = BlobContent.readAll(() -> store.openRange(manifest.id(), old, 5L * CHUNK, 100), 1000);

    assertThat(d.failure()).as("a range of a blob damaged before it, read with a manifest without chunk digests")
        .isInstanceOf(CorruptBlobException.class).hasMessageContaining(manifest.id());
    assertThat(d.bytes()).as("bytes handed out").isEmpty();
    assertReadsBack(manifest, 5L * CHUNK, 100, content);
  }

  void forgedChunkDigestsAreFound() {
    BlobManifest good = independentManifest(generated(46, SIZE), CHUNK);
    store.put(generated(46, SIZE));
    List<String> lying = new ArrayList<>(good.chunkDigests());
    lying.set(3, sha256(readAll(generated(47, CHUNK))));
    BlobManifest forged = new BlobManifest(good.id(), SIZE, CHUNK, good.checkpoints(), lying);

    Delivery d = BlobContent.readAll(() -> store.openRange(good.id(), forged, 3L * CHUNK + 10, 100), 1);

    assertThat(d.failure()).isInstanceOf(CorruptBlobException.class).hasMessageContaining(good.id());
    assertThat(d.bytes()).as("bytes handed out of a chunk that does not match its digest").isEmpty();
  }

  void badRangesAreRefused() {
    BlobManifest manifest = store.putWithManifest(generated(48, 1000));
    BlobManifest other = store.putWithManifest(generated(49, 1000));
    String id = manifest.id();

    assertThatThrownBy(() -> store.openRange(id, manifest, -1, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> store.openRange(id, manifest, 0, -7)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-7");
    assertThatThrownBy(() -> store.openRange(id, manifest, 995, 6)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("995").hasMessageContaining("6").hasMessageContaining("1000");
    assertThatThrownBy(() -> store.openRange(id, manifest, 1001, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1001");
    assertThatThrownBy(() -> store.openRange(id, other, 0, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(id).hasMessageContaining(other.id());
    assertThatThrownBy(() -> store.openRange(id.toUpperCase(java.util.Locale.ROOT), manifest, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  void aMissingBlobIsNotFound() {
    BlobManifest gone = store.putWithManifest(generated(50, 1000));
    store.delete(gone.id());

    Throwable thrown = catchThrowable(() -> {
      try (InputStream in = store.openRange(gone.id(), gone, 10, 100)) {
        in.readAllBytes();
      }
    });

    assertThat(thrown).isInstanceOf(BlobNotFoundException.class).hasMessageContaining(gone.id());
  }

  private void assertReadsBack(BlobManifest manifest, long offset, long length, byte[] content) {
    for (int readSize : READ_SIZES) {
      Delivery d = BlobContent.readAll(() -> store.openRange(manifest.id(), manifest, offset, length),
          readSize);

      assertThat(d.failure()).as("%s bytes from %s in chunks of %s, reads of %s", length, offset,
          manifest.chunkSize(), readSize).isNull();
      assertThat(d.bytes()).as("%s bytes from %s in chunks of %s, reads of %s", length, offset,
          manifest.chunkSize(), readSize).isEqualTo(Arrays.copyOfRange(content, (int) offset, (int) (offset + length)));
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
