package dev.opskit.test.contract;

import static dev.opskit.test.contract.BlobContent.KIB;
import static dev.opskit.test.contract.BlobContent.MIB;
import static dev.opskit.test.contract.BlobContent.assertSameContent;
import static dev.opskit.test.contract.BlobContent.generated;
import static dev.opskit.test.contract.BlobContent.independentManifest;
import static dev.opskit.test.contract.BlobContent.readAll;
import static dev.opskit.test.contract.BlobContent.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobNotFoundException;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import dev.opskit.test.contract.BlobContent.Delivery;
import dev.opskit.test.contract.BlobCorruptionChecks.Corruption;
import dev.opskit.test.contract.BlobRangeChecks.Damage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The checks of reads with a {@link BlobManifest} that {@link BlobStoreContract} runs, against manifests it computes
 * independently: {@code putWithManifest} and {@code writeWithManifest} give the checkpoints of every chunk boundary, a
 * read honours the manifest's chunk size and refuses another blob's manifest, and, where the store can be damaged, a
 * read hands out no byte of a chunk that does not match the manifest, nor any after it.
 */
final class BlobManifestChecks {
  private final BlobStore store;
  private final Corruption corruption;
  private final Damage damage;

  BlobManifestChecks(BlobStore store, Corruption corruption, Damage damage) {
    this.store = store;
    this.corruption = corruption;
    this.damage = damage;
  }

  Stream<DynamicTest> putWithManifestComputesTheIdAndTheHashAtEveryChunkBoundary() {
    int chunk = BlobManifest.DEFAULT_CHUNK_SIZE;
    return LongStream.of(0, 1, chunk - 1, chunk, chunk + 1, 2L * chunk, 3L * chunk + 17)
        .mapToObj(size -> DynamicTest.dynamicTest(size + " bytes", () -> {
          BlobManifest put = store.putWithManifest(generated(size, size));
          BlobManifest written = store.writeWithManifest(out -> generated(size, size).transferTo(out));

          // A store may cut content into chunks of its own size; the checkpoints must be those of that size.
          BlobManifest expected = independentManifest(generated(size, size), put.chunkSize());
          assertThat(put).as("manifest of putWithManifest").isEqualTo(expected);
          assertThat(written).as("manifest of writeWithManifest").isEqualTo(expected);
          assertThat(store.stat(expected.id())).map(BlobInfo::size).contains(size);
          try (InputStream in = store.open(expected.id(), put)) {
            assertSameContent(in, generated(size, size));
          }
        }));
  }

  void openWithAManifestHonoursItsChunkSize() throws IOException {
    long size = 100L * KIB + 5;
    BlobInfo info = store.put(generated(31, size));
    BlobManifest small = independentManifest(generated(31, size), 4 * KIB);

    try (InputStream in = store.open(info.id(), small)) {
      assertSameContent(in, generated(31, size));
    }
  }

  void openWithTheManifestOfAnotherBlobIsRefused() {
    BlobManifest one = store.putWithManifest(generated(32, 1000));
    BlobManifest other = store.putWithManifest(generated(33, 1000));

    assertThatThrownBy(() -> store.open(one.id(), other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(one.id()).hasMessageContaining(other.id());
  }

  void openWithAManifestOfAMissingBlobThrowsBlobNotFound() {
    BlobManifest gone = store.putWithManifest(generated(34, 1000));
    store.delete(gone.id());

    assertThatThrownBy(() -> store.open(gone.id(), gone)).isInstanceOf(BlobNotFoundException.class)
        .hasMessageContaining(gone.id());
  }

  void aManifestReadFindsAManifestThatDoesNotMatchTheContentBeforeHandingOutAByte() throws IOException {
    long size = 40L * KIB;
    BlobInfo info = store.put(generated(35, size));
    BlobManifest good = independentManifest(generated(35, size), 4 * KIB);
    List<String> lying = new ArrayList<>(good.checkpoints());
    lying.set(0, sha256(generated(36, 4 * KIB)));
    BlobManifest forged = new BlobManifest(info.id(), size, 4 * KIB, lying);

    Delivery delivery = readAll(() -> store.open(info.id(), forged), 1000);

    assertThat(delivery.failure()).isInstanceOf(CorruptBlobException.class);
    assertThat(delivery.bytes()).as("bytes handed out before the first chunk was checked").isEmpty();
  }

  void aManifestReadHandsOutNoByteOfADamagedChunkNorAnyAfterIt() throws IOException {
    int chunk = 64 * KIB;
    long size = 5L * chunk + 123;
    for (long offset : new long[] {0, chunk - 1, chunk, 2L * chunk + 777, 5L * chunk, size - 1}) {
      BlobInfo info = store.put(generated(37, size));
      BlobManifest manifest = independentManifest(generated(37, size), chunk);
      damage.at(info.id(), offset);
      byte[] original = readAll(generated(37, size));
      long damagedChunkStart = offset / chunk * chunk;

      for (int readSize : new int[] {1, 1000, chunk, MIB}) {
        Delivery delivery = readAll(() -> store.open(info.id(), manifest), readSize);

        assertThat(delivery.failure()).as("damage at %s, reads of %s", offset, readSize)
            .isInstanceOf(CorruptBlobException.class).hasMessageContaining(info.id());
        assertThat(delivery.bytes().length).as("bytes handed out, damage at %s, reads of %s", offset, readSize)
            .isLessThanOrEqualTo((int) damagedChunkStart);
        assertThat(delivery.bytes()).as("bytes handed out are the original's")
            .isEqualTo(Arrays.copyOf(original, delivery.bytes().length));
      }
      // Put the original back for the next offset.
      store.put(generated(37, size));
    }
  }

  void aManifestReadOfADamagedOneChunkBlobHandsOutNothing() throws IOException {
    BlobManifest manifest = store.putWithManifest(generated(38, 300 * KIB));
    corruption.damage(manifest.id());

    Delivery delivery = readAll(() -> store.open(manifest.id(), manifest), 1);

    assertThat(delivery.failure()).isInstanceOf(CorruptBlobException.class);
    assertThat(delivery.bytes()).isEmpty();
  }
}
