package dev.opskit.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliOutputTest {
  @Test
  void jsonEscapesStringsAndKeepsOrder() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("z", "a \"quoted\" \\ back\nslash\u001b");
    value.put("a", List.of(1, 2.5, true));
    value.put("nan", Double.NaN);
    value.put("none", null);
    value.put("at", Instant.parse("2026-01-02T03:04:05Z"));
    value.put("took", Duration.ofMillis(1500));
    value.put("empty", Map.of());
    assertThat(Json.write(value)).isEqualTo("{\n  \"z\": \"a \\\"quoted\\\" \\\\ back\\nslash\\u001b\",\n"
        + "  \"a\": [\n    1,\n    2.5,\n    true\n  ],\n  \"nan\": null,\n  \"none\": null,\n"
        + "  \"at\": \"2026-01-02T03:04:05Z\",\n  \"took\": 1500,\n  \"empty\": {}\n}");
  }

  @Test
  void tableCellsCannotCarryTerminalControlOrBidiCharacters() {
    assertThat(Output.printable("ok")).isEqualTo("ok");
    assertThat(Output.printable("red \u001b[31m\r\n\u202eevil\u0085")).isEqualTo("red ?[31m???evil?");
    assertThat(Output.cell("x".repeat(100))).hasSize(Output.MAX_CELL).endsWith("…");
    assertThat(Output.cell(null)).isEqualTo("-");
    assertThat(Output.cell(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02 03:04:05");
    assertThat(Output.cell(Duration.ofMillis(61_000))).isEqualTo("1 min 01 s");
  }

  @Test
  void tablesAlignColumnsUnderUpperCaseHeaders() {
    StringWriter text = new StringWriter();
    Output out = new Output(new PrintWriter(text), false);
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("name", "churn");
    a.put("n", 12);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("name", "x");
    b.put("n", null);
    out.rows(List.of(a, b), "none", "name", "n");
    assertThat(Arrays.asList(text.toString().split("\\R"))).containsExactly("NAME   N", "churn  12", "x      -");
  }

  @Test
  void anEmptyListSaysSoAndJsonIsAnEmptyArray() {
    StringWriter text = new StringWriter();
    new Output(new PrintWriter(text), false).rows(List.of(), "no runs in this workspace", "id");
    assertThat(text.toString().strip()).isEqualTo("no runs in this workspace");
    StringWriter json = new StringWriter();
    new Output(new PrintWriter(json), true).rows(List.of(), "no runs", "id");
    assertThat(json.toString().strip()).isEqualTo("[]");
  }
}
