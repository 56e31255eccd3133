package dev.opskit.core.internal.blob;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobNotFoundException;
import dev.opskit.store.BlobStore;
import dev.opskit.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * A blob store in a map, for tests. Blobs are held whole in the heap, so it suits small content only; reads are
 * verified against the id like those of any other store. Thread-safe.
 */
public final class InMemoryBlobStore implements BlobStore {
  private final Clock clock;
  private final ConcurrentMap<String, Stored> blobs = new ConcurrentHashMap<>();

  /**
   * Creates an empty store.
   *
   * @param clock stamps blobs when they are put
   */
  public InMemoryBlobStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A blob stored, with the manifest computed on the way. */
  private record Placed(BlobInfo info, BlobManifest manifest) {}

  @Override
  public BlobInfo put(InputStream content) {
    return store(content, BlobManifest.hasherWithoutChunkDigests()).info();
  }

  @Override
  public BlobManifest putWithManifest(InputStream content) {
    return store(content, BlobManifest.hasher()).manifest();
  }

  private Placed store(InputStream content, BlobManifest.Hasher digest) {
    Objects.requireNonNull(content, "content");
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    byte[] buffer = new byte[Sha256.CHUNK];
    try {
      int n;
      while ((n = content.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
        copy.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new StoreException("could not read the content to store in " + describe() + ": " + e.getMessage(), e);
    }
    BlobManifest manifest = digest.finish();
    Stored stored = new Stored(copy.toByteArray(), clock.instant());
    // Same id, same bytes: replacing only refreshes the stamp.
    blobs.put(manifest.id(), stored);
    return new Placed(stored.info(manifest.id()), manifest);
  }

  @Override
  public BlobInfo write(ContentWriter writer) {
    return storeWritten(writer, BlobManifest.hasherWithoutChunkDigests()).info();
  }

  @Override
  public BlobManifest writeWithManifest(ContentWriter writer) {
    return storeWritten(writer, BlobManifest.hasher()).manifest();
  }

  private Placed storeWritten(ContentWriter writer, BlobManifest.Hasher digest) {
    Objects.requireNonNull(writer, "writer");
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    try {
      writer.writeTo(copy);
    } catch (IOException e) {
      throw new StoreException("could not write the content to store in " + describe() + ": " + e.getMessage(), e);
    }
    return store(new ByteArrayInputStream(copy.toByteArray()), digest);
  }

  @Override
  public boolean deleteIfStoredBefore(String id, Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    boolean[] deleted = new boolean[1];
    blobs.computeIfPresent(BlobInfo.checkId(id), (key, stored) -> {
      if (stored.storedAt.isBefore(cutoff)) {
        deleted[0] = true;
        return null;
      }
      return stored;
    });
    return deleted[0];
  }

  @Override
  public InputStream open(String id) {
    Stored stored = blobs.get(BlobInfo.checkId(id));
    if (stored == null) {
      throw new BlobNotFoundException(id, describe());
    }
    int chunk = Math.max(1, Math.min(Sha256.CHUNK, stored.content.length));
    return BlobStore.verifying(new ByteArrayInputStream(stored.content), id, describe(), chunk);
  }

  @Override
  public InputStream open(String id, BlobManifest manifest) {
    BlobStore.checkManifest(id, manifest);
    Stored stored = blobs.get(id);
    if (stored == null) {
      throw new BlobNotFoundException(id, describe());
    }
    return manifest.verify(new ByteArrayInputStream(stored.content), describe());
  }

  @Override
  public InputStream openRange(String id, BlobManifest manifest, long offset, long length) {
    BlobStore.checkManifest(id, manifest);
    return manifest.verifyRange(offset, length, (start, end) -> {
      Stored stored = blobs.get(id);
      if (stored == null) {
        throw new BlobNotFoundException(id, describe());
      }
      int from = (int) Math.min(start, stored.content.length);
      return new ByteArrayInputStream(stored.content, from, stored.content.length - from);
    }, describe());
  }

  @Override
  public Optional<BlobInfo> stat(String id) {
    return Optional.ofNullable(blobs.get(BlobInfo.checkId(id))).map(s -> s.info(id));
  }

  @Override
  public boolean delete(String id) {
    return blobs.remove(BlobInfo.checkId(id)) != null;
  }

  @Override
  public void forEach(Consumer<BlobInfo> each) {
    Objects.requireNonNull(each, "each");
    blobs.forEach((id, stored) -> each.accept(stored.info(id)));
  }

  @Override
  public String describe() {
    return "in-memory blobs";
  }

  private static final class Stored {
    final byte[] content;
    final Instant storedAt;

    Stored(byte[] content, Instant storedAt) {
      this.content = content;
      this.storedAt = storedAt;
    }

    BlobInfo info(String id) {
      return new BlobInfo(id, content.length, storedAt);
    }
  }
}
