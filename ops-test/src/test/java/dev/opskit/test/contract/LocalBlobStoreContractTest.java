package dev.opskit.test.contract;

import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract, run against the local store in a fresh directory. */
class LocalBlobStoreContractTest extends BlobStoreContract {
  @TempDir
  Path dir;

  @Override
  protected BlobStore createStore() {
    return BlobStore.local(dir.resolve("blobs"), clock());
  }

  /** Flips one bit of the last byte, the one a reader would get last. */
  @Override
  protected Optional<String> corrupt(BlobStore store, String id) throws IOException {
    Path file = BlobFiles.pathOf(dir.resolve("blobs"), id);
    BlobFiles.flipBit(file, Files.size(file) - 1);
    return Optional.of(file.toString());
  }

  /** Flips one bit of the given byte. */
  @Override
  protected Optional<String> corrupt(BlobStore store, String id, long offset) throws IOException {
    Path file = BlobFiles.pathOf(dir.resolve("blobs"), id);
    BlobFiles.flipBit(file, offset);
    return Optional.of(file.toString());
  }
}
