package dev.opskit.data.internal;

import dev.opskit.Workspace;
import dev.opskit.core.internal.HostLibraries;
import dev.opskit.spi.DataPlane;
import dev.opskit.spi.DataPlaneProvider;

/** Gives every workspace opened with ops-data on the class path its catalog as data plane. */
public final class CatalogProvider implements DataPlaneProvider {
  /** Called by the service loader. */
  public CatalogProvider() {}

  @Override
  public DataPlane open(Workspace workspace) {
    HostLibraries.require(HostLibraries.DATASKETCHES);
    return CatalogImpl.of(workspace);
  }
}
