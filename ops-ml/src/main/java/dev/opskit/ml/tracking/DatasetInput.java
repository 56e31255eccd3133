package dev.opskit.ml.tracking;

import dev.opskit.Names;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A dataset version a training run read, and in which role. Tracking runs record them, and a model version's
 * provenance carries them.
 *
 * <pre>{@code
 * new DatasetInput("crm/holdout", version.id(), "evaluation")
 * }</pre>
 *
 * @param dataset the dataset name, following the dataset name rule of {@link Names}
 * @param version the version id: 1 to {@value #MAX_VERSION_LENGTH} characters, without whitespace or control
 *     characters
 * @param context the role, following {@link Names#NAME_RULE}: {@code training}, {@code validation},
 *     {@code evaluation} or another
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record DatasetInput(String dataset, String version, String context) {
  /** The context of an input nobody gave one: {@value}. */
  public static final String TRAINING = "training";

  /** The context of a dataset used to tune a model while it is trained: {@value}. */
  public static final String VALIDATION = "validation";

  /**
   * The context of a dataset a model was evaluated on: {@value}. {@link dev.opskit.ml.promotion.Gates#beatsChampion}
   * compares two versions that name such inputs only if they name the same versions; when neither names one, it
   * compares their metrics as recorded.
   */
  public static final String EVALUATION = "evaluation";

  /** The longest version id, in characters. */
  public static final int MAX_VERSION_LENGTH = 255;

  /**
   * Checks the components.
   *
   * @param dataset the dataset name
   * @param version the version id
   * @param context the role
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public DatasetInput {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(context, "context");
    Names.requireValidDatasetName(dataset);
    checkVersion(version);
    checkContext(context);
  }

  /**
   * Checks a context, the role in which a dataset was read.
   *
   * @param context the candidate
   * @return {@code context}
   * @throws IllegalArgumentException if it does not follow {@link Names#NAME_RULE}, naming the value and the rule
   */
  public static String checkContext(String context) {
    Objects.requireNonNull(context, "context");
    if (context.isBlank() || !Names.isValidName(context)) {
      throw new IllegalArgumentException("dataset input context " + Names.quote(context)
          + " is illegal: contexts such as 'training' or 'evaluation' match " + Names.NAME_RULE);
    }
    return context;
  }

  private static void checkVersion(String version) {
    boolean bad = version.isEmpty() || version.length() > MAX_VERSION_LENGTH;
    for (int i = 0; i < version.length() && !bad; i++) {
      char c = version.charAt(i);
      bad = Character.isWhitespace(c) || Character.isISOControl(c);
    }
    if (bad) {
      throw new IllegalArgumentException("dataset input version " + Names.quote(version) + " is illegal: version ids"
          + " are 1 to " + MAX_VERSION_LENGTH + " characters without whitespace or control characters");
    }
  }
}
