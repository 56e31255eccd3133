package dev.opskit.ml;

import dev.opskit.store.StoreConflictException;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Another promotion of the same model to the same stage won a race: nothing changed. It is retryable: evaluate the
 * promotion again, against the new incumbent.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class PromotionConflictException extends StoreConflictException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param model the model
   * @param version the version whose promotion lost
   * @param stage the contested stage
   * @param cause the store's conflict, or null
   */
  public PromotionConflictException(String model, int version, Stage stage, @Nullable Throwable cause) {
    super("model", model, "promotion of " + model + " v" + version + " to " + stage + " lost a race with another "
        + "change of " + model + "'s " + stage + " version; nothing changed. Retry: the gates will be evaluated "
        + "against the new incumbent", cause);
  }
}
