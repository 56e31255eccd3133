package dev.opskit;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The one name grammar that pipelines, steps, models and aliases share, and the path grammar of dataset names.
 *
 * <ul>
 *   <li>A <b>name</b> matches {@value #NAME_RULE}: it starts with a letter or digit, continues with letters, digits,
 *       {@code .}, {@code _} or {@code -}, and is at most 128 characters long. Names are case-sensitive.
 *   <li>A <b>dataset name</b> is one or more names joined by {@code /}, at most 512 characters in all: no empty,
 *       {@code .} or {@code ..} segment, and no leading or trailing {@code /}.
 * </ul>
 *
 * <p>Every backend and every read or write path applies the same rule. This class is thread-safe and stateless.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Names {
  /** The regular expression every name matches. */
  public static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

  /** The longest dataset name accepted, in characters. */
  public static final int MAX_DATASET_NAME_LENGTH = 512;

  private static final Pattern NAME = Pattern.compile(NAME_RULE);

  private Names() {}

  /**
   * Tells whether a string is a valid name.
   *
   * @param name the candidate
   * @return true if it matches {@value #NAME_RULE}
   */
  public static boolean isValidName(String name) {
    Objects.requireNonNull(name, "name");
    return NAME.matcher(name).matches();
  }

  /**
   * Explains why a string is not a valid name.
   *
   * @param kind what the name names, for the message (for example {@code "step"})
   * @param name the candidate
   * @return the problem, or empty if the name is valid
   */
  public static Optional<String> nameProblem(String kind, String name) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      return Optional.of(kind + " name is empty; names match " + NAME_RULE);
    }
    if (NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(kind + " name " + quote(name) + " is illegal: names match " + NAME_RULE
        + " (letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters)");
  }

  /**
   * Checks a name and returns it.
   *
   * @param kind what the name names, for the message (for example {@code "model"})
   * @param name the candidate
   * @return {@code name}
   * @throws IllegalArgumentException if the name breaks the rule; the message names the value and the rule
   */
  public static String requireValidName(String kind, String name) {
    Optional<String> problem = nameProblem(kind, name);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    return name;
  }

  /**
   * Explains why a string is not a valid dataset name.
   *
   * @param name the candidate
   * @return the problem, or empty if the name is valid
   */
  public static Optional<String> datasetNameProblem(String name) {
    Objects.requireNonNull(name, "name");
    String rule = "dataset names are names (" + NAME_RULE + ") joined by '/', at most "
        + MAX_DATASET_NAME_LENGTH + " characters, with no empty, '.' or '..' segment and no leading or trailing '/'";
    if (name.isEmpty()) {
      return Optional.of("dataset name is empty; " + rule);
    }
    if (name.length() > MAX_DATASET_NAME_LENGTH) {
      return Optional.of("dataset name of " + name.length() + " characters is too long; " + rule);
    }
    if (name.startsWith("/") || name.endsWith("/")) {
      return Optional.of("dataset name " + quote(name) + " starts or ends with '/'; " + rule);
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !NAME.matcher(segment).matches()) {
        return Optional.of("dataset name " + quote(name) + " has an illegal segment " + quote(segment) + "; " + rule);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a dataset name and returns it.
   *
   * @param name the candidate
   * @return {@code name}
   * @throws IllegalArgumentException if the name breaks the rule; the message names the value and the rule
   */
  public static String requireValidDatasetName(String name) {
    Optional<String> problem = datasetNameProblem(name);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    return name;
  }

  /**
   * Quotes a value for an error message, escaping control characters so that the message stays on one line, format
   * characters (bidi controls, zero-width characters) and unpaired surrogates so that it shows what the value holds,
   * and shortening very long values.
   *
   * @param value the value
   * @return the value in single quotes, escaped
   */
  public static String quote(String value) {
    Objects.requireNonNull(value, "value");
    StringBuilder out = new StringBuilder(Math.min(value.length(), 80) + 2).append('\'');
    int limit = Math.min(value.length(), 80);
    if (limit < value.length() && Character.isHighSurrogate(value.charAt(limit - 1))) {
      limit--;
    }
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == '\''
          || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c) && !pairedAt(value, i)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (limit < value.length()) {
      out.append("...(").append(value.length()).append(" chars)");
    }
    return out.append('\'').toString();
  }

  /** Whether the surrogate at {@code i} is half of a pair. */
  private static boolean pairedAt(String value, int i) {
    char c = value.charAt(i);
    return Character.isHighSurrogate(c) ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
  }
}
