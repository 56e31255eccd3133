package dev.opskit.store;

import dev.opskit.OpsException;
import org.apiguardian.api.API;

/**
 * A record that must exist does not.
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public class RecordNotFoundException extends OpsException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param collection the collection
   * @param key the key
   */
  public RecordNotFoundException(String collection, String key) {
    super("no record " + collection + "/" + key);
  }
}
