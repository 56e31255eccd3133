package dev.opskit.store;

import dev.opskit.OpsException;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A store could not do what was asked: the database failed, the disk is full, the directory is not writable. The
 * message names the store and what to do; the cause carries the driver's error.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public class StoreException extends OpsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and what to do
   * @param cause the underlying failure, or null
   */
  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
