package dev.opskit.ml;

import dev.opskit.OpsException;
import org.apiguardian.api.API;

/**
 * A model has no version of that number, or no version holds that alias or stage. The message says what exists.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class ModelVersionNotFoundException extends OpsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was asked and what exists
   */
  public ModelVersionNotFoundException(String message) {
    super(message);
  }
}
