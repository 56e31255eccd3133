package dev.opskit.s3.internal;

import dev.opskit.store.BlobManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content on its way to S3, hashed as it arrives, since its key is its SHA-256. Up to a limit it is held in memory, in
 * a buffer that grows as needed, and hashed on the caller's thread; past it, it is spooled to a file, so that heap use
 * stays bounded whatever the size, and a {@link SpoolWriter} hashes it and writes the file on threads of their own
 * while the caller's thread reads. Closing it deletes the file. Not thread-safe, but {@link #open(long, long)} may be
 * called from several threads once the content is complete.
 */
final class Staged extends OutputStream {
  private static final Logger LOG = LoggerFactory.getLogger(Staged.class);
  /** How a spool file's name starts. */
  static final String PREFIX = "opskit-s3-";
  /** How a spool file's name ends. */
  static final String SUFFIX = ".spool";

  private final BlobManifest.Hasher hasher;
  private final int memoryLimit;
  private final Path spoolDirectory;
  private byte[] buffer = new byte[8192];
  private int buffered;
  private @Nullable Path file;
  private @Nullable FileChannel channel;
  private @Nullable SpoolWriter spooler;
  private @Nullable BlobManifest manifest;

  Staged(long memoryLimit, Path spoolDirectory, BlobManifest.Hasher hasher) {
    this.hasher = hasher;
    this.memoryLimit = (int) Math.min(Integer.MAX_VALUE - 16, memoryLimit);
    this.spoolDirectory = spoolDirectory;
  }

  /**
   * Copies a stream to its end: in pieces of at most 128 KiB while it fits in memory, and, once it is spooled, straight
   * into the spool's buffers.
   */
  void copyFrom(InputStream content) throws IOException {
    byte[] piece = new byte[128 * 1024];
    SpoolWriter s;
    while ((s = spooler) == null) {
      int n = content.read(piece);
      if (n == -1) {
        return;
      }
      write(piece, 0, n);
    }
    s.readFrom(content);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (manifest != null) {
      throw new IllegalStateException("the content is complete");
    }
    if (len == 0) {
      return;
    }
    if (channel == null && (long) buffered + len <= memoryLimit) {
      hasher.update(b, off, len);
      if (buffered + len > buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(memoryLimit, Math.max(buffered + len, 2L * buffer.length)));
      }
      System.arraycopy(b, off, buffer, buffered, len);
      buffered += len;
      return;
    }
    if (channel == null) {
      spill();
    }
    Objects.requireNonNull(spooler, "the content is complete").write(b, off, len);
  }

  /** Writes what is in memory to a new spool file, whose writer hashes and writes everything after it. */
  private void spill() throws IOException {
    Path spool = Files.createTempFile(spoolDirectory, PREFIX, SUFFIX);
    file = spool;
    channel = FileChannel.open(spool, StandardOpenOption.WRITE, StandardOpenOption.READ);
    writeFully(ByteBuffer.wrap(buffer, 0, buffered));
    buffer = new byte[0];
    buffered = 0;
    spooler = new SpoolWriter(channel, hasher);
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    FileChannel c = Objects.requireNonNull(channel);
    while (bytes.hasRemaining()) {
      c.write(bytes);
    }
  }

  /**
   * Ends the content: no more bytes are accepted, every byte is hashed, and the spool file, if any, holds every byte.
   *
   * @throws IOException if the spool file could not be written
   */
  BlobManifest finish() throws IOException {
    if (manifest == null) {
      SpoolWriter s = spooler;
      spooler = null;
      if (s != null) {
        s.finish();
      }
      manifest = hasher.finish();
    }
    return manifest;
  }

  BlobManifest manifest() {
    return Objects.requireNonNull(manifest, "finish() first");
  }

  long size() {
    return manifest().size();
  }

  /** Whether the whole content is in memory, and so goes in one request. */
  boolean inMemory() {
    return channel == null;
  }

  /** The SHA-256 of the content in base64, as S3 checksums are written. */
  String sha256Base64() {
    return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(manifest().id()));
  }

  /**
   * The ETag S3 gives this content when it is stored in one piece (the hex MD5 of the content), or, with a part size,
   * as a multipart upload in parts of that size (the hex MD5 of the parts' MD5s, a dash and the number of parts). It
   * reads the content once more, from memory or from the spool file; stores with SSE-KMS give other ETags.
   *
   * @param partSize the part size, or 0 for one piece
   * @return the ETag, without quotes
   */
  String eTag(long partSize) {
    MessageDigest whole = md5();
    MessageDigest part = md5();
    long size = size();
    long step = partSize > 0 ? partSize : Math.max(1, size);
    int parts = 0;
    byte[] chunk = new byte[(int) Math.min(1 << 20, Math.max(1, size))];
    try {
      for (long offset = 0; offset < size || parts == 0; offset += step) {
        long length = Math.min(step, size - offset);
        try (InputStream in = open(offset, length)) {
          for (int n; (n = in.read(chunk)) != -1; ) {
            part.update(chunk, 0, n);
          }
        }
        parts++;
        if (partSize > 0) {
          whole.update(part.digest());
        }
        if (length <= 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the spooled content again", e);
    }
    return partSize > 0 ? HexFormat.of().formatHex(whole.digest()) + "-" + parts
        : HexFormat.of().formatHex(part.digest());
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5, which every Java platform must provide", e);
    }
  }

  /**
   * Opens a part of the content; each call gives a fresh stream, so that the SDK can send a part again.
   *
   * @param offset the first byte
   * @param length how many bytes
   * @return the bytes
   */
  InputStream open(long offset, long length) {
    if (channel == null) {
      return new ByteArrayInputStream(buffer, (int) offset, (int) length);
    }
    return new RegionInputStream(channel, offset, length);
  }

  /** Deletes the spool file, if any. Idempotent. */
  @Override
  public void close() {
    SpoolWriter s = spooler;
    spooler = null;
    if (s != null) {
      s.abandon();
    }
    FileChannel c = channel;
    Path f = file;
    channel = null;
    file = null;
    buffer = new byte[0];
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        LOG.debug("could not close the spool file {}", f, e);
      }
    }
    if (f != null) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        LOG.warn("could not delete the spool file {}; delete it by hand", f, e);
      }
    }
  }

  /** Reads a region of a file with positional reads, which several threads may do at once on one channel. */
  private static final class RegionInputStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    RegionInputStream(FileChannel channel, long offset, long length) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (position >= end) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
      if (n < 0) {
        throw new UncheckedIOException(new IOException("the spool file ended early at byte " + position));
      }
      position += n;
      return n;
    }
  }
}
