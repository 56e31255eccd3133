package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.data.Codecs;
import dev.opskit.pipeline.DatasetCodec;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BytesContractTest extends DatasetCodecContract<byte[]> {
  @Override
  DatasetCodec<byte[]> codec() {
    return Codecs.bytes();
  }

  @Override
  byte[] sample() {
    byte[] bytes = new byte[70_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31 + (i >> 8));
    }
    return bytes;
  }

  @Override
  byte[] sampleBuiltDifferently() {
    return Arrays.copyOf(sample(), 70_000);
  }

  @Override
  Object contentOf(byte[] value) {
    return List.of(Arrays.hashCode(value), value.length);
  }

  @Test
  void bytesAreStoredAsTheyAreAndReportNoRows() throws IOException {
    byte[] value = {0, -1, 10, 13, 127};

    MemoryEncodeContext context = encode(value);

    assertThat(context.bytes()).isEqualTo(value);
    assertThat(context.rows()).isEmpty();
    assertThat(decode(value)).isEqualTo(value);
    assertThat(decode(new byte[0])).isEmpty();
    assertThat(codec().format()).isEqualTo("bytes");
  }
}
