package dev.opskit.run;

import dev.opskit.OpsException;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a run ends without succeeding. The message names the failed step, its cause, and the exact call that
 * resumes the run; {@link #run()} gives the whole report.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class RunFailedException extends OpsException {
  private static final long serialVersionUID = 1L;

  private final transient Run run;

  /**
   * Creates the exception.
   *
   * @param run the failed or cancelled run
   * @param message the explanation
   * @param cause the first failed step's exception, or null
   */
  public RunFailedException(Run run, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.run = Objects.requireNonNull(run, "run");
  }

  /**
   * Returns the report of the run that failed.
   *
   * @return the run
   */
  public Run run() {
    return run;
  }
}
