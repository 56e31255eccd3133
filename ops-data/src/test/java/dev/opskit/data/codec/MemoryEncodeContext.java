package dev.opskit.data.codec;

import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An encode context in memory: it keeps the bytes and the reported rows, and fails if a codec closes the output,
 * which belongs to the caller.
 */
final class MemoryEncodeContext implements DatasetCodec.EncodeContext {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final OutputStream output = new FilterOutputStream(bytes) {
    @Override
    public void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
    }

    @Override
    public void close() {
      throw new AssertionError("a codec closed the output it was given");
    }
  };
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private final BlobStore blobs;

  MemoryEncodeContext(BlobStore blobs) {
    this.blobs = blobs;
  }

  MemoryEncodeContext() {
    this(BlobStore.inMemory());
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public void row(Map<String, Object> row) {
    rows.add(row);
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  byte[] bytes() {
    return bytes.toByteArray();
  }

  String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  List<Map<String, Object>> rows() {
    return rows;
  }
}
