package dev.opskit.test.contract;

import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import java.util.List;

/** The raw-bytes model codec keeps the codec contract; every byte sequence is a model in its format. */
class BytesModelCodecContractTest extends ModelCodecContract<byte[]> {
  @Override
  protected ModelCodec<byte[]> createCodec() {
    return ModelCodecs.bytes();
  }

  @Override
  protected List<byte[]> sampleModels() {
    byte[] large = new byte[70_000];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31 + 7);
    }
    return List.of(new byte[] {0x4f, 0x4e, 0x4e, 0x58, 0, 1, 2}, new byte[0], new byte[] {(byte) 0xff}, large);
  }

  @Override
  protected boolean acceptsAnyBytes() {
    return true;
  }
}
