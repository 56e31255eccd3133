package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.StepEvent;
import dev.opskit.spi.DataPlane;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What every part of one run in progress reads and none changes: the run's id and pipeline, the workspace's
 * environment, the run's listeners, and the data plane that versions its datasets; and the events made from them.
 * Immutable, and thread-safe as its components are.
 *
 * @param runId the run's id
 * @param pipeline the pipeline it runs
 * @param env time, scheduling, randomness, and where the run is recorded
 * @param listeners the run's listeners
 * @param dataPlane commits and loads versions, or null for a workspace without a catalog
 */
record RunScope(String runId, Pipeline pipeline, RunEnvironment env, Listeners listeners,
    @Nullable DataPlane dataPlane) {

  /** The time now, by the environment's clock. */
  Instant now() {
    return env.clock().instant();
  }

  /** An event about an attempt of a step of this run, now. */
  StepEvent event(Step step, int attempt) {
    return event(step, attempt, now());
  }

  /** An event about an attempt of a step of this run, at a given time. */
  StepEvent event(Step step, int attempt, Instant at) {
    return new StepEvent(runId, pipeline.name(), step.name(), attempt, at);
  }

  /** An event about a dataset a step of this run reads or writes, now. */
  DatasetEvent datasetEvent(Step step, String dataset, @Nullable String versionId) {
    return new DatasetEvent(runId, pipeline.name(), step.name(), dataset, versionId, now());
  }

  /** The dataset handle that carries the codec: the producer's, or the declared external's. */
  @Nullable Dataset<?> codecOf(String dataset) {
    return RunExecution.codecOf(pipeline, dataset);
  }
}
