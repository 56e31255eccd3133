package dev.opskit.run;

import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What a listener learns when a step loads or saves a dataset.
 *
 * @param runId the run id
 * @param pipeline the pipeline name
 * @param step the step reading or writing
 * @param dataset the dataset name
 * @param versionId the id of the version read or written, or null when data passes in memory without a catalog
 * @param time when the event happened, on the workspace's clock
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record DatasetEvent(
    String runId, String pipeline, String step, String dataset, @Nullable String versionId, Instant time) {
  /**
   * Checks the components.
   *
   * @param runId the run id
   * @param pipeline the pipeline name
   * @param step the step reading or writing
   * @param dataset the dataset name
   * @param versionId the version id, or null
   * @param time when the event happened
   */
  public DatasetEvent {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(time, "time");
  }
}
