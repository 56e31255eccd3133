package dev.opskit.ml;

import dev.opskit.OpsException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * There is no registered model of that name. The message lists models that do exist.
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
}
