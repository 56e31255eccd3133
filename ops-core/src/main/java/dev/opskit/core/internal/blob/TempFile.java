package dev.opskit.core.internal.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary file a {@link LocalBlobStore} put is writing, with its open channel, forced to disk in the background as
 * it grows. Not thread-safe: one put writes it.
 */
final class TempFile {
  private static final Logger LOG = LoggerFactory.getLogger(TempFile.class);

  /**
   * The temporary files this JVM is writing, whatever the store instance. Opening a second store on the same
   * directory must not delete them, and probing them with a lock of our own could release the writer's: POSIX drops
   * a process's locks on a file when any of its descriptors for the file is closed.
   */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  /** Bytes written to a temporary file between two background write-backs. */
  static final long WRITE_BACK_BYTES = 32L << 20;

  /**
   * Forces the written part of large temporary files to disk in the background while the writer goes on hashing and
   * writing, so that the force before the rename has little left to wait for: a 1 GiB put otherwise hashes and
   * writes first and then waits for the whole file to reach the disk. At most four write-backs run at once; a put
   * that finds them busy skips one, since the final force makes the file durable anyway. Idle threads end.
   */
  private static final ThreadPoolExecutor WRITE_BACK = new ThreadPoolExecutor(0, 4, 5, TimeUnit.SECONDS,
      new SynchronousQueue<>(), runnable -> {
        Thread t = new Thread(runnable, "opskit-blob-write-back");
        t.setDaemon(true);
        return t;
      }, new ThreadPoolExecutor.DiscardPolicy());

  final Path path;
  final FileChannel channel;
  private long unforced;
  private @Nullable Future<?> writeBack;

  /** Registers a temporary file just created, as live in this JVM until it is discarded. */
  TempFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
    LIVE.add(path);
  }

  /** Whether this JVM is writing a temporary file, whatever the store instance. */
  static boolean isLive(Path path) {
    return LIVE.contains(path);
  }

  /** Takes the lock that tells cleaners in other processes this file is live; false if one holds it already. */
  boolean lock() {
    try {
      @Nullable FileLock lock = channel.tryLock();
      return lock != null;
    } catch (IOException e) {
      return true; // no locks on this file system; cleaners cannot take one either
    }
  }

  /** Counts bytes written, and starts a background write-back every {@link #WRITE_BACK_BYTES}. */
  void wrote(int n) {
    unforced += n;
    if (unforced >= WRITE_BACK_BYTES && (writeBack == null || writeBack.isDone())) {
      unforced = 0;
      writeBack = WRITE_BACK.submit(() -> {
        try {
          channel.force(false);
        } catch (IOException e) {
          // the force before the rename reports a failing disk; a closed channel means the put has ended
        }
      });
    }
  }

  /** Closes the channel and, unless the file was renamed into place, deletes it. */
  void discard(boolean placed) {
    LocalBlobStore.closeQuietly(channel);
    if (!placed) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        LOG.warn("could not delete the temporary file {}; the next open of the store removes it", path, e);
      }
    }
    LIVE.remove(path);
  }
}
