package dev.opskit.ml.internal;

import dev.opskit.Names;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.store.RecordQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads the order keys of {@link dev.opskit.ml.search.ModelSearch#orderBy(String...)}: each {@code <field>} or
 * {@code <field> asc|desc} (any case; ascending when left out), several in one string separated by commas. Every
 * problem is an {@link IllegalArgumentException} naming the key and its place, and listing the fields. Stateless.
 */
final class SearchOrder {
  /** What the fields are, for messages. */
  static final String FIELDS = "name (or model), number (or version), created_at (or creation_time), updated_at (or "
      + "last_updated) and metrics.<name>";

  private SearchOrder() {}

  /**
   * Reads order keys.
   *
   * @param keys the keys, first the one that orders first; at least one, at most
   *     {@value RecordQuery#MAX_THEN_BY} + 1 in all
   * @return each key as an attribute of the version records and a direction
   * @throws IllegalArgumentException naming the key and its place (1-based), if a field is unknown, a direction is
   *     not asc or desc, a field comes twice, or there are none or too many
   */
  static List<RecordQuery.Order> parse(String... keys) {
    Objects.requireNonNull(keys, "keys");
    List<String> parts = new ArrayList<>();
    for (String key : keys) {
      Objects.requireNonNull(key, "an order key is null; write keys such as \"updated_at desc\"");
      for (String part : key.split(",", -1)) {
        parts.add(part.strip());
      }
    }
    if (parts.isEmpty() || parts.size() == 1 && parts.get(0).isEmpty()) {
      throw new IllegalArgumentException("an order needs at least one key; the fields are " + FIELDS);
    }
    if (parts.size() > RecordQuery.MAX_THEN_BY + 1) {
      throw new IllegalArgumentException("an order takes at most " + (RecordQuery.MAX_THEN_BY + 1) + " keys, got "
          + parts.size() + ": " + parts);
    }
    List<RecordQuery.Order> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      String[] words = part.split("\\s+");
      if (part.isEmpty() || words.length > 2) {
        throw problem(part, i, "is not <field> or <field> asc|desc");
      }
      boolean ascending = true;
      if (words.length == 2) {
        String dir = words[1].toLowerCase(Locale.ROOT);
        if (!dir.equals("asc") && !dir.equals("desc")) {
          throw problem(part, i, "has direction " + Names.quote(words[1]) + "; the directions are asc and desc");
        }
        ascending = dir.equals("asc");
      }
      String attribute = attribute(part, i, words[0]);
      if (out.stream().anyMatch(o -> o.attribute().equals(attribute))) {
        throw problem(part, i, "orders by a field an earlier key already orders by");
      }
      out.add(new RecordQuery.Order(attribute, ascending));
    }
    return List.copyOf(out);
  }

  private static String attribute(String part, int i, String field) {
    String lower = field.toLowerCase(Locale.ROOT);
    if (lower.startsWith("metrics.")) {
      String metric = field.substring("metrics.".length());
      try {
        return "metrics." + Arguments.metric(metric);
      } catch (IllegalArgumentException e) {
        throw problem(part, i, "names an illegal metric: " + e.getMessage());
      }
    }
    return switch (lower) {
      case "name", "model" -> "model";
      case "number", "version", "version_number" -> "number";
      case "created_at", "creation_time", "creation_timestamp" -> "created_at";
      case "updated_at", "last_updated", "last_updated_timestamp" -> "updated_at";
      default -> throw problem(part, i, "has an unknown field " + Names.quote(field));
    };
  }

  private static IllegalArgumentException problem(String part, int i, String what) {
    return new IllegalArgumentException("order key " + (i + 1) + " " + Names.quote(part) + " " + what
        + "; the fields are " + FIELDS + ", each followed by asc or desc");
  }
}
