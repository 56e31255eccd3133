package dev.opskit.pipeline;

import dev.opskit.OpsException;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A step's output failed a check of severity {@link Severity#ERROR}. The version was recorded as quarantined and the
 * step fails with this exception; it is not retried, since the same inputs would produce the same data.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class DatasetCheckException extends OpsException {
  private static final long serialVersionUID = 1L;

  private final transient ValidationReport report;
  /** The id of the version that failed its checks. */
  private final String versionId;

  /**
   * Creates the exception.
   *
   * @param report the validation report
   * @param versionId the id of the quarantined version
   */
  public DatasetCheckException(ValidationReport report, String versionId) {
    super("dataset '" + Objects.requireNonNull(report, "report").dataset() + "' version " + versionId
        + " failed its checks and was quarantined:\n" + report.summary());
    this.report = report;
    this.versionId = versionId;
  }

  /**
   * Returns the validation report.
   *
   * @return the report
   */
  public ValidationReport report() {
    return report;
  }

  /**
   * Returns the id of the quarantined version.
   *
   * @return the version id
   */
  public String versionId() {
    return versionId;
  }
}
