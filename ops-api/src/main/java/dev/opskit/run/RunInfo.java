package dev.opskit.run;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What a listener learns when a run starts.
 *
 * @param runId the run id
 * @param pipeline the pipeline name
 * @param steps the selected steps, in topological order
 * @param executor the executor's name
 * @param startedAt when the run started
 * @param resumedFrom the id of the run being resumed, or null
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record RunInfo(
    String runId, String pipeline, List<String> steps, String executor, Instant startedAt,
    @Nullable String resumedFrom) {
  /**
   * Checks and copies the components.
   *
   * @param runId the run id
   * @param pipeline the pipeline name
   * @param steps the selected steps
   * @param executor the executor's name
   * @param startedAt when the run started
   * @param resumedFrom the id of the run being resumed
   */
  public RunInfo {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(pipeline, "pipeline");
    steps = List.copyOf(steps);
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(startedAt, "startedAt");
  }
}
