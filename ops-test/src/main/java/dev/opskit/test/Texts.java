package dev.opskit.test;

import dev.opskit.run.StepError;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** How the assertions render values and errors in their messages. */
final class Texts {
  private static final int TRACE_LINES = 40;
  private static final int VALUE_CHARS = 500;
  /** Frames of the runtime that calls step functions; everything below them is the runner and the test framework. */
  private static final List<String> RUNTIME = List.of("at dev.opskit.core.internal.",
      "at dev.opskit.pipeline.StepBuilder");

  private Texts() {}

  /** A value on one line, arrays spelled out, cut to a readable length. */
  static String show(@Nullable Object value) {
    String text;
    if (value == null) {
      text = "null";
    } else if (value.getClass().isArray()) {
      text = Arrays.deepToString(new Object[] {value});
      text = text.substring(1, text.length() - 1);
    } else {
      text = String.valueOf(value);
    }
    return text.length() > VALUE_CHARS ? text.substring(0, VALUE_CHARS) + "... (" + text.length() + " chars)" : text;
  }

  /**
   * An error's stack trace as far as it concerns the reader: each exception's header, and its frames down to the first
   * frame of the opskit runtime that called the step, which are noise to a test's author.
   */
  static String trace(StepError error) {
    String[] lines = error.stackTrace().split("\\R");
    if (lines.length == 0 || lines[0].isBlank()) {
      return error.summary();
    }
    StringBuilder sb = new StringBuilder();
    boolean skipping = false;
    int kept = 0;
    int omitted = 0;
    for (String line : lines) {
      String trimmed = line.strip();
      boolean frame = trimmed.startsWith("at ") || trimmed.startsWith("...");
      if (frame && (skipping || RUNTIME.stream().anyMatch(trimmed::contains))) {
        skipping = true;
        omitted++;
        continue;
      }
      skipping = false;
      if (kept == TRACE_LINES) {
        omitted++;
        continue;
      }
      sb.append(kept == 0 ? "" : "\n").append(line);
      kept++;
    }
    if (omitted > 0) {
      sb.append("\n\t... ").append(omitted).append(" lines of the opskit runtime and below omitted");
    }
    return sb.toString();
  }
}
