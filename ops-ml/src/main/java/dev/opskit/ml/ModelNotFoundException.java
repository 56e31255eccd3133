package dev.opskit.ml;

import dev.opskit.Names;
import dev.opskit.OpsException;
import java.util.Collection;
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
   * The exception for a name that nothing was ever recorded under: no model has it, none was deleted or renamed away
   * from it, and it has no audit trail. The message suggests the closest of the names that have a trail ("did you
   * mean"), so that a misspelt name in a compliance check fails rather than reads as an empty trail.
   *
   * @param model the name asked for
   * @param named names that have an audit trail, from which the suggestions are drawn
   * @return the exception
   * @since 0.1.0
   */
  public static ModelNotFoundException neverUsed(String model, Collection<String> named) {
    return new ModelNotFoundException("no registered model '" + model + "', and none was deleted or renamed away "
        + "under that name: it has no audit trail" + (named.isEmpty() ? "; the registry has no models yet"
            : Names.hint(model, named, "names with an audit trail")));
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
        + "trail and timeline stay readable with audit(\"" + model + "\") and timeline(\"" + model + "\"), and "
        + "createModel makes a new model of that name");
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
