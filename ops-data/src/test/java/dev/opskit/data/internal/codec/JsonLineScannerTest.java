package dev.opskit.data.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the scanner tells its caller about one line: a row reported, a blank line, or a line it leaves to Jackson with
 * nothing reported. {@link JsonLinesImportTest} compares whole contents with Jackson's reading.
 */
class JsonLineScannerTest {
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private final JsonLineScanner scanner = new JsonLineScanner(rows::add);

  @Test
  void aFlatObjectIsReportedAsOneRowInColumnOrderWithJacksonsValueTypes() {
    assertThat(scan("{\"s\":\"a\\u0062\",\"i\":7,\"l\":12345678901,\"d\":-2.5e1,\"t\":true,\"n\":null}")).isEqualTo(1);

    assertThat(rows).hasSize(1);
    Map<String, Object> row = rows.get(0);
    assertThat(row.keySet()).containsExactly("s", "i", "l", "d", "t", "n");
    assertThat(row.values()).containsExactly("ab", 7, 12345678901L, -25.0, true, null);
  }

  @Test
  void aBlankLineReportsNothing() {
    assertThat(scan("")).isZero();
    assertThat(scan(" \t\r")).isZero();
    assertThat(rows).isEmpty();
  }

  @Test
  void aLineTheScannerDoesNotReadReportsNothing() {
    for (String line : List.of("{\"a\":{\"b\":1}}", "{\"a\":1,\"a\":2}", "{\"a\":1}{\"b\":2}", "{\"a\":1",
        "{\"a\":tru}", "{\"a\":01x}", "{\"caf\u00e9\":1}", "[1]", "{\"a\":123456789012345678901}")) {
      assertThat(scan(line)).as(line).isEqualTo(-1);
    }
    assertThat(rows).isEmpty();
  }

  @Test
  void rowsOfTheSameLayoutShareTheirNames() {
    scan("{\"id\":1,\"name\":\"x\"}");
    scan("{\"id\":2,\"name\":\"y\"}");

    RowMap first = (RowMap) rows.get(0);
    RowMap second = (RowMap) rows.get(1);
    assertThat(second.keyAt(0)).isSameAs(first.keyAt(0));
    assertThat(second.keyAt(1)).isSameAs(first.keyAt(1));
    assertThat(second).containsExactly(Map.entry("id", 2), Map.entry("name", "y"));
  }

  /** Scans a line standing between other bytes in a larger buffer, as lines stand in the import's chunk. */
  private int scan(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    byte[] buffer = new byte[bytes.length + 64];
    buffer[15] = '\n';
    System.arraycopy(bytes, 0, buffer, 16, bytes.length);
    buffer[16 + bytes.length] = '\n';
    return scanner.scan(buffer, 16, 16 + bytes.length);
  }
}
