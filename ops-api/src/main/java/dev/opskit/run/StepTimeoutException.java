package dev.opskit.run;

import dev.opskit.OpsException;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * The failure of an attempt that ran longer than its step's timeout. The runner interrupts the attempt's thread and
 * counts the attempt as failed; the retry policy decides whether another is made.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class StepTimeoutException extends OpsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param step the step name
   * @param attempt the attempt that timed out
   * @param timeout the step's timeout
   */
  public StepTimeoutException(String step, int attempt, Duration timeout) {
    super("step '" + step + "' attempt " + attempt + " timed out after " + timeout + " and was interrupted");
  }
}
