package dev.opskit.ml.internal.input;

import dev.opskit.Names;
import dev.opskit.ml.Stage;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code models:/} URI: {@code models:/<model>/<version>}, {@code models:/<model>@<alias>},
 * {@code models:/<model>/<stage>} or {@code models:/<model>/latest}.
 *
 * <p>The rules, the same for every caller: the model and the alias are names, the alias not a reserved one; a version
 * is ASCII digits only, from 1 to {@link Integer#MAX_VALUE}; {@code latest} and the stages {@code staging} and
 * {@code production} match case-insensitively in ASCII only, so that {@code ſtaging} (long s) or {@code productıon}
 * (dotless i) are not stages. Every failure is an {@link IllegalArgumentException} that quotes the URI.
 *
 * @param uri the URI as given
 * @param model the model
 * @param kind what the reference is
 * @param number the version number, for {@link Kind#NUMBER}, else 0
 * @param alias the alias, for {@link Kind#ALIAS}
 * @param stage the stage, for {@link Kind#STAGE}
 */
public record ModelUri(String uri, String model, Kind kind, int number, @Nullable String alias,
    @Nullable Stage stage) {
  /** What a URI refers to. */
  public enum Kind {
    /** A version number. */
    NUMBER,
    /** An alias. */
    ALIAS,
    /** The newest READY version. */
    LATEST,
    /** The newest version in STAGING or PRODUCTION. */
    STAGE
  }

  private static final String PREFIX = "models:/";
  private static final String FORMS = "the forms are models:/<model>/<version>, models:/<model>@<alias>, "
      + "models:/<model>/<stage> and models:/<model>/latest";

  /**
   * Checks the components.
   *
   * @param uri the URI
   * @param model the model
   * @param kind the kind
   * @param number the number
   * @param alias the alias
   * @param stage the stage
   */
  public ModelUri {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Parses a URI.
   *
   * @param uri the URI
   * @return the parsed URI
   * @throws IllegalArgumentException quoting the URI and saying which rule it breaks
   */
  public static ModelUri parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.startsWith(PREFIX)) {
      throw refused(uri, "it does not start with '" + PREFIX + "'; " + FORMS);
    }
    String rest = uri.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    int at = rest.indexOf('@');
    if ((slash < 0) == (at < 0) || rest.indexOf('/', slash + 1) >= 0 || rest.indexOf('@', at + 1) >= 0) {
      throw refused(uri, FORMS);
    }
    int split = slash >= 0 ? slash : at;
    String model = rest.substring(0, split);
    String ref = rest.substring(split + 1);
    Names.nameProblem("model", model).ifPresent(problem -> {
      throw refused(uri, problem);
    });
    if (at >= 0) {
      Names.nameProblem("alias", ref).ifPresent(problem -> {
        throw refused(uri, problem);
      });
      if (Arguments.reserved(ref)) {
        throw refused(uri, "alias " + Names.quote(ref) + " is reserved; " + Arguments.RESERVED_RULE + "; write "
            + "models:/" + model + "/<version> or models:/" + model + "/latest instead");
      }
      return new ModelUri(uri, model, Kind.ALIAS, 0, ref, null);
    }
    if (!ref.isEmpty() && ref.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new ModelUri(uri, model, Kind.NUMBER, number(uri, ref), null, null);
    }
    if (asciiEqualsIgnoreCase(ref, "latest")) {
      return new ModelUri(uri, model, Kind.LATEST, 0, null, null);
    }
    for (Stage stage : Stage.values()) {
      if (asciiEqualsIgnoreCase(ref, stage.name())) {
        if (stage == Stage.NONE || stage == Stage.ARCHIVED) {
          throw refused(uri, "stage " + stage + " can hold many versions; name a version, an alias, staging or "
              + "production");
        }
        return new ModelUri(uri, model, Kind.STAGE, 0, null, stage);
      }
    }
    throw refused(uri, Names.quote(ref) + " is neither a version number, 'latest', nor a stage (staging, "
        + "production); a version number is ASCII digits, and the words match in any ASCII case");
  }

  private static int number(String uri, String digits) {
    String significant = digits.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 10 || Long.parseLong(significant) > Integer.MAX_VALUE) {
      throw refused(uri, "version number " + Names.quote(digits) + " is out of range; versions run from 1 to "
          + Integer.MAX_VALUE);
    }
    int number = Integer.parseInt(significant);
    if (number < 1) {
      throw refused(uri, "version numbers start at 1");
    }
    return number;
  }

  /** Compares a string with an upper- or lower-case ASCII word, folding ASCII letters only. */
  static boolean asciiEqualsIgnoreCase(String s, String word) {
    if (s.length() != word.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char a = s.charAt(i);
      char b = word.charAt(i);
      if (a >= 'A' && a <= 'Z') {
        a = (char) (a + ('a' - 'A'));
      }
      if (b >= 'A' && b <= 'Z') {
        b = (char) (b + ('a' - 'A'));
      }
      if (a != b) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException refused(String uri, String why) {
    return new IllegalArgumentException("cannot read model URI " + Names.quote(uri) + ": " + why);
  }
}
