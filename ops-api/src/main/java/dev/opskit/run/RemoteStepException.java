package dev.opskit.run;

import dev.opskit.OpsException;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The failure of a step that ran in another JVM, rebuilt from the {@link StepError} the worker reported. The original
 * exception's type, message and stack trace are in {@link #error()}.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class RemoteStepException extends OpsException {
  private static final long serialVersionUID = 1L;

  private final transient StepError error;

  /**
   * Creates the exception.
   *
   * @param step the step name
   * @param error the error the worker reported
   */
  public RemoteStepException(String step, StepError error) {
    super("step '" + step + "' failed on a worker: " + Objects.requireNonNull(error, "error").summary());
    this.error = error;
  }

  /**
   * Returns the error the worker reported.
   *
   * @return the error
   */
  public StepError error() {
    return error;
  }
}
