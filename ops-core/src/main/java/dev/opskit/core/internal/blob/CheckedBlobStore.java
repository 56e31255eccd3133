package dev.opskit.core.internal.blob;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import dev.opskit.store.MetadataStore;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A view of a blob store whose {@link #open(String)} hands out only checked bytes, checked against the manifest
 * recorded in the metadata store ({@link BlobManifests#open}). Everything else goes to the store as it is. Closing the
 * view leaves the store open. Thread-safe, as the store is.
 */
public final class CheckedBlobStore implements BlobStore {
  private final MetadataStore metadata;
  private final BlobStore delegate;

  /**
   * Creates the view.
   *
   * @param metadata where the manifests are recorded
   * @param delegate the blob store
   */
  public CheckedBlobStore(MetadataStore metadata, BlobStore delegate) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public InputStream open(String id) {
    return BlobManifests.open(metadata, delegate, id);
  }

  @Override
  public InputStream open(String id, BlobManifest manifest) {
    return delegate.open(id, manifest);
  }

  @Override
  public InputStream openRange(String id, BlobManifest manifest, long offset, long length) {
    return delegate.openRange(id, manifest, offset, length);
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
  public BlobManifest putWithManifest(InputStream content) {
    return delegate.putWithManifest(content);
  }

  @Override
  public BlobManifest writeWithManifest(ContentWriter writer) {
    return delegate.writeWithManifest(writer);
  }

  @Override
  public boolean deleteIfStoredBefore(String id, Instant cutoff) {
    return delegate.deleteIfStoredBefore(id, cutoff);
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
    return delegate.describe();
  }
}
