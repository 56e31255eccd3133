package dev.opskit.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/** HTML building: every value that reaches a page goes through {@link #text} or {@link #attr}. */
public final class Html {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder(4096);

  /**
   * Escapes text for an element's content or a quoted attribute value.
   *
   * @param value any text, or null for the empty string
   * @return the text with {@code & < > " '} escaped
   */
  public static String escape(@Nullable String value) {
    if (value == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String r = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (r != null) {
        if (b == null) {
          b = new StringBuilder(value.length() + 16).append(value, 0, i);
        }
        b.append(r);
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? value : b.toString();
  }

  /**
   * Encodes a value for a URL's path segment or query parameter.
   *
   * @param value the value
   * @return the value, percent-encoded (spaces as {@code %20})
   */
  public static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Formats an instant in UTC.
   *
   * @param at the instant, or null
   * @return {@code yyyy-MM-dd HH:mm:ss}, or a dash
   */
  public static String time(@Nullable Instant at) {
    return at == null ? "–" : TIME.format(at);
  }

  /**
   * Formats a duration for people.
   *
   * @param d the duration, or null
   * @return such as {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}, or a dash
   */
  public static String duration(@Nullable Duration d) {
    if (d == null) {
      return "–";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(java.util.Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(java.util.Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /**
   * Appends markup written by the console itself, never a value.
   *
   * @param markup trusted markup
   * @return this
   */
  public Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /**
   * Appends a value as escaped text.
   *
   * @param value the value
   * @return this
   */
  public Html text(@Nullable Object value) {
    out.append(escape(value == null ? null : value.toString()));
    return this;
  }

  /**
   * Appends a value escaped for a quoted attribute.
   *
   * @param value the value
   * @return this
   */
  public Html attr(@Nullable Object value) {
    return text(value);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
