package dev.opskit.core.internal.blob;

import static dev.opskit.core.internal.blob.LocalBlobStore.PROCESS;
import static dev.opskit.core.internal.blob.LocalBlobStore.TEMP_PREFIX;
import static dev.opskit.core.internal.blob.LocalBlobStore.TEMP_SEQUENCE;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore.ContentWriter;
import dev.opskit.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes blobs into a {@link LocalBlobStore}'s directory: streams the content into a locked temporary file while
 * hashing it, then stamps the file with the clock, forces it to disk, renames it atomically into its shard folder and
 * forces that folder; a put of small content already stored intact only refreshes its stamp. It holds the root, the
 * clock, the shard folders known to be durable and whether this platform can force a directory.
 *
 * <p>Thread-safe: puts run at once, each on a temporary file of its own.
 */
final class LocalBlobWriter {
  /** LocalBlobStore's logger, so that logging set up for the store still covers this message. */
  private static final Logger LOG = LoggerFactory.getLogger(LocalBlobStore.class);

  /** A put of content already stored checks the stored copy, rather than replacing it, up to this size. */
  private static final long RECHECK_BYTES = 1 << 20;

  private final Path root;
  private final Clock clock;
  /** Shard folders known to exist with their entry in the root forced to disk. */
  private final Set<String> durableShards = ConcurrentHashMap.newKeySet();
  private volatile boolean directorySyncWorks = true;

