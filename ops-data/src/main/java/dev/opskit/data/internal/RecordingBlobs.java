package dev.opskit.data.internal;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps tabs on the blobs a codec stores as parts of a version, such as a file tree's files, with their manifests,
 * which are recorded with the version.
 */
final class RecordingBlobs implements BlobStore {
  private final BlobStore delegate;
  private final Clock clock;
  private final Map<String, BlobManifest> manifests = new TreeMap<>();

  RecordingBlobs(BlobStore delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  synchronized List<BlobManifest> manifests() {
    return List.copyOf(manifests.values());
  }

  private BlobManifest recorded(BlobManifest manifest) {
    synchronized (this) {
      manifests.put(manifest.id(), manifest);
    }
    return manifest;
  }

  /** The blob just stored, as the store describes it. */
  private BlobInfo info(BlobManifest manifest) {
    return delegate.stat(manifest.id())
        .orElseGet(() -> new BlobInfo(manifest.id(), manifest.size(), clock.instant()));
  }

  @Override
  public BlobInfo put(InputStream content) {
    return info(putWithManifest(content));
  }

  @Override
  public BlobInfo write(ContentWriter writer) {
    return info(writeWithManifest(writer));
  }

  @Override
  public BlobManifest putWithManifest(InputStream content) {
    return recorded(delegate.putWithManifest(content));
  }

  @Override
  public BlobManifest writeWithManifest(ContentWriter writer) {
    return recorded(delegate.writeWithManifest(writer));
  }

  @Override
  public InputStream open(String id) {
    return delegate.open(id);
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
  public Optional<BlobInfo> stat(String id) {
    return delegate.stat(id);
  }

  @Override
  public boolean delete(String id) {
    throw new UnsupportedOperationException("a codec must not delete blobs while it encodes");
  }

  @Override
  public void forEach(java.util.function.Consumer<BlobInfo> each) {
    delegate.forEach(each);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }
}
