package dev.opskit.data;

import org.apiguardian.api.API;

/**
 * A prepared garbage collection. Safe to run while other processes commit: a blob stored or confirmed during the
 * grace period is never deleted, and a version committed again while the collection runs is kept.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface GarbageCollection {
  /**
   * Lists what would be deleted, changing nothing.
   *
   * @return the report
   */
  GcReport dryRun();

  /**
   * Deletes the versions the policy does not keep, then the blobs nothing references.
   *
   * @return what was deleted
   */
  GcReport run();
}
