package dev.opskit.data.internal;

import dev.opskit.Names;
import dev.opskit.OpsException;
import dev.opskit.data.DatasetVersion;
import dev.opskit.pipeline.DatasetCodec;
import dev.opskit.store.BlobStore;
import dev.opskit.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a codec decodes a version from: its content, checked as it is read, and a scratch directory of its own. */
final class DecodeContextImpl implements DatasetCodec.DecodeContext {
  private final CatalogStores stores;
  private final DatasetVersion version;

  DecodeContextImpl(CatalogStores stores, DatasetVersion version) {
    this.stores = stores;
    this.version = version;
  }

  @Override
  public InputStream open() {
    return stores.checkedBlobs().open(version.id());
  }

  @Override
  public String versionId() {
    return version.id();
  }

  @Override
  public String dataset() {
    return version.dataset();
  }

  @Override
  public BlobStore blobs() {
    return stores.checkedBlobs();
  }

  @Override
  public Path scratch() {
    // The id names a directory: one read from an altered record must not lead elsewhere.
    if (!version.id().matches("[0-9a-f]{64}")) {
      throw new OpsException("version " + Names.quote(version.id()) + " of dataset '" + version.dataset()
          + "' has an id that is not a SHA-256; its record was altered, and no scratch directory is made for it");
    }
    Path dir = stores.scratchRoot().resolve(CatalogRecords.datasetKey(version.dataset())).resolve(version.id());
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("could not create the scratch directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
