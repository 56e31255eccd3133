package dev.opskit.data.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Framing against a plain count of the lines that are not blank, whatever the sizes the content is read in: the row
 * count, the first line that does not frame, and the bytes of the first rows.
 */
class JsonLinesFramingTest {

  /** Reads all of a framing stream, in reads of random sizes from 1 to {@code most} bytes; returns what it passed. */
  private static byte[] drain(JsonLinesFraming in, int most, long seed) throws IOException {
    Random random = new Random(seed);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[most];
    while (true) {
      int n = random.nextInt(3) == 0 ? readOne(in, buf) : in.read(buf, 0, 1 + random.nextInt(most));
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buf, 0, n);
    }
  }

  private static int readOne(InputStream in, byte[] buf) throws IOException {
    int b = in.read();
    if (b < 0) {
      return -1;
    }
    buf[0] = (byte) b;
    return 1;
  }

  private static String lines(int n, Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(6)) {
        case 0 -> s.append("\n");
        case 1 -> s.append("  \t\r\n");
        case 2 -> s.append(" {\"a\": ").append(i).append(", \"s\": \"x}y\\n\"} \r\n");
        default -> s.append("{\"id\":").append(i).append(",\"name\":\"").append("n".repeat(random.nextInt(40)))
            .append("\"}\n");
      }
    }
    return s.toString();
  }

  private static long nonBlank(String content) {
    return content.lines().filter(l -> !l.isBlank()).count();
  }

  @Test
  void countsTheLinesThatAreNotBlankWhateverTheReadSizes() throws IOException {
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      String content = lines(random.nextInt(300), random);
      if (trial % 2 == 1 && content.endsWith("\n")) {
        content = content + "{\"last\":true}"; // no final newline
      }
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      List<byte[]> heads = new ArrayList<>();
      List<Long> headRows = new ArrayList<>();
      JsonLinesFraming framing = new JsonLinesFraming(new ByteArrayInputStream(bytes), 10, 1 << 20, (h, n) -> {
        heads.add(h);
        headRows.add(n);
      });

      byte[] passed = drain(framing, 1 + random.nextInt(64), trial);

      assertThat(passed).isEqualTo(bytes);
      assertThat(framing.rows()).as("trial %d", trial).isEqualTo(nonBlank(content));
      assertThat(heads).hasSize(1);
      String head = new String(heads.get(0), StandardCharsets.UTF_8);
      assertThat(content).startsWith(head);
      assertThat(nonBlank(head)).isEqualTo(Math.min(10, nonBlank(content)));
      assertThat(headRows).containsExactly(Math.min(10, nonBlank(content)));
      assertThat(framing.ended()).isTrue();
      assertThat(framing.failure()).isNull();
      if (nonBlank(content) > 10) {
        assertThat(head).endsWith("\n");
      }
    }
  }

  @Test
  void aLineThatIsNotOneObjectStopsTheReadNamingIt() throws IOException {
    String good = "{\"a\":1}\n\n{\"a\":2}\n";
    for (String bad : List.of("[1, 2]\n", "{\"a\":\n", "  \"text\"\n", "{\"a\":1} 7\n", "\ufeff{\"a\":1}\n", "1")) {
      byte[] bytes = (good + bad + good).getBytes(StandardCharsets.UTF_8);
      JsonLinesFraming framing = new JsonLinesFraming(new ByteArrayInputStream(bytes), 1_000, 1 << 20, (head, n) -> { });

      assertThatThrownBy(() -> drain(framing, 5, 1)).isInstanceOf(JsonLinesFraming.NotFramed.class)
          .satisfies(e -> assertThat(((JsonLinesFraming.NotFramed) e).line()).as(bad).isEqualTo(4))
          .hasMessageContaining("line 4");
      // Remembered, for a store that wraps what the stream throws.
      assertThat(framing.failure()).isInstanceOf(JsonLinesFraming.NotFramed.class);
    }
  }

  @Test
  void theCheckOfTheFirstRowsRunsOnceBeforeTheRestIsRead() throws IOException {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      content.append("{\"i\":").append(i).append("}\n");
    }
    byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
    int[] passedWhenChecked = {-1};
    long[] readSoFar = {0};
    JsonLinesFraming framing = new JsonLinesFraming(new ByteArrayInputStream(bytes), 3, 1 << 20, (head, n) -> {
      passedWhenChecked[0] = (int) readSoFar[0];
      throw new IllegalStateException("bad head: " + new String(head, StandardCharsets.UTF_8).strip());
    });
    byte[] buf = new byte[4];
    assertThatThrownBy(() -> {
      int n;
      while ((n = framing.read(buf, 0, buf.length)) >= 0) {
        readSoFar[0] += n;
      }
    }).isInstanceOf(IllegalStateException.class).hasMessage("bad head: {\"i\":0}\n{\"i\":1}\n{\"i\":2}");
    // Stopped in the read that completed the third line: the one after the first 20 bytes.
    assertThat(passedWhenChecked[0]).isEqualTo(20);
  }

  @Test
  void firstRowsLongerThanTheLimitStopTheReadRatherThanBeHeld() throws IOException {
    String row = "{\"s\":\"" + "x".repeat(91) + "\"}\n";
    assertThat(row).hasSize(100);
    byte[] bytes = row.repeat(20).getBytes(StandardCharsets.UTF_8);
    List<byte[]> heads = new ArrayList<>();

    JsonLinesFraming held = new JsonLinesFraming(new ByteArrayInputStream(bytes), 10, 1_000, (h, n) -> heads.add(h));
    drain(held, 7, 3);
    assertThat(heads).hasSize(1);
    assertThat(heads.get(0)).hasSize(1_000);

    JsonLinesFraming tooLong = new JsonLinesFraming(new ByteArrayInputStream(bytes), 10, 999, (h, n) -> heads.add(h));
    assertThatThrownBy(() -> drain(tooLong, 7, 3)).isInstanceOf(JsonLinesFraming.NotFramed.class)
        .hasMessageContaining("first 10 rows take more than 999 bytes");
    assertThat(heads).hasSize(1);
  }

  @Test
  void emptyContentHasNoRowsAndAnEmptyHead() throws IOException {
    List<byte[]> heads = new ArrayList<>();
    JsonLinesFraming framing = new JsonLinesFraming(new ByteArrayInputStream(new byte[0]), 10, 1 << 20, (h, n) -> heads.add(h));
    assertThat(framing.read(new byte[8], 0, 8)).isEqualTo(-1);
    assertThat(framing.read()).isEqualTo(-1);
    assertThat(framing.rows()).isZero();
    assertThat(heads).hasSize(1);
    assertThat(heads.get(0)).isEmpty();
  }
}
