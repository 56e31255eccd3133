package dev.opskit.data.internal;

import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Consumer;

/** Where a codec encodes a version: the blob being written, the rows' destination, and the blob store for parts. */
final class EncodeContextImpl implements DatasetCodec.EncodeContext {
  private final OutputStream out;
  private final Consumer<Map<String, Object>> rows;
  private final BlobStore blobs;

  EncodeContextImpl(OutputStream out, Consumer<Map<String, Object>> rows, BlobStore blobs) {
    this.out = out;
    this.rows = rows;
    this.blobs = blobs;
  }

  @Override
  public OutputStream output() {
    return out;
  }

  @Override
  public void row(Map<String, Object> row) {
    rows.accept(row);
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }
}
