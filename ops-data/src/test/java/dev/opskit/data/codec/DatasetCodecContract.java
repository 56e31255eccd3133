package dev.opskit.data.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every codec must do for the catalog to version its values: equal values give equal bytes (the version id is
 * their hash), decoding gives the value back, and the output stays open. Each subclass runs it against one codec and
 * a sample value.
 *
 * @param <T> the value type
 */
abstract class DatasetCodecContract<T> {
  @TempDir
  Path temp;

  final BlobStore blobs = BlobStore.inMemory();

  /** The codec under test. */
  abstract DatasetCodec<T> codec();

  /** A representative value, built anew on each call. */
  abstract T sample() throws IOException;

  /** A value equal to {@link #sample()} in content but built differently, for example maps filled in another order. */
  abstract T sampleBuiltDifferently() throws IOException;

  /** What to compare a value by: the rows as a list, the bytes as a string, a tree as its files. */
  abstract Object contentOf(T value) throws IOException;

  MemoryEncodeContext encode(T value) throws IOException {
    MemoryEncodeContext context = new MemoryEncodeContext(blobs);
    codec().encode(value, context);
    return context;
  }

  T decode(byte[] bytes) throws IOException {
    return codec().decode(MemoryDecodeContext.of(bytes, blobs, temp.resolve("scratch-" + MemoryDecodeContext.sha256(bytes))));
  }

  @Test
  void encodingTheSameValueTwiceGivesTheSameBytes() throws IOException {
    assertThat(encode(sample()).bytes()).isEqualTo(encode(sample()).bytes());
  }

  @Test
  void equalValuesBuiltDifferentlyGiveTheSameBytes() throws IOException {
    assertThat(encode(sampleBuiltDifferently()).bytes()).isEqualTo(encode(sample()).bytes());
  }

  @Test
  void decodingGivesTheValueBack() throws IOException {
    T decoded = decode(encode(sample()).bytes());

    assertThat(contentOf(decoded)).isEqualTo(contentOf(sample()));
  }

  @Test
  void reencodingADecodedValueGivesTheSameBytes() throws IOException {
    byte[] first = encode(sample()).bytes();

    assertThat(encode(decode(first)).bytes()).isEqualTo(first);
  }

  @Test
  void textFormatsAreValidUtf8EndingWithANewline() throws IOException {
    byte[] bytes = encode(sample()).bytes();

    if (!codec().format().equals("bytes")) {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      assertThat(text).endsWith("\n");
    }
  }

  @Test
  void theFormatIsAShortLowercaseName() {
    assertThat(codec().format()).matches("[a-z]{2,16}");
  }
}
