package dev.opskit.cli.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the command line's {@code --json} output: maps (in their order), collections, strings, numbers, booleans and
 * null; instants as ISO-8601 strings, durations in milliseconds, enums by name, anything else by {@code toString()}.
 * Non-finite numbers are written as null, since JSON has no NaN.
 */
final class Json {
  private Json() {}

  static String write(@Nullable Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value, 0);
    return out.toString();
  }

  private static void write(StringBuilder out, @Nullable Object value, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "" : ",").append('\n').append("  ".repeat(depth + 1));
        string(out, String.valueOf(e.getKey()));
        out.append(": ");
        write(out, e.getValue(), depth + 1);
        first = false;
      }
      out.append('\n').append("  ".repeat(depth)).append('}');
    } else if (value instanceof Collection<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        out.append(first ? "" : ",").append('\n').append("  ".repeat(depth + 1));
        write(out, item, depth + 1);
        first = false;
      }
      out.append('\n').append("  ".repeat(depth)).append(']');
    } else if (value instanceof Double d) {
      out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
    } else if (value instanceof Float f) {
      out.append(f.isNaN() || f.isInfinite() ? "null" : f.toString());
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Duration d) {
      out.append(d.toMillis());
    } else if (value instanceof Enum<?> e) {
      string(out, e.name());
    } else if (value instanceof Instant i) {
      string(out, i.toString());
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
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
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
