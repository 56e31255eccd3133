package dev.opskit.ml.internal.tracking;

import dev.opskit.Names;
import dev.opskit.ml.tracking.Tracking;
import java.util.Objects;
import java.util.regex.Pattern;

/** The checks of what is logged to a run, with messages that name the value and the rule it breaks. */
final class Rules {
  private static final Pattern KEY = Pattern.compile(Tracking.KEY_RULE);

  private Rules() {}

  /**
   * Checks a key or an artifact name.
   *
   * @param kind what it names, such as {@code "metric key"}
   */
  static String key(String kind, String key) {
    Objects.requireNonNull(key, kind);
    if (key.isBlank()) {
      throw new IllegalArgumentException(kind + " " + Names.quote(key) + " is blank; " + ruleText());
    }
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(kind + " " + Names.quote(key) + " is illegal; " + ruleText());
    }
    return key;
  }

  /** Checks a parameter or tag value. */
  static String value(String kind, String key, String value) {
    if (value.length() > Tracking.MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(kind + " " + Names.quote(key) + " has a value of " + value.length()
          + " characters; values are at most " + Tracking.MAX_VALUE_LENGTH + " characters");
    }
    dev.opskit.ml.internal.input.Arguments.text("the value of " + kind + " " + Names.quote(key), value);
    return value;
  }

  static void finite(String key, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("metric " + Names.quote(key) + " value " + value
          + " is not finite; metric values must be finite numbers (no NaN or infinity)");
    }
  }

  static void step(String key, long step) {
    if (step < 0) {
      throw new IllegalArgumentException("metric " + Names.quote(key) + " step " + step
          + " is negative; steps start at 0");
    }
  }

  static String experiment(String experiment) {
    return Names.requireValidName("experiment", Objects.requireNonNull(experiment, "experiment"));
  }

  private static String ruleText() {
    return "keys and artifact names match " + Tracking.KEY_RULE + " (letters, digits, '.', '_', '-' and '/',"
        + " starting with a letter or digit, at most 128 characters)";
  }
}
