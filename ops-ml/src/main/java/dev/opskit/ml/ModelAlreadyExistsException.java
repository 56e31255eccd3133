package dev.opskit.ml;

import dev.opskit.OpsException;
import org.apiguardian.api.API;

/**
 * A model of that name already exists: {@link ModelRegistry#createModel} creates only, and
 * {@link ModelRegistry#renameModel} never renames onto a model. Update an existing model with
 * {@link ModelRegistry#updateModel}.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class ModelAlreadyExistsException extends OpsException {
  private static final long serialVersionUID = 1L;

  /** The name that is taken. */
  private final String model;

  /**
   * Creates the exception.
   *
   * @param model the name that is taken
   * @param hint what to do instead, a sentence without the final period
   */
  public ModelAlreadyExistsException(String model, String hint) {
    super("model '" + model + "' already exists; " + hint);
    this.model = model;
  }

  /**
   * Returns the name that is taken.
   *
   * @return the model name
   */
  public String model() {
    return model;
  }
}
