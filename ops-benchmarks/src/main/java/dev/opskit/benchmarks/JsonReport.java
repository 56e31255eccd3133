package dev.opskit.benchmarks;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the JSON report of a suite. Hand-written, so that the report does not depend on which JSON library the
 * runtime happens to bring.
 */
final class JsonReport {
  private JsonReport() {}

  /**
   * Renders a value: maps, collections, numbers, booleans, strings and {@code null}; anything else as its string.
   *
   * @param value the value
   * @return JSON text, indented by two spaces per level
   */
  static String render(@Nullable Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, "");
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, @Nullable Object value, String indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      String inner = indent + "  ";
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(inner);
        string(out, String.valueOf(e.getKey()));
        out.append(": ");
        write(out, e.getValue(), inner);
        out.append(++i < map.size() ? ",\n" : "\n");
      }
      out.append(indent).append('}');
    } else if (value instanceof Collection<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      String inner = indent + "  ";
      int i = 0;
      for (Object item : list) {
        out.append(inner);
        write(out, item, inner);
        out.append(++i < list.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : Figure.format(d));
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(out, value.toString());
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
