package dev.opskit.core.internal;

import dev.opskit.pipeline.Step;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The fingerprint of a step execution, computed before it runs: SHA-256 of a canonical JSON document of the step name,
 * its code version, its parameters (keys sorted; falsy values such as {@code ""}, {@code false} and empty collections
 * are real values), its input version ids by dataset name and, for a step with a freshness probe, the probe's token.
 */
final class Fingerprints {
  private Fingerprints() {}

  static String of(Step step, Map<String, String> inputVersions) {
    return of(step, CodeVersions.of(step), inputVersions, null);
  }

  static String of(Step step, String code, Map<String, String> inputVersions, @Nullable String token) {
    StringBuilder json = new StringBuilder(256);
    json.append("{\"step\":");
    string(json, step.name());
    json.append(",\"code\":");
    string(json, code);
    json.append(",\"params\":");
    value(json, step.params());
    json.append(",\"inputs\":");
    value(json, new TreeMap<>(inputVersions));
    if (token != null) {
      // Only steps with a probe have this member, so the fingerprints of every other step stay what they were.
      json.append(",\"freshness\":");
      string(json, token);
    }
    json.append('}');
    byte[] digest = CodeVersions.sha256().digest(json.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest);
  }

  static void value(StringBuilder json, Object value) {
    if (value instanceof String) {
      string(json, (String) value);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
      json.append(value);
    } else if (value instanceof BigDecimal) {
      json.append(((BigDecimal) value).stripTrailingZeros().toPlainString());
    } else if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      json.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
    } else if (value instanceof Map<?, ?>) {
      json.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>((Map<?, ?>) value).entrySet()) {
        json.append(first ? "" : ",");
        string(json, String.valueOf(e.getKey()));
        json.append(':');
        value(json, e.getValue());
        first = false;
      }
      json.append('}');
    } else if (value instanceof List<?>) {
      json.append('[');
      boolean first = true;
      for (Object item : (List<?>) value) {
        json.append(first ? "" : ",");
        value(json, item);
        first = false;
      }
      json.append(']');
    } else {
      string(json, String.valueOf(value));
    }
  }

  /** One value as canonical JSON, as it goes into a fingerprint. */
  static String canonical(Object value) {
    StringBuilder json = new StringBuilder();
    value(json, value);
    return json.toString();
  }

  private static void string(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}
