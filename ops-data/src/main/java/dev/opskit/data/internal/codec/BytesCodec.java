package dev.opskit.data.internal.codec;

import dev.opskit.pipeline.DatasetCodec;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Raw bytes, stored as they are. Decoding reads the whole content into memory. Stateless and thread-safe. */
public final class BytesCodec implements DatasetCodec<byte[]> {
  /** The only instance. */
  public static final BytesCodec INSTANCE = new BytesCodec();

  private BytesCodec() {}

  @Override
  public String format() {
    return "bytes";
  }

  @Override
  public void encode(byte[] value, EncodeContext context) throws IOException {
    Objects.requireNonNull(value, "value");
    context.output().write(value);
  }

  @Override
  public byte[] decode(DecodeContext context) throws IOException {
    try (InputStream in = context.open()) {
      return in.readAllBytes();
    }
  }

  @Override
  public String toString() {
    return "bytes";
  }
}
