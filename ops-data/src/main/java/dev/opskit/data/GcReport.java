package dev.opskit.data;

import java.util.List;
import org.apiguardian.api.API;

/**
 * What a garbage collection deleted, or would delete.
 *
 * @param dryRun whether nothing was changed
 * @param versions the versions deleted (as {@code dataset@id})
 * @param blobs the blob ids deleted
 * @param bytes the bytes the deleted blobs held
 * @param versionsKept how many versions remain
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record GcReport(boolean dryRun, List<String> versions, List<String> blobs, long bytes, long versionsKept) {
  /**
   * Copies the components.
   *
   * @param dryRun whether nothing was changed
   * @param versions the versions
   * @param blobs the blobs
   * @param bytes the bytes
   * @param versionsKept the versions kept
   */
  public GcReport {
    versions = List.copyOf(versions);
    blobs = List.copyOf(blobs);
  }
}
