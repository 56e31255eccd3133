package dev.opskit.cli.internal;

import dev.opskit.Page;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a command prints: aligned tables for people by default, JSON for scripts with {@code --json}. A command builds
 * its result once, as ordered maps, and hands it here; the table shows chosen columns, the JSON every field. Table
 * cells have control characters replaced, so no stored value can move a terminal's cursor or change its colours.
 */
final class Output {
  static final int MAX_CELL = 64;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  PrintWriter writer() {
    return out;
  }

  /** Prints rows: as a table of the given columns, or as a JSON array of every field. */
  void rows(List<? extends Map<String, ?>> rows, String empty, String... columns) {
    if (json) {
      out.println(Json.write(rows));
    } else if (rows.isEmpty()) {
      out.println(empty);
    } else {
      table(rows, columns);
    }
    out.flush();
  }

  /** Under a table, says how to get the next page when there is one; JSON says nothing (a script pages itself). */
  void more(Page<?> page) {
    if (page.hasMore() && !json) {
      out.println("(more: --offset " + page.nextOffset() + ")");
      out.flush();
    }
  }

  /** Prints one object: as JSON, or through the given table renderer. */
  void object(Map<String, ?> value, Runnable table) {
    if (json) {
      out.println(Json.write(value));
    } else {
      table.run();
    }
    out.flush();
  }

  /** Prints label-value lines, aligned, for one object's facts. */
  void facts(Map<String, ?> facts) {
    int width = facts.keySet().stream().mapToInt(String::length).max().orElse(0);
    facts.forEach((k, v) -> out.println(pad(k, width) + "  " + cell(v)));
  }

  void table(List<? extends Map<String, ?>> rows, String... columns) {
    List<String[]> cells = new ArrayList<>();
    int[] widths = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      widths[c] = columns[c].length();
    }
    for (Map<String, ?> row : rows) {
      String[] line = new String[columns.length];
      for (int c = 0; c < columns.length; c++) {
        line[c] = cell(row.get(columns[c]));
        widths[c] = Math.max(widths[c], line[c].length());
      }
      cells.add(line);
    }
    StringBuilder header = new StringBuilder();
    for (int c = 0; c < columns.length; c++) {
      header.append(c == 0 ? "" : "  ").append(pad(columns[c].toUpperCase(Locale.ROOT), widths[c]));
    }
    out.println(header.toString().stripTrailing());
    for (String[] line : cells) {
      StringBuilder b = new StringBuilder();
      for (int c = 0; c < columns.length; c++) {
        b.append(c == 0 ? "" : "  ").append(pad(line[c], widths[c]));
      }
      out.println(b.toString().stripTrailing());
    }
  }

  /** One value as a table cell: times in UTC, durations for people, lists joined, at most {@link #MAX_CELL} long. */
  static String cell(@Nullable Object value) {
    String s;
    if (value == null) {
      s = "-";
    } else if (value instanceof Instant i) {
      s = TIME.format(i);
    } else if (value instanceof Duration d) {
      s = duration(d);
    } else if (value instanceof Double d) {
      s = d.isNaN() ? "-" : String.format(Locale.ROOT, "%.4f", d);
    } else if (value instanceof Collection<?> c) {
      s = String.join(",", c.stream().map(Output::cell).toList());
    } else if (value instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, v) -> parts.add(k + "=" + cell(v)));
      s = String.join(",", parts);
    } else {
      s = value.toString();
    }
    s = printable(s);
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
  }

  /** Replaces control characters (escape sequences, newlines, bidi overrides) with {@code ?}. */
  static String printable(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean bad = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069);
      if (bad && b == null) {
        b = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (b != null) {
        b.append(bad ? '?' : c);
      }
    }
    return b == null ? s : b.toString();
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
