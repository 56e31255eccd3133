package dev.opskit.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The rules for record attributes, shared by every store so that each accepts and returns the same values.
 *
 * <ul>
 *   <li>names are 1 to {@value StoredRecord#MAX_KEY_LENGTH} characters without control characters;
 *   <li>values are {@code String}, {@code Boolean}, {@code Long} (from any integral number), {@code Double} (from any
 *       other finite number) or {@link Instant} (kept to the microsecond);
 *   <li>strings are at most {@value #MAX_STRING_LENGTH} characters and contain no NUL. Filters compare the whole
 *       string, whatever its length; a store indexes and orders strings on their first {@value #ORDERED_LENGTH}
 *       characters ({@link #orderedPrefix}), so two strings that share those tie in an order, which their keys then
 *       break;
 *   <li>names, keys, strings and record bodies hold no unpaired surrogate, which a database would store as {@code ?},
 *       and bodies no NUL, which PostgreSQL cannot store: every store refuses both, with the same message.
 * </ul>
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public final class Attributes {
  /** The longest string attribute value, in characters. */
  public static final int MAX_STRING_LENGTH = 65_536;

  /**
   * How many leading characters of a string attribute a store indexes and orders by: strings that share them tie in
   * an order. Comparisons in filters use the whole string.
   *
   * @since 0.1.0
   */
  public static final int ORDERED_LENGTH = 1024;

  private Attributes() {}

  /**
   * The part of a string a store indexes and orders by: its first {@value #ORDERED_LENGTH} characters, or one fewer
   * where the last of them would be the first half of a surrogate pair, which would then be split.
   *
   * @param value a string attribute value
   * @return the value itself if it is at most {@value #ORDERED_LENGTH} characters, else its prefix
   * @since 0.1.0
   */
  public static String orderedPrefix(String value) {
    Objects.requireNonNull(value, "value");
    if (value.length() <= ORDERED_LENGTH) {
      return value;
    }
    return value.substring(0, Character.isHighSurrogate(value.charAt(ORDERED_LENGTH - 1)) ? ORDERED_LENGTH - 1
        : ORDERED_LENGTH);
  }

  /**
   * Checks attributes and brings numbers and instants to their stored form.
   *
   * @param attributes the attributes
   * @return the normalized copy, in the same order
   * @throws IllegalArgumentException naming the attribute and the rule it breaks
   */
  public static Map<String, Object> normalize(Map<String, ?> attributes) {
    Objects.requireNonNull(attributes, "attributes");
    Map<String, Object> out = new LinkedHashMap<>();
    attributes.forEach((name, value) -> out.put(checkName(name), check(name, value)));
    return out;
  }

  /**
   * Checks a name: a collection, key or attribute name.
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException if it is empty, too long or has a control character
   */
  public static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > StoredRecord.MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("store names and keys are 1 to " + StoredRecord.MAX_KEY_LENGTH
          + " characters, got " + name.length() + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("store names and keys must not contain control characters; "
            + dev.opskit.Names.quote(name) + " has one at index " + i);
      }
    }
    int lone = unpairedSurrogate(name);
    if (lone >= 0) {
      throw new IllegalArgumentException("store names and keys must not contain unpaired surrogates; "
          + dev.opskit.Names.quote(name) + " has one at index " + lone);
    }
    return name;
  }

  /**
   * Checks a record body: no NUL and no unpaired surrogate, so that every store keeps it as given.
   *
   * @param body the body
   * @return the body
   * @throws IllegalArgumentException naming the character and its index
   * @since 0.1.0
   */
  public static String checkBody(String body) {
    Objects.requireNonNull(body, "body");
    int nul = body.indexOf('\0');
    if (nul >= 0) {
      throw new IllegalArgumentException("a record body must not contain NUL; this one has one at index " + nul);
    }
    int lone = unpairedSurrogate(body);
    if (lone >= 0) {
      throw new IllegalArgumentException("a record body must not contain unpaired surrogates; this one has one at "
          + "index " + lone);
    }
    return body;
  }

  /** The index of the first unpaired surrogate, or -1. */
  private static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Checks a value and brings it to its stored form.
   *
   * @param name the attribute, for messages
   * @param value the value
   * @return the stored form
   * @throws IllegalArgumentException if the value breaks a rule
   */
  public static Object check(String name, Object value) {
    Objects.requireNonNull(value, () -> "attribute '" + name + "' is null; leave it out instead");
    if (value instanceof String) {
      String s = (String) value;
      if (s.length() > MAX_STRING_LENGTH) {
        throw new IllegalArgumentException("attribute '" + name + "' is " + s.length() + " characters; the limit is "
            + MAX_STRING_LENGTH);
      }
      if (s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("attribute '" + name + "' contains a NUL character");
      }
      int lone = unpairedSurrogate(s);
      if (lone >= 0) {
        throw new IllegalArgumentException("attribute '" + name + "' contains an unpaired surrogate at index " + lone);
      }
      return s;
    }
    if (value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("attribute '" + name + "' is " + d + "; numbers must be finite");
      }
      if (value instanceof BigDecimal && ((BigDecimal) value).scale() <= 0
          && ((BigDecimal) value).abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
        return ((BigDecimal) value).longValue();
      }
      return d;
    }
    if (value instanceof Instant) {
      Instant i = (Instant) value;
      return Instant.ofEpochSecond(i.getEpochSecond(), i.getNano() / 1000 * 1000L);
    }
    throw new IllegalArgumentException("attribute '" + name + "' has type " + value.getClass().getName()
        + "; attributes are strings, booleans, numbers or instants");
  }
}
