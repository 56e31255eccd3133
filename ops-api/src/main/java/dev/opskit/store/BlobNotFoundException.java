package dev.opskit.store;

import dev.opskit.OpsException;
import org.apiguardian.api.API;

/**
 * There is no blob with the id asked for.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public final class BlobNotFoundException extends OpsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param id the blob id
   * @param store the store's description
   */
  public BlobNotFoundException(String id, String store) {
    super("no blob " + id + " in " + store);
  }
}
