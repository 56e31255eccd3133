package dev.opskit.pipeline;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The outcome of one check on one dataset version.
 *
 * @param check the check's name, for example {@code not_null(id)}
 * @param severity how much a failure matters
 * @param passed whether the data met the expectation
 * @param failingRows how many rows broke it; 0 for a check of the whole value
 * @param samples a few offending values or rows, rendered as text
 * @param message what was expected and what was found
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record CheckResult(String check, Severity severity, boolean passed, long failingRows, List<String> samples,
    String message) {
  /**
   * Checks and copies the components.
   *
   * @param check the check's name
   * @param severity how much a failure matters
   * @param passed whether the data met the expectation
   * @param failingRows how many rows broke it
   * @param samples offending values
   * @param message the explanation
   */
  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(severity, "severity");
    samples = List.copyOf(samples);
    Objects.requireNonNull(message, "message");
    if (failingRows < 0) {
      throw new IllegalArgumentException("failingRows must not be negative, got " + failingRows);
    }
  }

  /**
   * Tells whether this result blocks the version.
   *
   * @return true for a failed {@link Severity#ERROR} check
   */
  public boolean blocks() {
    return !passed && severity == Severity.ERROR;
  }
}
