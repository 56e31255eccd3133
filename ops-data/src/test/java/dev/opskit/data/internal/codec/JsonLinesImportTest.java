package dev.opskit.data.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The JSON Lines import against the reference it replaces, one Jackson parser over the whole content: the same rows,
 * the same column order, the same Java value and type of every value, on generated content full of the cases a
 * scanner of its own can get wrong.
 */
class JsonLinesImportTest {
  private static final JsonLinesCodec<Map<String, Object>> CODEC = new JsonLinesCodec<>(Map.class);
  private static final int BOUND = JsonLinesCodec.BOUND_ROWS;

  @Test
  void generatedFlatRowsReadExactlyAsJacksonReadsThemAndMostAreScanned() {
    for (long seed = 1; seed <= 4; seed++) {
      Random random = new Random(seed);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < BOUND + 4_000; i++) {
        flatRow(random, text);
        text.append(random.nextInt(20) == 0 ? "\r\n" : "\n");
        if (random.nextInt(200) == 0) {
          text.append(random.nextBoolean() ? "\n" : "  \t \n"); // blank lines
        }
      }
      byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
      List<Map<String, Object>> rows = read(content);
      assertThat(describe(rows)).as("seed %d", seed).isEqualTo(describe(reference(content)));
      long scanned = rows.stream().skip(BOUND).filter(RowMap.class::isInstance).count();
      assertThat(scanned).as("rows read by the scanner, seed %d", seed).isGreaterThan(3_000);
    }
  }

  @Test
  void rowsTheScannerLeavesToJacksonReadAsBefore() {
    StringBuilder text = new StringBuilder();
    simpleRows(text, BOUND + 10);
    text.append("{\"nested\":{\"b\":[1,2,{\"c\":null}],\"a\":\"x\"},\"n\":1}\n");
    text.append("{\"big\":123456789012345678901234567890,\"long\":1234567890123456789}\n");
    text.append("{\"dup\":1,\"x\":2,\"dup\":3}\n");
    text.append("{\"caf\u00e9\":\"non-ASCII name\",\"esc\\u0061ped\":1}\n");
    text.append("{\"a\":\"}{\"}\n"); // braces in a string
    text.append("{\"a\":\n  1,\n \"b\": [\n2]}\n"); // one object over three lines
    simpleRows(text, 10);
    text.append("{\"last\":true}"); // no final newline
    byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(describe(read(content))).isEqualTo(describe(reference(content)));
  }

  @Test
  void contentWhereMostLinesNeedJacksonReadsAsBefore() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < BOUND + 3_000; i++) {
      text.append("{\"id\":").append(i).append(",\"tags\":[\"t").append(i % 7).append("\"]}\n");
    }
    byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(describe(read(content))).isEqualTo(describe(reference(content)));
  }

  @Test
  void aLineLongerThanTheChunkIsRead() {
    StringBuilder text = new StringBuilder();
    simpleRows(text, BOUND + 5);
    text.append("{\"long\":\"").append("x".repeat(3 << 20)).append("\",\"n\":2.5}\n");
    simpleRows(text, 5);
    byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
    List<Map<String, Object>> rows = read(content);
    assertThat(describe(rows)).isEqualTo(describe(reference(content)));
    assertThat(rows.get(BOUND + 5)).isInstanceOf(RowMap.class);
  }

  @Test
  void aLineHoldingTwoObjectsFailsNamingItAmongTheBoundRowsAndAfterThem() {
    for (int before : new int[] {2, BOUND + 40}) {
      for (String two : List.of("{\"a\":1}{\"a\":2}", "{\"a\":1} {\"a\":2}", "{\"a\":1}\t{\"a\":2}  ",
          "{\"a\":{\"b\":1}}{\"a\":2}", "{\"a\":\"}{\"}{\"a\":2}")) {
        StringBuilder text = new StringBuilder();
        simpleRows(text, before);
        text.append(two).append("\n");
        simpleRows(text, 3);
        byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(content)).as(two).isInstanceOf(OpsException.class)
            .hasMessageContaining("line " + (before + 1) + " of test content holds more than one JSON object");
      }
    }
    StringBuilder spread = new StringBuilder();
    simpleRows(spread, BOUND + 2);
    spread.append("{\"a\":\n1}{\"b\":2}\n"); // an object over two lines, the next starting where it ends
    byte[] content = spread.toString().getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(content)).isInstanceOf(OpsException.class)
        .hasMessageContaining("line " + (BOUND + 4) + " of test content holds more than one JSON object");
  }

  @Test
  void aLineOverTheLimitFailsNamingItsNumberSizeAndTheLimitAndOneAtTheLimitIsRead() {
    StringBuilder text = new StringBuilder();
    simpleRows(text, 3);
    String line = "{\"s\":\"" + "x".repeat(1_000) + "\"}"; // 1,008 bytes
    byte[] content = (text + line + "\n" + text).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CODEC.importRows(new ByteArrayInputStream(content), row -> { }, "test content", 1_007))
        .isInstanceOf(LineLimit.LineTooLongException.class)
        .hasMessageContaining("line 4 of test content is 1008 bytes long, over the limit of 1007 bytes");
    assertThat(CODEC.importRows(new ByteArrayInputStream(content), row -> { }, "test content", 1_008)).isEqualTo(7);
    byte[] unended = (text + line).getBytes(StandardCharsets.UTF_8); // the long line last, with no newline
    assertThatThrownBy(() -> CODEC.importRows(new ByteArrayInputStream(unended), row -> { }, "test content", 100))
        .hasMessageContaining("line 4 of test content is 1008 bytes long, over the limit of 100 bytes");
  }

  @Test
  void malformedUtf8AndRawControlCharactersFailAsJacksonFailsNamingTheLine() {
    for (byte[] bad : List.of(new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[] {(byte) 0xFF}, new byte[] {0x01})) {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      StringBuilder text = new StringBuilder();
      simpleRows(text, BOUND + 20);
      content.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
      content.writeBytes("{\"s\":\"ab".getBytes(StandardCharsets.UTF_8));
      content.writeBytes(bad);
      content.writeBytes("cd\"}\n{\"s\":\"fine\"}\n".getBytes(StandardCharsets.UTF_8));
      byte[] bytes = content.toByteArray();
      assertThatThrownBy(() -> reference(bytes)).isInstanceOf(Exception.class);
      assertThatThrownBy(() -> read(bytes)).isInstanceOf(OpsException.class)
          .hasMessageContaining("line " + (BOUND + 21) + " of test content");
    }
  }

  @Test
  void malformedLinesAfterTheBoundRowsNameTheirLine() {
    String[] broken = {"{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":tru}", "{\"a\":\"x}",
        "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":\"\\q\"}", "{\"a\":1e}", "{\"a\":nul}", "[1,2]",
        "{\"a\":\"\\u00e\uff19\"}"}; // the last: a fullwidth digit in a \\u escape
    for (String line : broken) {
      StringBuilder text = new StringBuilder();
      simpleRows(text, BOUND + 30);
      text.append("\n").append(line).append("\n");
      simpleRows(text, 3);
      byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> read(content)).as(line).isInstanceOf(OpsException.class)
          .hasMessageContaining("line " + (BOUND + 32) + " of test content");
    }
  }

  @Test
  void theFirstRowsAreStillBoundToTheRowType() {
    JsonLinesCodec<Point> points = new JsonLinesCodec<>(Point.class);
    byte[] content = "{\"x\":1,\"y\":2}\n{\"x\":1,\"z\":2}\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> points.importRows(new ByteArrayInputStream(content), row -> { }, "points"))
        .isInstanceOf(OpsException.class).hasMessageContaining("line 2 of points");
  }

  record Point(int x, int y) {}

  // ---------------------------------------------------------------------------------------------------------------

  private static List<Map<String, Object>> read(byte[] content) {
    List<Map<String, Object>> rows = new ArrayList<>();
    long n = CODEC.importRows(new ByteArrayInputStream(content), rows::add, "test content");
    assertThat(n).isEqualTo(rows.size());
    return rows;
  }

  /** What the codec read before the scanner: one parser over everything, each object's columns. */
  private static List<Map<String, Object>> reference(byte[] content) {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (JsonParser parser = CanonicalJson.MAPPER.createParser(content)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        assertThat(token).isEqualTo(JsonToken.START_OBJECT);
        rows.add(RowEncoder.columns(parser, null));
      }
    }
    return rows;
  }

  /** Each row as its columns in order, each with its value's exact class and text (doubles by their bits). */
  private static List<String> describe(List<Map<String, Object>> rows) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      StringBuilder s = new StringBuilder();
      row.forEach((k, v) -> {
        s.append(k).append('=');
        if (v == null) {
          s.append("null");
        } else if (v instanceof Double d) {
          s.append("Double:").append(Double.doubleToRawLongBits(d)).append('/').append(d);
        } else {
          s.append(v.getClass().getSimpleName()).append(':').append(v);
        }
        s.append(';');
      });
      out.add(s.toString());
    }
    return out;
  }

  private static void simpleRows(StringBuilder text, int n) {
    for (int i = 0; i < n; i++) {
      text.append("{\"id\":").append(i).append(",\"name\":\"n").append(i).append("\",\"score\":").append(i * 0.5)
          .append("}\n");
    }
  }

  private static final String[] NAMES = {"id", "user", "amount", "flag", "note", "ts", "score", "country", "q"};

  private static void flatRow(Random random, StringBuilder text) {
    int columns = random.nextInt(10) == 0 ? 1 + random.nextInt(NAMES.length) : NAMES.length;
    boolean shuffled = random.nextInt(50) == 0;
    text.append(ws(random)).append('{');
    for (int c = 0; c < columns; c++) {
      if (c > 0) {
        text.append(ws(random)).append(',');
      }
      String name = shuffled ? NAMES[random.nextInt(NAMES.length)] : NAMES[c];
      text.append(ws(random)).append('"').append(name).append('"').append(ws(random)).append(':')
          .append(ws(random));
      value(random, text);
    }
    text.append(ws(random)).append('}').append(ws(random));
  }

  private static String ws(Random random) {
    int r = random.nextInt(30);
    return r == 0 ? " " : r == 1 ? "\t " : r == 2 ? "  " : "";
  }

  private static void value(Random random, StringBuilder text) {
    switch (random.nextInt(12)) {
      case 0 -> text.append(random.nextInt(2000) - 1000);
      case 1 -> text.append(pick(random, "0", "-0", "2147483647", "2147483648", "-2147483648", "-2147483649",
          "999999999999999999", "-999999999999999999", "9007199254740993", "1000000000000000000"));
      case 2 -> text.append(random.nextLong() >> random.nextInt(64));
      case 3 -> text.append(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
      case 4 -> text.append(pick(random, "0.0", "-0.0", "1e5", "1E+5", "1e-5", "-2.5E-3", "0.1", "0.30000000000000004",
          "123456.789012345", "1234567890.12345678", "1e22", "1e23", "9.999999999999999e22", "4.9e-324",
          "1.7976931348623157e308", "1e400", "-1e-400", "0.000001", "100.25", "3.14159265358979323846"));
      case 5 -> text.append((random.nextInt(100_000) - 50_000) / 100.0);
      case 6 -> text.append(random.nextBoolean() ? "true" : "false");
      case 7 -> text.append("null");
      case 8 -> text.append('"').append("user-").append(random.nextInt(1000)).append('"');
      case 9 -> text.append('"').append(pick(random, "", "caf\u00e9", "\u65e5\u672c", "smile \ud83d\ude00", "a b",
          "\u00ff\u0100")).append('"');
      case 10 -> text.append('"').append(pick(random, "say \\\"hi\\\"", "back\\\\slash", "line\\nbreak", "tab\\t",
          "\\u00e9t\\u00E9", "\\ud83d\\ude00", "\\/slash", "\\b\\f\\r", "\\u0000nul", "\\ud800 lone")).append('"');
      default -> text.append('"').append("x".repeat(random.nextInt(5))).append('"');
    }
  }

  private static String pick(Random random, String... options) {
    return options[random.nextInt(options.length)];
  }
}
