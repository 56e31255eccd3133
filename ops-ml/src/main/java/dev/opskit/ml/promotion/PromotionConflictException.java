package dev.opskit.ml.promotion;

import dev.opskit.ml.Stage;
import dev.opskit.store.StoreConflictException;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Another promotion of the same model to the same stage won a race, or the model's stored promotion policy changed
 * while the gates ran: nothing changed. It is retryable: evaluate the promotion again, against the new incumbent and
 * the new policy.
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

  private PromotionConflictException(String model, String message) {
    super("model", model, message, null);
  }

  /**
   * Creates the exception for a promotion whose model's stored promotion policy changed while its gates ran.
   *
   * @param model the model
   * @param version the version whose promotion was stopped
   * @param stage the target stage
   * @return the exception
   * @since 0.1.0
   */
  public static PromotionConflictException policyChanged(String model, int version, Stage stage) {
    return new PromotionConflictException(model, "the promotion policy of " + model + " changed while the gates of "
        + "its promotion of v" + version + " to " + stage + " ran; nothing changed. Retry: the gates of the new "
        + "policy will be evaluated");
  }
}
