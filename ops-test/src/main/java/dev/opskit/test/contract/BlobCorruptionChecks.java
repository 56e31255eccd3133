package dev.opskit.test.contract;

import static dev.opskit.test.contract.BlobContent.KIB;
import static dev.opskit.test.contract.BlobContent.MIB;
import static dev.opskit.test.contract.BlobContent.assertSameContent;
import static dev.opskit.test.contract.BlobContent.generated;
import static dev.opskit.test.contract.BlobContent.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The checks of reading a damaged blob that {@link BlobStoreContract} runs once the store can be damaged through
 * {@link BlobStoreContract#corrupt(BlobStore, String)}: a read throws {@link CorruptBlobException} naming the blob and
 * where it lives, a reader never receives every byte at any size or read size, the read neither removes nor repairs
 * the blob, and putting the original content again repairs it.
 */
final class BlobCorruptionChecks {
  /** Damages a stored blob and says where it lives, or skips the test if the store cannot be damaged. */
  @FunctionalInterface
  interface Corruption {
    String damage(String id) throws IOException;
  }

  private final BlobStore store;
  private final Corruption corruption;

  BlobCorruptionChecks(BlobStore store, Corruption corruption) {
    this.store = store;
    this.corruption = corruption;
  }

  void readingACorruptBlobThrowsCorruptBlobExceptionNamingTheIdAndLocation() throws IOException {
    BlobInfo info = store.put(generated(8, 300 * KIB));
    String location = corruption.damage(info.id());

    Throwable thrown = catchThrowable(() -> store.read(info.id()));

    assertThat(thrown).isInstanceOf(CorruptBlobException.class).hasMessageContaining(info.id())
        .hasMessageContaining(location);
    CorruptBlobException corrupt = (CorruptBlobException) thrown;
    assertThat(corrupt.id()).isEqualTo(info.id());
    assertThat(corrupt.location()).isEqualTo(location);
  }

  void aReaderOfACorruptBlobNeverReceivesEveryByte() throws IOException {
    for (long size : new long[] {1, 10, 4096, 128 * KIB, 256 * KIB, 256 * KIB + 1, MIB + 17}) {
      BlobInfo info = store.put(generated(size, size));
      corruption.damage(info.id());

      for (int readSize : new int[] {1, 1000, 8192, 64 * KIB, MIB}) {
        long delivered = 0;
        Throwable thrown = null;
        try (InputStream in = store.open(info.id())) {
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

  void readingACorruptBlobNeitherRemovesNorRepairsIt() throws IOException {
    BlobInfo info = store.put(generated(8, 5000));
    corruption.damage(info.id());

    assertThatThrownBy(() -> store.read(info.id())).isInstanceOf(CorruptBlobException.class);

    assertThat(store.stat(info.id())).isPresent();
    assertThat(list(store)).extracting(BlobInfo::id).containsExactly(info.id());
    assertThatThrownBy(() -> store.read(info.id())).as("second read").isInstanceOf(CorruptBlobException.class);
  }

  void puttingTheOriginalContentAgainRepairsACorruptBlob() throws IOException {
    BlobInfo info = store.put(generated(8, 200 * KIB));
    corruption.damage(info.id());
    assertThatThrownBy(() -> store.read(info.id())).isInstanceOf(CorruptBlobException.class);

    BlobInfo again = store.put(generated(8, 200 * KIB));

    assertThat(again.id()).isEqualTo(info.id());
    try (InputStream in = store.open(info.id())) {
      assertSameContent(in, generated(8, 200 * KIB));
    }
  }
}
