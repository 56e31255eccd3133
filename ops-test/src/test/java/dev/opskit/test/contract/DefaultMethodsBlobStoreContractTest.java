package dev.opskit.test.contract;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blob store contract, run against a store that implements only the abstract methods of {@link BlobStore}, as a
 * user's store written before manifests would: the SPI's defaults for manifests must give it the same guarantees.
 */
class DefaultMethodsBlobStoreContractTest extends BlobStoreContract {
  @TempDir
  Path dir;

  @Override
  protected BlobStore createStore() {
    return new OnlyAbstractMethods(BlobStore.local(dir.resolve("blobs"), clock()));
  }

  @Override
  protected Optional<String> corrupt(BlobStore store, String id) throws IOException {
    Path file = BlobFiles.pathOf(dir.resolve("blobs"), id);
    BlobFiles.flipBit(file, Files.size(file) - 1);
    return Optional.of(file.toString());
  }

  /** The defaults name the store's description as the location. */
  @Override
  protected Optional<String> corrupt(BlobStore store, String id, long offset) throws IOException {
    BlobFiles.flipBit(BlobFiles.pathOf(dir.resolve("blobs"), id), offset);
    return Optional.of(store.describe());
  }

  /** Delegates the abstract methods only. */
  private static final class OnlyAbstractMethods implements BlobStore {
    private final BlobStore delegate;

    OnlyAbstractMethods(BlobStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public BlobInfo put(InputStream content) {
      return delegate.put(content);
    }

    @Override
    public BlobInfo write(ContentWriter writer) {
      return delegate.write(writer);
    }

    @Override
    public InputStream open(String id) {
      return delegate.open(id);
    }

    @Override
    public Optional<BlobInfo> stat(String id) {
      return delegate.stat(id);
    }

    @Override
    public boolean delete(String id) {
      return delegate.delete(id);
    }

    @Override
    public void forEach(Consumer<BlobInfo> each) {
      delegate.forEach(each);
    }

    @Override
    public String describe() {
      return "users' blobs over " + delegate.describe();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