  LocalBlobWriter(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  /** A blob placed, with the manifest computed on the way. */
  record Placed(BlobInfo info, BlobManifest manifest) {}

  /** Stores the content of a stream, read and hashed in chunks of {@value Sha256#CHUNK} bytes. */
  Placed store(InputStream content, BlobManifest.Hasher digest) {
    Objects.requireNonNull(content, "content");
    TempFile temp = createTemp();
    boolean[] placed = new boolean[1];
    try {
      byte[] buffer = new byte[Sha256.CHUNK];
      ByteBuffer chunk = ByteBuffer.wrap(buffer);
      int n;
      do {
        n = readChunk(content, buffer);
        digest.update(buffer, 0, n);
        chunk.clear().limit(n);
        while (chunk.hasRemaining()) {
          temp.channel.write(chunk);
        }
        temp.wrote(n);
      } while (n == buffer.length);
      return place(temp, digest.finish(), placedFlag -> placed[0] = placedFlag);
    } catch (IOException e) {
      throw new StoreException("could not store a blob in " + root + ": " + e + "; check free space and permissions",
          e);
    } finally {
      temp.discard(placed[0]);
    }
  }

  /** Stores the bytes a writer produces, hashed on the way by a {@link HashingChannelOutput}. */
  Placed storeWritten(ContentWriter writer, BlobManifest.Hasher digest) {
    Objects.requireNonNull(writer, "writer");
    TempFile temp = createTemp();
    boolean[] placed = new boolean[1];
    try {
      HashingChannelOutput out = new HashingChannelOutput(temp, digest);
      writer.writeTo(out);
      out.flushChunk();
      return place(temp, out.digest.finish(), placedFlag -> placed[0] = placedFlag);
    } catch (IOException e) {
      throw new StoreException("could not store a blob in " + root + ": " + e + "; check free space and permissions",
          e);
    } finally {
      temp.discard(placed[0]);
    }
  }

  /** Stamps, syncs and renames a fully written temp file into place. */
  private Placed place(TempFile temp, BlobManifest manifest, java.util.function.Consumer<Boolean> placed)
      throws IOException {
    String id = manifest.id();
    long size = manifest.size();
    Path target = LocalBlobStore.pathOf(root, id);
    Instant already = size <= RECHECK_BYTES ? refreshIfStored(target, id, size) : null;
    if (already != null) {
      // The content is stored and durable already: the temp file is dropped unforced, and the two forces are saved.
      return new Placed(new BlobInfo(id, size, already), manifest);
    }
    // Stamp after the last write, which would move the time, and before the force, which makes it durable.
    Files.setLastModifiedTime(temp.path, FileTime.from(clock.instant()));
    Instant storedAt = Files.getLastModifiedTime(temp.path).toInstant();
    temp.channel.force(true);

    ensureShard(id.substring(0, 2));
    try {
      Files.move(temp.path, target, StandardCopyOption.ATOMIC_MOVE);
      placed.accept(true);
    } catch (FileAlreadyExistsException e) {
      // A platform whose atomic rename does not replace: the existing file has this content, so refresh its stamp.
      Files.setLastModifiedTime(target, FileTime.from(storedAt));
    } catch (AtomicMoveNotSupportedException e) {
      throw new StoreException("the file system of " + root + " cannot rename files atomically, which a blob store"
          + " needs; choose a directory on a local file system", e);
    }
    syncDirectory(target.getParent());
    return new Placed(new BlobInfo(id, size, storedAt), manifest);
  }

  /**
   * Refreshes the stamp of a small blob that is already stored intact, as a put of the same content would by replacing
   * it.
   *
   * <p>A file under a blob's name was complete, and forced with its folder, when it was placed; if its content still
   * hashes to its name, a put of the same content need not write it again. A damaged file is replaced, as before. The
   * stamp moves so that a collection judging blobs by age keeps it: if a collection set the blob aside before the
   * stamp moved, the file is gone and the put places its own copy; if after, the collection sees the fresh stamp and
   * puts the blob back.
   *
   * @return the new stamp, or null if the blob is not stored intact (then the put places its own copy)
   */
  private @Nullable Instant refreshIfStored(Path target, String id, long size) throws IOException {
    byte[] existing;
    try {
      if (Files.size(target) != size) {
        return null;
      }
      existing = Files.readAllBytes(target);
    } catch (NoSuchFileException e) {
      return null;
    }
    MessageDigest check = Sha256.newDigest();
    check.update(existing);
    if (!Sha256.hex(check).equals(id)) {
      return null;
    }
    try {
      Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
      return Files.getLastModifiedTime(target).toInstant();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private int readChunk(InputStream content, byte[] buffer) {
    try {
      return content.readNBytes(buffer, 0, buffer.length);
    } catch (IOException e) {
      throw new StoreException("could not read the content to store in " + root + ": " + e + "; nothing was stored",
          e);
    }
  }

  /** Creates the shard folder if needed and makes its entry in the root durable before a blob is renamed into it. */
  void ensureShard(String shard) throws IOException {
    if (durableShards.contains(shard)) {
      return;
    }
    Path dir = root.resolve(shard);
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new IOException(dir + " is in the way of a shard folder: it is not a directory", e);
      }
    }
    syncDirectory(root);
    durableShards.add(shard);
  }

  /** Forces the root to disk and notes the shard folders it holds as durable; the store does this when it opens. */
  void registerShards() {
    syncDirectory(root);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (LocalBlobStore.isHex(name, 2) && Files.isDirectory(entry, NOFOLLOW_LINKS)) {
          durableShards.add(name);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      throw new StoreException("could not list the blob store directory " + root + ": " + e, e);
    }
  }

  /** Forces a directory's entries to disk. Some platforms cannot open a directory; there the rename must do. */
  private void syncDirectory(Path dir) {
    if (!directorySyncWorks) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      directorySyncWorks = false;
      LOG.debug("cannot force directory {} to disk on this platform ({}); relying on atomic renames alone", dir,
          e.toString());
    }
  }

  /** Creates a temporary file in the root and locks it as live; whoever created it discards it. */
  TempFile createTemp() {
    for (int attempt = 0; ; attempt++) {
      Path path = root.resolve(TEMP_PREFIX + PROCESS + "-" + TEMP_SEQUENCE.incrementAndGet());
      FileChannel channel;
      try {
        channel = FileChannel.open(path, CREATE_NEW, WRITE);
      } catch (FileAlreadyExistsException e) {
        if (attempt < 100) {
          continue; // another host with the same process id shares the directory
        }
        throw new StoreException("could not create a temporary file in " + root + ": " + e, e);
      } catch (IOException e) {
        throw new StoreException("could not create a temporary file in " + root + ": " + e
            + "; check its permissions and free space", e);
      }
      TempFile temp = new TempFile(path, channel);
      if (!temp.lock()) {
        temp.discard(false);
        continue; // a cleaner in another process got it first and is deleting it
      }
      return temp;
    }
  }
}
