package dev.opskit.core.internal.blob;

import dev.opskit.store.BlobManifest;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The stream a {@link BlobStore.ContentWriter} writes a blob into: buffers the writes into chunks, hashing each chunk
 * and writing it to the temporary file's channel. {@link LocalBlobWriter} writes out the last chunk with
 * {@link #flushChunk} when the writer is done, then finishes the {@link #digest}. Not thread-safe: one put writes it.
 */
final class HashingChannelOutput extends OutputStream {
  /** The buffer's first size. */
  static final int FIRST_BUFFER = 8 * 1024;
  private final TempFile temp;
  /** Hashes the chunks written out; the put finishes it once the last one is. */
  final BlobManifest.Hasher digest;
  /**
   * Starts at {@value #FIRST_BUFFER} bytes and doubles while the content fills it, up to {@value Sha256#CHUNK}: most
   * blobs a registration or a small dataset writes are a few KiB, and a full chunk for each was a sixth of the bytes
   * a registration allocated.
   */
  private byte[] buffer = new byte[FIRST_BUFFER];
  private int filled;

  HashingChannelOutput(TempFile temp, BlobManifest.Hasher digest) {
    this.temp = temp;
    this.digest = digest;
  }

  @Override
  public void write(int b) throws IOException {
    if (filled == buffer.length) {
      makeRoom();
    }
    buffer[filled++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      if (filled == buffer.length) {
        makeRoom();
      }
      int n = Math.min(len, buffer.length - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  /** Grows a full buffer while it is smaller than a chunk, and writes it out once it is a chunk. */
  private void makeRoom() throws IOException {
    if (buffer.length < Sha256.CHUNK) {
      buffer = Arrays.copyOf(buffer, Math.min(Sha256.CHUNK, buffer.length * 2));
    } else {
      flushChunk();
    }
  }

  void flushChunk() throws IOException {
    if (filled == 0) {
      return;
    }
    digest.update(buffer, 0, filled);
    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, filled);
    while (chunk.hasRemaining()) {
      temp.channel.write(chunk);
    }
    temp.wrote(filled);
    filled = 0;
  }

  @Override
  public void flush() {
    // Chunks go to the channel when full; the last one when the writer is done.
  }

  @Override
  public void close() {
    // The store closes the channel.
  }
}
