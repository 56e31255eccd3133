package dev.opskit.ml.internal.input;

import dev.opskit.Names;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks of the registry's arguments, so that every entry point refuses the same values with the same message on every
 * backend, before a store sees them. Each failure is an {@link IllegalArgumentException} naming the parameter, the
 * value and the rule. Stateless.
 */
public final class Arguments {
  /**
   * The reserved aliases: {@code latest} in any ASCII case, {@code v<digits>} and purely numeric names, which would
   * read as version references. Letters match case-insensitively in ASCII only.
   */
  public static final String RESERVED_RULE = "'latest' (any case), 'v<digits>' and purely numeric names are reserved: "
      + "they would read as version references";

  private static final Pattern RESERVED = Pattern.compile("(?i)latest|v[0-9]+|[0-9]+");

  private static final Pattern METRIC = Pattern.compile(dev.opskit.ml.tracking.Tracking.KEY_RULE);

  private Arguments() {}

  /**
   * Checks a metric name, as tracking keys are checked: {@value dev.opskit.ml.tracking.Tracking#KEY_RULE}.
   *
   * @param metric the metric name
   * @return the name
   * @throws IllegalArgumentException naming the value and the rule
   */
  public static String metric(String metric) {
    Objects.requireNonNull(metric, "metric");
    if (!METRIC.matcher(metric).matches()) {
      throw new IllegalArgumentException("metric name " + Names.quote(metric) + " is illegal; metric names match "
          + dev.opskit.ml.tracking.Tracking.KEY_RULE);
    }
    return metric;
  }

  /**
   * Finds a stage by name, matching ASCII letters case-insensitively and nothing else.
   *
   * @param parameter what the name is, for the message
   * @param name the name, such as {@code production}
   * @return the stage
   * @throws IllegalArgumentException naming the value and the stages
   */
  public static dev.opskit.ml.Stage stage(String parameter, String name) {
    Objects.requireNonNull(name, parameter);
    for (dev.opskit.ml.Stage stage : dev.opskit.ml.Stage.values()) {
      if (ModelUri.asciiEqualsIgnoreCase(name, stage.name())) {
        return stage;
      }
    }
    throw new IllegalArgumentException(parameter + " " + Names.quote(name) + " is not a stage; the stages are "
        + java.util.Arrays.toString(dev.opskit.ml.Stage.values()) + ", in any ASCII case");
  }

  /**
   * Checks an alias: a name, and not a reserved one.
   *
   * @param alias the alias
   * @return the alias
   * @throws IllegalArgumentException naming the alias and the rule
   */
  public static String alias(String alias) {
    Objects.requireNonNull(alias, "alias");
    Names.requireValidName("alias", alias);
    if (reserved(alias)) {
      throw new IllegalArgumentException("alias " + Names.quote(alias) + " is reserved; " + RESERVED_RULE
          + "; choose another name");
    }
    return alias;
  }

  /**
   * Whether a name is a reserved alias. Only ASCII letters and digits match: {@code "latest"} with a long s or a
   * dotless i is not {@code latest}.
   *
   * @param name a name
   * @return true if reserved
   */
  public static boolean reserved(String name) {
    return RESERVED.matcher(name).matches();
  }

  /**
   * Checks free text: a reason, a description or a tag value.
   *
   * @param parameter the parameter, for the message
   * @param text the text
   * @return the text
   * @throws IllegalArgumentException naming the parameter if the text holds NUL or another control character but tab
   *     and line breaks, a bidi control or an unpaired surrogate
   */
  public static String text(String parameter, String text) {
    Objects.requireNonNull(text, parameter);
    Characters.textProblem(parameter, text).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    return text;
  }

  /**
   * Checks tags: each key a name ({@value Names#NAME_RULE}), so that a filter can name it, and each value text of at
   * most {@value dev.opskit.ml.ModelRegistry#MAX_TAG_VALUE_LENGTH} characters.
   *
   * @param tags the tags
   * @return the tags
   * @throws IllegalArgumentException naming the tag and the rule
   */
  public static Map<String, String> tags(Map<String, String> tags) {
    Objects.requireNonNull(tags, "tags");
    // a map that holds a null key is read entry by entry: some maps refuse get(null) and containsKey(null)
    for (Map.Entry<String, String> e : tags.entrySet()) {
      tag(e.getKey(), e.getValue());
    }
    return tags;
  }

  /**
   * Checks one tag: its key a name ({@value Names#NAME_RULE}), its value text (see {@link #text}) of at most
   * {@value dev.opskit.ml.ModelRegistry#MAX_TAG_VALUE_LENGTH} characters.
   *
   * @param key the key, a name
   * @param value the value, text
   * @throws IllegalArgumentException naming the tag and the rule
   */
  public static void tag(@Nullable String key, @Nullable String value) {
    if (key == null) {
      throw new IllegalArgumentException("a tag key is null" + (value == null ? "" : " (the tag with value "
          + Names.quote(value.length() > 40 ? value.substring(0, 40) + "..." : value) + ")") + "; tag keys are names: "
          + Names.NAME_RULE);
    }
    tagKey(key);
    if (value == null) {
      throw new IllegalArgumentException("the value of tag '" + key + "' is null; a tag's value is text, possibly "
          + "empty (delete a tag to remove it)");
    }
    if (value.length() > dev.opskit.ml.ModelRegistry.MAX_TAG_VALUE_LENGTH) {
      throw new IllegalArgumentException("the value of tag '" + key + "' is " + value.length() + " characters long; "
          + "tag values are at most " + dev.opskit.ml.ModelRegistry.MAX_TAG_VALUE_LENGTH + " characters");
    }
    text("the value of tag '" + key + "'", value);
  }

  /**
   * Checks a tag key: a name, {@value Names#NAME_RULE}.
   *
   * @param key the key
   * @return the key
   * @throws IllegalArgumentException naming the key and the rule
   */
  public static String tagKey(@Nullable String key) {
    if (key == null) {
      throw new IllegalArgumentException("a tag key is null; tag keys are names: " + Names.NAME_RULE);
    }
    return Names.requireValidName("tag key", key);
  }

  /**
   * Checks a run id given to be recorded: 1 to 255 characters with no invisible or deceptive character
   * ({@link Characters#deceptive}), as every id a workspace or tracking hands out is.
   *
   * @param parameter the parameter, for the message
   * @param id the id
   * @return the id
   * @throws IllegalArgumentException naming the parameter, the value and the rule
   */
  public static String runId(String parameter, String id) {
    Objects.requireNonNull(id, parameter);
    if (id.isEmpty() || id.length() > 255) {
      throw new IllegalArgumentException(parameter + " " + Names.quote(id) + " cannot be a run id: run ids are 1 to "
          + "255 characters");
    }
    Characters.deceptiveProblem(parameter, id).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    return id;
  }

  /**
   * Checks a version number.
   *
   * @param number the number
   * @return the number
   * @throws IllegalArgumentException if it is not positive
   */
  public static int number(int number) {
    if (number < 1) {
      throw new IllegalArgumentException("version number must be at least 1, got " + number);
    }
    return number;
  }
}
