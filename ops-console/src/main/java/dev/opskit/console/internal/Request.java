package dev.opskit.console.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A request's decoded path segments and query parameters. Bad encoding or a bad value is a 400 naming it. */
final class Request {
  private final String[] segments;
  private final Map<String, String> query;
  private final Map<String, List<String>> all;
  private final String rawTarget;

  private Request(String[] segments, Map<String, String> query, Map<String, List<String>> all, String rawTarget) {
    this.segments = segments;
    this.query = query;
    this.all = all;
    this.rawTarget = rawTarget;
  }

  static Request parse(String rawPath, @Nullable String rawQuery) {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String[] parts = path.isEmpty() ? new String[0] : path.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = decode(parts[i].replace("+", "%2B"), "path segment");
    }
    Map<String, String> query = new HashMap<>();
    Map<String, List<String>> all = new HashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq), "query parameter name");
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query parameter " + key);
        query.putIfAbsent(key, value);
        all.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
    return new Request(parts, query, all, rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
  }

  private static String decode(String raw, String what) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "the " + what + " is not valid percent-encoding: " + e.getMessage());
    }
  }

  int size() {
    return segments.length;
  }

  String[] segments() {
    return segments.clone();
  }

  String segment(int i) {
    return segments[i];
  }

  /** A parameter, or null when it is absent or blank (an empty filter field means "any"). */
  @Nullable String param(String name) {
    String v = query.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** Every non-blank value of a repeated parameter ({@code ?v=1&v=2}), in the order given. */
  List<String> params(String name) {
    List<String> out = new ArrayList<>();
    for (String v : all.getOrDefault(name, List.of())) {
      if (!v.isBlank()) {
        out.add(v.trim());
      }
    }
    return out;
  }

  /** The path and query as requested, still encoded: where a page sends the browser back to. */
  String target() {
    return rawTarget;
  }

  long offset() {
    return offset("offset");
  }

  /** A paging parameter: how many items of a list to skip, 0 when absent; anything but a whole number is a 400. */
  long offset(String name) {
    String v = param(name);
    if (v == null) {
      return 0;
    }
    try {
      long offset = Long.parseLong(v);
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new HttpError(400, name + " must be a whole number of at least 0, got '" + v + "'");
  }
}
