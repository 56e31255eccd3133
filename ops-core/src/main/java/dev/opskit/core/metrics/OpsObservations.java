package dev.opskit.core.metrics;

import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Makes every run an {@link Observation} named {@value #RUN} and every step attempt a child Observation named
 * {@value #STEP}, so that hosts with Micrometer Tracing get a span per run and per attempt. Attach it to a workspace
 * as a listener:
 *
 * <pre>{@code
 * Workspace ws = Workspace.builder()
 *     .listener(OpsObservations.of(observationRegistry))
 *     .openInMemory();
 * }</pre>
 *
 * <p>Low-cardinality keys: {@code pipeline}, {@code step}, {@code status}; high-cardinality: {@code run.id},
 * {@code attempt}. A failed attempt's Observation carries the error. With a no-op registry nothing is recorded.
 * Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class OpsObservations implements RunListener {
  /**
   * The name of a run's Observation: {@value}. It differs from {@link OpsMetrics#PIPELINE_RUN}, so a host that also
   * meters its observations (a {@code DefaultMeterObservationHandler}) into the registry of {@link OpsMetrics} gets
   * meters of their own rather than counting each run twice.
   */
  public static final String RUN = "opskit.pipeline.execution";
  /** The name of a step attempt's Observation: {@value}; it differs from {@link OpsMetrics#STEP} for that reason. */
  public static final String STEP = "opskit.step.attempt";

  private final ObservationRegistry registry;
  private final Map<String, Observation> runs = new ConcurrentHashMap<>();
  private final Map<String, Observation> attempts = new ConcurrentHashMap<>();

  private OpsObservations(ObservationRegistry registry) {
    this.registry = registry;
  }

  /**
   * Creates the listener.
   *
   * @param registry the host's observation registry
   * @return a listener that observes runs through it
   */
  public static OpsObservations of(ObservationRegistry registry) {
    return new OpsObservations(Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public void beforePipelineRun(RunInfo run) {
    Observation observation = Observation.createNotStarted(RUN, registry)
        .lowCardinalityKeyValue(OpsMetrics.TAG_PIPELINE, run.pipeline())
        .highCardinalityKeyValue("run.id", run.runId())
        .start();
    runs.put(run.runId(), observation);
  }

  @Override
  public void beforeStepRun(StepEvent event) {
    Observation parent = runs.get(event.runId());
    Observation observation = Observation.createNotStarted(STEP, registry)
        .parentObservation(parent)
        .lowCardinalityKeyValue(OpsMetrics.TAG_PIPELINE, event.pipeline())
        .lowCardinalityKeyValue(OpsMetrics.TAG_STEP, event.step())
        .highCardinalityKeyValue("run.id", event.runId())
        .highCardinalityKeyValue("attempt", Integer.toString(event.attempt()))
        .start();
    attempts.put(key(event), observation);
  }

  @Override
  public void afterStepRun(StepEvent event) {
    end(event, null, "SUCCEEDED");
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    end(event, error, "RETRIED");
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    end(event, error, "FAILED");
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    end(event, null, record.status().name());
  }

  @Override
  public void afterPipelineRun(Run run) {
    Observation observation = runs.remove(run.id());
    if (observation != null) {
      observation.lowCardinalityKeyValue(OpsMetrics.TAG_STATUS, run.status().name());
      run.failedSteps().stream().findFirst().flatMap(StepRecord::failure).flatMap(e -> e.exception())
          .ifPresent(observation::error);
      observation.stop();
    }
  }

  private void end(StepEvent event, @Nullable Throwable error, String status) {
    Observation observation = attempts.remove(key(event));
    if (observation != null) {
      observation.lowCardinalityKeyValue(OpsMetrics.TAG_STATUS, status);
      if (error != null) {
        observation.error(error);
      }
      observation.stop();
    }
  }

  private static String key(StepEvent event) {
    return event.runId() + '\u0000' + event.step();
  }
}
