package dev.opskit.data.codec;

import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A decode context over content in memory, or in a blob store, that counts how often it is opened and closed. */
final class MemoryDecodeContext implements DatasetCodec.DecodeContext {
  private final Supplier<InputStream> content;
  private final String versionId;
  private final BlobStore blobs;
  private final Path scratch;
  private final AtomicInteger opens = new AtomicInteger();
  private final AtomicInteger closes = new AtomicInteger();

  private MemoryDecodeContext(Supplier<InputStream> content, String versionId, BlobStore blobs, Path scratch) {
    this.content = content;
    this.versionId = versionId;
    this.blobs = blobs;
    this.scratch = scratch;
  }

  /** Reads bytes held in memory; the version id is their SHA-256. */
  static MemoryDecodeContext of(byte[] bytes, BlobStore blobs, Path scratch) {
    return new MemoryDecodeContext(() -> new ByteArrayInputStream(bytes), sha256(bytes), blobs, scratch);
  }

  /** Reads a blob through the store, verified, as the catalog does. */
  static MemoryDecodeContext ofBlob(String id, BlobStore blobs, Path scratch) {
    return new MemoryDecodeContext(() -> blobs.open(id), id, blobs, scratch);
  }

  @Override
  public InputStream open() {
    opens.incrementAndGet();
    return new FilterInputStream(content.get()) {
      private boolean closed;

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          closes.incrementAndGet();
        }
        super.close();
      }
    };
  }

  @Override
  public String versionId() {
    return versionId;
  }

  @Override
  public String dataset() {
    return "test/data";
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  @Override
  public Path scratch() {
    try {
      return Files.createDirectories(scratch);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  int opens() {
    return opens.get();
  }

  int closes() {
    return closes.get();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
