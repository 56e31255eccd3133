package dev.opskit.ml;

import dev.opskit.OpsException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * There is no registered model of that name. The message lists models that do exist, or, for a name a model had
 * before it was renamed, its new name.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class ModelNotFoundException extends OpsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param model the name asked for
   * @param known some models that exist
   */
  public ModelNotFoundException(String model, List<String> known) {
    super("no registered model '" + model + "'; " + (known.isEmpty() ? "the registry has no models yet"
        : "registered models include " + known));
  }

  private ModelNotFoundException(String message) {
    super(message);
  }

  /**
   * The exception for a name whose model was deleted.
   *
   * @param model the name asked for
   * @param at when the model was deleted
   * @return the exception
   * @since 0.1.0
   */
  public static ModelNotFoundException deleted(String model, java.time.Instant at) {
    return new ModelNotFoundException("no registered model '" + model + "': it was deleted at " + at + "; its audit "
        + "trail stays readable with audit(\"" + model + "\"), and createModel makes a new model of that name");
  }

  /**
   * The exception for a name that a model had until it was renamed: the message names the new name.
   *
   * @param model the old name asked for
   * @param renamedTo the model's name now
   * @return the exception
   * @since 0.1.0
   */
  public static ModelNotFoundException renamed(String model, String renamedTo) {
    return new ModelNotFoundException("no registered model '" + model + "': it was renamed to '" + renamedTo
        + "'; use models:/" + renamedTo + "/... (create '" + model + "' again with createModel to reuse the name)");
  }
}
