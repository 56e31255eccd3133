package dev.opskit.core.internal.blob;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.opskit.store.BlobInfo;
import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobNotFoundException;
import dev.opskit.store.BlobStore;
import dev.opskit.store.CorruptBlobException;
import dev.opskit.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed files in a local directory: the blob {@code abcdef...} lives in {@code <root>/ab/cdef...}.
 *
 * <p>A put streams the content into a temporary file {@code <root>/.tmp-<pid>-<n>} while hashing it, in one pass with
 * a {@value Sha256#CHUNK}-byte buffer. It then stamps the file with the clock, forces it to disk, renames it
 * atomically into its shard folder and forces that folder, so that a blob is either absent or complete and durable.
 * Putting content that exists replaces the file with the fresh copy, which refreshes its stamp and repairs a corrupt
 * copy. A blob's {@code storedAt} is its file's last-modified time.
 *
 * <p>A writer holds a lock on its temporary file. Opening a store deletes the temporary files no live writer holds,
 * which a crash left behind. Reads are verified by {@link BlobStore#verifying}.
 *
 * <p>{@link LocalBlobWriter} writes and places the blobs; this class reads, lists and deletes them, and cleans up what
 * a crash left behind when it opens.
 *
 * <p>Thread-safe, and safe for several processes sharing the directory.
 */
public final class LocalBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBlobStore.class);

  /** How every temporary file's name starts; nothing else in the root starts so. */
  static final String TEMP_PREFIX = ".tmp-";

  /** This process's id and a sequence, which make the names of its temporary files. */
  static final String PROCESS = Long.toString(ProcessHandle.current().pid());
  static final AtomicLong TEMP_SEQUENCE = new AtomicLong();

  private final Path root;
  private final String description;
  /** Writes and places the blobs, and keeps the shard folders durable. */
  private final LocalBlobWriter blobWriter;

  private LocalBlobStore(Path root, Clock clock) {
    this.root = root;
    this.description = "local blobs in " + root;
    this.blobWriter = new LocalBlobWriter(root, clock);
  }

  /**
   * Opens a store, creating its directory if missing, checking that it is writable and deleting temporary files a
   * crash left behind.
   *
   * @param directory the root directory
   * @param clock stamps blobs when they are put
   * @return the store
   * @throws StoreException naming the directory if it cannot be created or written
   */
  public static LocalBlobStore open(Path directory, Clock clock) {
    Path root = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    Objects.requireNonNull(clock, "clock");
    try {
      Files.createDirectories(root);
    } catch (FileAlreadyExistsException e) {
      throw new StoreException("cannot use " + root + " as a blob store directory: it exists and is not a directory;"
          + " choose another path", e);
    } catch (IOException e) {
      throw new StoreException("cannot create the blob store directory " + root + ": " + e
          + "; check that its parent is a writable directory", e);
    }
    LocalBlobStore store = new LocalBlobStore(root, clock);
    store.probeWritable();
    store.removeAbandonedTemps();
    store.blobWriter.registerShards();
    return store;
  }

  @Override
  public BlobInfo put(InputStream content) {
    return blobWriter.store(content, BlobManifest.hasherWithoutChunkDigests()).info();
  }

  @Override
  public BlobManifest putWithManifest(InputStream content) {
    return blobWriter.store(content, BlobManifest.hasher()).manifest();
  }

  @Override
  public BlobInfo write(ContentWriter writer) {
    return blobWriter.storeWritten(writer, BlobManifest.hasherWithoutChunkDigests()).info();
  }

  @Override
  public BlobManifest writeWithManifest(ContentWriter writer) {
    return blobWriter.storeWritten(writer, BlobManifest.hasher()).manifest();
  }

  /**
   * Deletes a blob judged old, safely against a concurrent put of the same content: the blob is first renamed aside,
   * so a put that lands meanwhile writes a fresh file under the real name; the aside copy is deleted only if its stamp
   * is still old, and put back otherwise.
   */
  @Override
  public boolean deleteIfStoredBefore(String id, Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    Path path = pathOf(BlobInfo.checkId(id));
    Path aside = root.resolve(TEMP_PREFIX + "gc-" + id + "-" + PROCESS + "-" + TEMP_SEQUENCE.incrementAndGet());
    try {
      Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new StoreException("could not delete blob " + id + " at " + path + ": " + e, e);
    }
    try {
      Instant stamp = Files.getLastModifiedTime(aside).toInstant();
      if (stamp.isBefore(cutoff)) {
        Files.delete(aside);
        return true;
      }
      try {
        Files.move(aside, path, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        Files.delete(aside);
      }
      return false;
    } catch (IOException e) {
      throw new StoreException("could not delete blob " + id + " at " + path + ": " + e, e);
    }
  }

  private void restoreAside(Path aside, String id) throws IOException {
    Path target = pathOf(BlobInfo.checkId(id));
    blobWriter.ensureShard(id.substring(0, 2));
    try {
      Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
      LOG.info("restored blob {} that a garbage collection had set aside when it stopped", id);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(aside);
    }
  }

  @Override
  public InputStream open(String id) {
    Path path = pathOf(BlobInfo.checkId(id));
    FileChannel channel;
    try {
      channel = FileChannel.open(path, READ);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(id, description);
    } catch (IOException e) {
      throw new StoreException("could not open blob " + id + " at " + path + ": " + e, e);
    }
    try {
      int chunk = (int) Math.max(1, Math.min(Sha256.CHUNK, channel.size()));
      return BlobStore.verifying(Channels.newInputStream(channel), id, path.toString(), chunk);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw new StoreException("could not open blob " + id + " at " + path + ": " + e, e);
    }
  }

  /**
   * Opens a blob checked chunk by chunk against its manifest. The stored file is read as it is, without the
   * whole-content check of {@link #open(String)}: the manifest's last check is the whole content's. A symbolic link in
   * the blob's place is reported as corrupt: the store only ever writes regular files.
   */
  @Override
  public InputStream open(String id, BlobManifest manifest) {
    BlobStore.checkManifest(id, manifest);
    Path path = pathOf(id);
    return manifest.verify(Channels.newInputStream(openStored(id, path, 0)), path.toString());
  }

  /**
   * Opens a range checked against the manifest, with a positioned read: the file is read from the start of the
   * range's first chunk (or from its start, for a manifest without chunk digests), never before.
   */
  @Override
  public InputStream openRange(String id, BlobManifest manifest, long offset, long length) {
    BlobStore.checkManifest(id, manifest);
    Path path = pathOf(id);
    return manifest.verifyRange(offset, length, (start, end) -> Channels.newInputStream(openStored(id, path, start)),
        path.toString());
  }

  /** Opens a blob's file for a manifest read, at a byte; a symbolic link in its place is corrupt. */
  private FileChannel openStored(String id, Path path, long start) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, READ, NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(id, description);
    } catch (IOException e) {
      if (Files.isSymbolicLink(path)) {
        throw new CorruptBlobException(id, path.toString(), start, "it is a symbolic link, and the store writes "
            + "only regular files");
      }
      throw new StoreException("could not open blob " + id + " at " + path + ": " + e, e);
    }
    try {
      return channel.position(start);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException("could not read blob " + id + " at " + path + " from byte " + start + ": " + e, e);
    }
  }

  @Override
  public Optional<BlobInfo> stat(String id) {
    Path path = pathOf(BlobInfo.checkId(id));
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return attributes.isRegularFile() ? Optional.of(info(id, attributes)) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("could not describe blob " + id + " at " + path + ": " + e, e);
    }
  }

  @Override
  public boolean delete(String id) {
    Path path = pathOf(BlobInfo.checkId(id));
    try {
      return Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new StoreException("could not delete blob " + id + " at " + path + ": " + e, e);
    }
  }

  @Override
  public void forEach(Consumer<BlobInfo> each) {
    Objects.requireNonNull(each, "each");
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(root)) {
      for (Path shard : shards) {
        String prefix = shard.getFileName().toString();
        if (isHex(prefix, 2) && Files.isDirectory(shard, NOFOLLOW_LINKS)) {
          forEachIn(shard, prefix, each);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      throw new StoreException("could not list the blobs in " + root + ": " + e, e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  private void forEachIn(Path shard, String prefix, Consumer<BlobInfo> each) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
      for (Path file : files) {
        String id = prefix + file.getFileName();
        if (!isHex(id, 64)) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException deletedMeanwhile) {
          continue;
        }
        if (attributes.isRegularFile()) {
          each.accept(info(id, attributes));
        }
      }
    }
  }

  private static BlobInfo info(String id, BasicFileAttributes attributes) {
    return new BlobInfo(id, attributes.size(), attributes.lastModifiedTime().toInstant());
  }

  private Path pathOf(String id) {
    return pathOf(root, id);
  }

  /** Where a blob lives in a store's root. */
  static Path pathOf(Path root, String id) {
    return root.resolve(id.substring(0, 2)).resolve(id.substring(2));
  }


  private void probeWritable() {
    TempFile probe;
    try {
      probe = blobWriter.createTemp();
    } catch (StoreException e) {
      throw new StoreException("the blob store directory " + root + " is not writable: " + e.getCause()
          + "; check its permissions", e.getCause());
    }
    probe.discard(false);
  }

  /** Deletes the temporary files of writers that died: those of no live writer here, and locked by none elsewhere. */
  private void removeAbandonedTemps() {
    int removed = 0;
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(root, TEMP_PREFIX + "*")) {
      for (Path temp : temps) {
        String name = temp.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX + "gc-") && Files.isRegularFile(temp, NOFOLLOW_LINKS)) {
          // A collector died while a blob was set aside; the blob may still be wanted, so put it back.
          restoreAside(temp, name.substring((TEMP_PREFIX + "gc-").length(), (TEMP_PREFIX + "gc-").length() + 64));
          continue;
        }
        if (!TempFile.isLive(temp) && Files.isRegularFile(temp, NOFOLLOW_LINKS) && removeIfAbandoned(temp)) {
          removed++;
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      throw new StoreException("could not remove temporary files from the blob store directory " + root + ": " + e
          + "; check its permissions", e);
    }
    if (removed > 0) {
      LOG.info("removed {} temporary files a crash left in {}", removed, root);
    }
  }

  private static boolean removeIfAbandoned(Path temp) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, WRITE)) {
      @Nullable FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        return false;
      } catch (IOException e) {
        // No locks on this file system: nothing can tell a live writer, and the contract is to clean up.
        LOG.debug("cannot lock {} ({}); deleting it as a leftover", temp, e.toString());
        return Files.deleteIfExists(temp);
      }
      if (lock == null) {
        return false; // another process is writing it
      }
      return Files.deleteIfExists(temp);
    } catch (NoSuchFileException e) {
      return false;
    }
  }


  static boolean isHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("could not close {}", channel, e);
    }
  }
}
