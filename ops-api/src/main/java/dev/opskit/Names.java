package dev.opskit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
   * and shortening very long values. The value goes in single quotes, or in double quotes when it holds a single
   * quote and no double quote (a search filter such as {@code stage = 'prod'} reads as written); the quote character
   * in use is escaped inside it.
   *
   * @param value the value
   * @return the value in single (or double) quotes, escaped
   */
  public static String quote(String value) {
    Objects.requireNonNull(value, "value");
    char delimiter = value.indexOf('\'') >= 0 && value.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder(Math.min(value.length(), 80) + 2).append(delimiter);
    int limit = Math.min(value.length(), 80);
    if (limit < value.length() && Character.isHighSurrogate(value.charAt(limit - 1))) {
      limit--;
    }
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == delimiter
          || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c) && !pairedAt(value, i)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (limit < value.length()) {
      out.append("...(").append(value.length()).append(" chars)");
    }
    return out.append(delimiter).toString();
  }

  /** Whether the surrogate at {@code i} is half of a pair. */
  private static boolean pairedAt(String value, int i) {
    char c = value.charAt(i);
    return Character.isHighSurrogate(c) ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
  }

  /**
   * Finds the known names closest to an unknown one, for "did you mean" hints: those within a small edit distance
   * (about a third of the name's length, at least 2), or that contain it or are contained in it ignoring case; at most
   * three, closest first, ties sorted.
   *
   * @param name the unknown name
   * @param candidates the known names
   * @return the suggestions, possibly empty
   * @since 0.1.0
   */
  public static List<String> closest(String name, Collection<String> candidates) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(candidates, "candidates");
    String lower = name.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, name.length() / 3);
    List<Map.Entry<String, Integer>> near = new ArrayList<>();
    for (String candidate : candidates) {
      String c = candidate.toLowerCase(Locale.ROOT);
      int d = editDistance(lower, c, limit);
      if (d <= limit) {
        near.add(Map.entry(candidate, d));
      } else if (!lower.isEmpty() && (c.contains(lower) || lower.contains(c))) {
        near.add(Map.entry(candidate, limit + 1));
      }
    }
    near.sort(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    List<String> out = new ArrayList<>(3);
    for (int i = 0; i < near.size() && i < 3; i++) {
      out.add(near.get(i).getKey());
    }
    return out;
  }

  /**
   * Writes the end of an "unknown name" message: the closest names, if any, and the known names, sorted (the first
   * 20 and a count when there are more). For example {@code "; did you mean 'clean'? known steps: [clean, train]"}.
   *
   * @param name the unknown name
   * @param candidates the known names
   * @param kinds what the candidates are, plural, for the message (for example {@code "steps"})
   * @return the hint, starting with {@code "; "}
   * @since 0.1.0
   */
  public static String hint(String name, Collection<String> candidates, String kinds) {
    Objects.requireNonNull(kinds, "kinds");
    List<String> near = closest(name, candidates);
    StringBuilder sb = new StringBuilder("; ");
    if (!near.isEmpty()) {
      sb.append("did you mean ");
      for (int i = 0; i < near.size(); i++) {
        sb.append(i == 0 ? "" : i == near.size() - 1 ? " or " : ", ").append('\'').append(near.get(i)).append('\'');
      }
      sb.append("? ");
    }
    List<String> sorted = new ArrayList<>(candidates);
    Collections.sort(sorted);
    sb.append("known ").append(kinds).append(": ");
    if (sorted.size() <= 20) {
      sb.append(sorted);
    } else {
      sb.append(sorted.subList(0, 20)).append(" and ").append(sorted.size() - 20).append(" more");
    }
    return sb.toString();
  }

  /** Levenshtein distance, giving up (returning {@code limit + 1}) once it must exceed {@code limit}. */
  private static int editDistance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) {
      return limit + 1;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
