package dev.opskit.spi;

import dev.opskit.Workspace;
import org.apiguardian.api.API;

/**
 * Attaches a {@link DataPlane} to every workspace that opens. Found with {@link java.util.ServiceLoader};
 * {@code ops-data} registers one.
 *
 * @since 0.1.0
 */
@API(status = API.Status.INTERNAL, since = "0.1.0")
public interface DataPlaneProvider {
  /**
   * Creates the data plane of a workspace.
   *
   * @param workspace the workspace, already open
   * @return its data plane
   */
  DataPlane open(Workspace workspace);
}
