package dev.opskit.core.internal.metadata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit journal of an embedded H2 file: what makes a commit durable without storing the file at every commit.
 *
 * <p>H2 makes a commit durable by storing a chunk of every B-tree page it changed and every page above them. Stored at
 * every commit (grouped, {@link H2GroupCommit}), that came to 40-46 KB per registration, of which the records
 * themselves are 2-4 KB: most of it the pages above the leaves, rewritten for each commit. The file grew faster than
 * anything could reclaim it under sustained writes, and each commit waited for its store (a single writer's
 * registration p99 at 5-10 ms). With the journal, each write transaction appends what it wrote (the records' new
 * bodies, versions and attributes, the deleted keys, the counters' new values) to an append-only file once the
 * database committed it, still under the store's writer lock, so the journal's order is the commit order; the commit
 * is acknowledged once that append returns, on file as before (written, not forced: a killed process loses nothing;
 * the journal is forced to disk once a second, as the database file is). The database file is stored in the
 * background, every round of {@link H2Housekeeping} (500 ms) that follows commits, and after each such store and a
 * forced write of the file the journal records a checkpoint: every commit up to it is in the file. With 100 ms
 * between stores, one thread's registrations wrote 3-4 KB each instead of 32-46 (measured 2026-12-07, {@code
 * BytesProbe}).
 *
 * <p>At open, after the schema's migrations, the journal's commits after its last checkpoint are applied again: each
 * record or counter a commit wrote is set to the state that commit left it in, and each key it deleted is deleted, in
 * journal order. Whatever prefix of those commits the file already held, the result is the state after the last of
 * them, because every commit since the checkpoint is in the journal. A frame cut short at the end (the process died
 * while appending it) is the one commit that was never acknowledged, and is left out. The replayed state is stored,
 * the journal starts a new file with a checkpoint, and the old files are deleted.
 *
 * <p>The journal belongs to the database: its identity is a random number kept in the database itself (a counter no
 * caller can name), and written into each journal file's header. Files whose header names another database (a file
 * copied without its journal, or a database deleted and created again) are moved aside with a {@code .stale} suffix and
 * a warning, never applied.
 *
 * <p>Files are {@code <database>.journal.<generation>}: a header, then frames of {@code [length][CRC-32][payload]}. The
 * journal moves to a new file at a checkpoint once the current one holds {@value #ROTATE_BYTES} bytes; an older file
 * is deleted once a checkpoint covers its last commit. One journal per database file and JVM, shared by the stores of
 * that JVM open on it, as their writer lock is. Thread-safe.
 */
final class H2Journal implements AutoCloseable {
  /** The size at which the journal moves to a new file, at its next checkpoint. */
  static final long ROTATE_BYTES = 64L * 1024 * 1024;
  /** The counter holding the database's journal identity; a control character keeps it out of callers' reach. */
  static final String ID_COUNTER = "\u0001opskit-journal";

  private static final Logger LOG = LoggerFactory.getLogger(H2Journal.class);
  private static final byte COMMIT = JournalFormat.COMMIT;
  private static final byte CHECKPOINT = JournalFormat.CHECKPOINT;
  /** The journals open in this JVM, by database file. Guarded by itself. */
  private static final Map<Path, H2Journal> OPEN = new HashMap<>();

  /** One change a committed transaction made. */
  sealed interface Effect permits Put, Delete, Counter {}

  /**
   * A record as a commit left it.
   *
   * @param collection its collection
   * @param key its key
   * @param version its version after the commit
   * @param body its body
   * @param attributes its attributes, normalized
   */
  record Put(String collection, String key, long version, String body, Map<String, Object> attributes)
      implements Effect {}

  /**
   * A record a commit deleted.
   *
   * @param collection its collection
   * @param key its key
   */
  record Delete(String collection, String key) implements Effect {}

  /**
   * A counter as a commit left it.
   *
   * @param name the counter
   * @param value its value after the commit
   */
  record Counter(String name, long value) implements Effect {}

  private final Path base;
  private final MVStore store;
  private final String description;
  private final long id;
  private final long rotateBytes;
  /** The stores of this JVM sharing the journal. Guarded by OPEN. */
  private int holders = 1;

  // guarded by this
  private FileChannel channel;
  private long generation;
  private long lastSeq;
  private long checkpointed;
  private boolean unforced;
  private long lastForce = System.nanoTime();
  private @Nullable IOException failure;
  private boolean closed;
  /** Files the journal moved on from, with the last commit each holds, until a checkpoint covers it. */
  private final List<Map.Entry<Path, Long>> retired = new ArrayList<>();

  private H2Journal(Path base, MVStore store, String description, long id, long rotateBytes, FileChannel channel,
      long generation, long lastSeq) {
    this.base = base;
    this.store = store;
    this.description = description;
    this.id = id;
    this.rotateBytes = rotateBytes;
    this.channel = channel;
    this.generation = generation;
    this.lastSeq = lastSeq;
    this.checkpointed = lastSeq;
  }

  /**
   * Opens the journal of a database, applying again the commits its file had not stored; or, if a store of this JVM
   * has it open already, shares it.
   *
   * @param base the database file without {@code .mv.db}; the journal's files are named after it
   * @param c a connection to the database, in auto-commit mode, after its migrations
   * @param store the database's store
   * @param description the store, for messages
   * @param rotateBytes the size at which the journal moves to a new file
   * @return the journal
   * @throws SQLException if the commits cannot be applied, or the journal cannot be read or started
   */
  static H2Journal open(Path base, Connection c, MVStore store, String description, long rotateBytes)
      throws SQLException {
    synchronized (OPEN) {
      H2Journal open = OPEN.get(base);
      if (open != null) {
        open.holders++;
        return open;
      }
      H2Journal j = recover(base, c, store, description, rotateBytes);
      OPEN.put(base, j);
      return j;
    }
  }

  private static H2Journal recover(Path base, Connection c, MVStore store, String description, long rotateBytes)
      throws SQLException {
    try {
      Long known = readId(c);
      List<Path> files = JournalFormat.files(base);
      long generation = 0;
      long checkpoint = -1;
      long lastSeq = 0;
      List<JournalFormat.Frame> commits = new ArrayList<>();
      for (Path f : files) {
        generation = Math.max(generation, JournalFormat.generationOf(base, f));
        JournalFormat.JournalFile read = JournalFormat.read(f);
        if (read.id() == null && Files.size(f) < JournalFormat.HEADER_BYTES) {
          // created, but the process ended before its header was written: it holds nothing
          Files.delete(f);
          continue;
        }
        if (read.id() == null || known == null || read.id().longValue() != known.longValue()) {
          Path aside = f.resolveSibling(f.getFileName() + ".stale");
          Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
          LOG.warn("The journal file {} does not belong to the {} (it was written for another database file); it was "
              + "moved to {} and not applied", f, description, aside);
          continue;
        }
        if (read.torn() && !f.equals(files.get(files.size() - 1))) {
          LOG.warn("The journal file {} of the {} ends in a damaged frame that is not the last one written; the "
              + "commits after it in that file cannot be read", f, description);
        }
        for (JournalFormat.Frame frame : read.frames()) {
          lastSeq = Math.max(lastSeq, frame.seq());
          if (frame.type() == CHECKPOINT) {
            checkpoint = Math.max(checkpoint, frame.seq());
          } else {
            commits.add(frame);
          }
        }
      }
      long after = checkpoint;
      List<JournalFormat.Frame> replay = commits.stream().filter(f -> f.seq() > after).sorted(Comparator.comparingLong(JournalFormat.Frame::seq))
          .toList();
      long id = known == null ? new SecureRandom().nextLong() : known;
      apply(c, replay, known == null ? id : null, description);
      if (!replay.isEmpty()) {
        LOG.info("Applied {} commits from the journal of the {} that its file had not stored when the process ended",
            replay.size(), description);
      }
      store.commit();
      store.sync();
      long next = generation + 1;
      FileChannel channel = JournalFormat.create(base, id, next);
      H2Journal j = new H2Journal(base, store, description, id, rotateBytes, channel, next, lastSeq);
      synchronized (j) {
        j.writeFrame(CHECKPOINT, lastSeq, null);
        channel.force(false);
      }
      forceDirectory(base);
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
      return j;
    } catch (IOException e) {
      throw new SQLException("could not read or start the journal of the " + description + " (" + base
          + ".journal.*): " + e.getMessage(), e);
    }
  }

  /**
   * Appends a committed transaction's changes; the commit is durable once this returns. Called under the store's
   * writer lock, right after the database committed, so that the journal's order is the commit order.
   *
   * @param effects the transaction's changes, in the order it made them
   * @throws IOException if the journal cannot be written: then the commit is visible but may be lost if the process
   *     ends, and every later append fails too
   */
  synchronized void append(List<Effect> effects) throws IOException {
    if (failure != null) {
      throw new IOException("an earlier write to the journal failed: " + failure.getMessage(), failure);
    }
    if (closed) {
      throw new IOException("the journal is closed");
    }
    try {
      writeFrame(COMMIT, lastSeq + 1, effects);
      lastSeq++;
      unforced = true;
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Why writes are refused, if an append failed.
   *
   * @return the failure, or null
   */
  synchronized @Nullable IOException failure() {
    return failure;
  }

  /**
   * Stores the database file, forces it to disk and records a checkpoint, if anything was committed since the last;
   * moves to a new journal file once the current one is large, and deletes those a checkpoint now covers.
   *
   * @throws IOException if the journal cannot be written
   */
  void checkpoint() throws IOException {
    long upTo;
    synchronized (this) {
      if (closed || failure != null || lastSeq == checkpointed) {
        return;
      }
      upTo = lastSeq;
    }
    // every commit up to upTo was committed in the database before it was appended, so this store holds it
    store.commit();
    store.sync();
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        writeFrame(CHECKPOINT, upTo, null);
        checkpointed = Math.max(checkpointed, upTo);
        retired.removeIf(r -> {
          if (r.getValue() <= checkpointed) {
            try {
              Files.deleteIfExists(r.getKey());
            } catch (IOException e) {
              LOG.warn("Could not delete the journal file {} of the {}, which is no longer needed", r.getKey(),
                  description, e);
            }
            return true;
          }
          return false;
        });
        if (channel.size() >= rotateBytes) {
          rotate();
        }
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * Forces the journal to disk if it was written since the last time and at least {@code periodMillis} ago.
   *
   * @param periodMillis the least time between two forced writes
   * @throws IOException if it cannot be forced
   */
  synchronized void forceIfDue(long periodMillis) throws IOException {
    long now = System.nanoTime();
    if (unforced && !closed && now - lastForce >= periodMillis * 1_000_000L) {
      channel.force(false);
      unforced = false;
      lastForce = now;
    }
  }

  /**
   * The number of the last commit appended.
   *
   * @return it, 0 before the first
   */
  synchronized long appended() {
    return lastSeq;
  }

  /** The number of commits appended since the last checkpoint; for tests. */
  synchronized long pending() {
    return lastSeq - checkpointed;
  }

  /** The journal's current file; for tests. */
  synchronized Path currentFile() {
    return JournalFormat.fileOf(base, generation);
  }

  /**
   * Gives back a store's share; the last one checkpoints (so that the files need no replay at the next open) and
   * closes the journal. The database stays open.
   */
  @Override
  public void close() {
    synchronized (OPEN) {
      if (--holders > 0) {
        return;
      }
      OPEN.remove(base);
    }
    try {
      checkpoint();
    } catch (IOException | RuntimeException e) {
      // the journal keeps what the file may lack, and the next open applies it
      LOG.debug("Final checkpoint of the journal of the {} failed", description, e);
    }
    synchronized (this) {
      closed = true;
      try {
        channel.force(false);
        channel.close();
      } catch (IOException e) {
        LOG.warn("Could not close the journal of the {}", description, e);
      }
    }
  }

  private void writeFrame(byte type, long seq, @Nullable List<Effect> effects) throws IOException {
    ByteBuffer buffer = JournalFormat.frame(type, seq, effects);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private void rotate() throws IOException {
    channel.force(false);
    channel.close();
    retired.add(Map.entry(JournalFormat.fileOf(base, generation), lastSeq));
    generation++;
    channel = JournalFormat.create(base, id, generation);
    writeFrame(CHECKPOINT, checkpointed, null);
    channel.force(false);
    forceDirectory(base);
  }

  /** Applies commits again, in order, in one database transaction, with the journal's identity if it is new. */
  private static void apply(Connection c, List<JournalFormat.Frame> commits, @Nullable Long newId, String description)
      throws SQLException {
    if (commits.isEmpty() && newId == null) {
      return;
    }
    c.setAutoCommit(false);
    try {
      AttributeRows attributes = new AttributeRows(c, Dialect.H2, description);
      try (PreparedStatement record = c.prepareStatement(
              "MERGE INTO ops_record (collection, rkey, version, body) KEY (collection, rkey) VALUES (?, ?, ?, ?)");
          PreparedStatement delete = c.prepareStatement("DELETE FROM ops_record WHERE collection = ? AND rkey = ?");
          PreparedStatement counter = c.prepareStatement(
              "MERGE INTO ops_counter (name, current_value) KEY (name) VALUES (?, ?)")) {
        for (JournalFormat.Frame f : commits) {
          for (Effect e : f.effects()) {
            if (e instanceof Put p) {
              attributes.deleteAll(p.collection(), p.key());
              record.setString(1, p.collection());
              record.setString(2, p.key());
              record.setLong(3, p.version());
              record.setString(4, p.body());
              record.executeUpdate();
              attributes.write(p.collection(), p.key(), p.attributes());
            } else if (e instanceof Delete d) {
              attributes.deleteAll(d.collection(), d.key());
              delete.setString(1, d.collection());
              delete.setString(2, d.key());
              delete.executeUpdate();
            } else if (e instanceof Counter k) {
              counter.setString(1, k.name());
              counter.setLong(2, k.value());
              counter.executeUpdate();
            }
          }
        }
        if (newId != null) {
          counter.setString(1, ID_COUNTER);
          counter.setLong(2, newId);
          counter.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static @Nullable Long readId(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT current_value FROM ops_counter WHERE name = ?")) {
      p.setString(1, ID_COUNTER);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** Makes a new journal file's name durable, so that a power cut cannot leave the old ones deleted and it missing. */
  private static void forceDirectory(Path base) {
    try (FileChannel dir = FileChannel.open(base.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory; the kernel writes the name back on its own
      LOG.debug("Could not force the directory of {}", base, e);
    }
  }
}
