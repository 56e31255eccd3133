package dev.opskit.core.metrics;

import dev.opskit.run.Run;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Records opskit's meters in the host's Micrometer {@link MeterRegistry}. It is a {@link RunListener}: attach it to a
 * workspace and every run is measured. Nothing is created or recorded until a run happens, and a workspace without it
 * pays nothing.
 *
 * <pre>{@code
 * Workspace ws = Workspace.builder()
 *     .listener(OpsMetrics.of(meterRegistry))
 *     .openInMemory();
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #PIPELINE_RUN}</td><td>timer</td><td>pipeline, status</td><td>each run, start to end</td></tr>
 *   <tr><td>{@value #STEP}</td><td>timer</td><td>pipeline, step, status</td><td>each step of each run, from its first
 *       attempt to its final state (zero for a step that never started)</td></tr>
 *   <tr><td>{@value #STEP_ACTIVE}</td><td>long task timer</td><td>pipeline, step</td><td>attempts running now</td></tr>
 *   <tr><td>{@value #STEP_RETRIES}</td><td>counter</td><td>pipeline, step</td><td>failed attempts that will be
 *       retried</td></tr>
 *   <tr><td>{@value #STEP_CACHE}</td><td>counter</td><td>pipeline, step, result</td><td>cache lookups of cacheable
 *       steps, {@code result=hit} or {@code miss}</td></tr>
 * </table>
 *
 * <p>The {@code status} tag takes the names of {@link dev.opskit.run.RunStatus} and {@link dev.opskit.run.StepStatus}.
 * A pipeline of many steps makes as many {@code step} tag values; a {@code MeterFilter} on the host's registry can drop
 * the tag. Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class OpsMetrics implements RunListener {
  /** Timer of whole runs, tagged {@code pipeline} and {@code status}. */
  public static final String PIPELINE_RUN = "opskit.pipeline.run";
  /** Timer of steps, tagged {@code pipeline}, {@code step} and {@code status}. */
  public static final String STEP = "opskit.step";
  /** Long task timer of running attempts, tagged {@code pipeline} and {@code step}. */
  public static final String STEP_ACTIVE = "opskit.step.active";
  /** Counter of retried attempts, tagged {@code pipeline} and {@code step}. */
  public static final String STEP_RETRIES = "opskit.step.retries";
  /** Counter of cache lookups of incremental runs, tagged {@code pipeline}, {@code step} and {@code result}. */
  public static final String STEP_CACHE = "opskit.step.cache";

  /** Tag key of the pipeline name. */
  public static final String TAG_PIPELINE = "pipeline";
  /** Tag key of the step name. */
  public static final String TAG_STEP = "step";
  /** Tag key of the final status. */
  public static final String TAG_STATUS = "status";
  /** Tag key of a cache lookup's result, {@code hit} or {@code miss}. */
  public static final String TAG_RESULT = "result";

  private final MeterRegistry registry;
  private final Map<String, LongTaskTimer.Sample> active = new ConcurrentHashMap<>();
  /** Meters are looked up once per tag combination, not on every event. */
  private final Map<String, LongTaskTimer> activeTimers = new ConcurrentHashMap<>();
  private final Map<String, Timer> stepTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  private OpsMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Creates the listener.
   *
   * @param registry the host's registry
   * @return a listener that records into it
   */
  public static OpsMetrics of(MeterRegistry registry) {
    return new OpsMetrics(Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public void beforeStepRun(StepEvent event) {
    LongTaskTimer.Sample sample = activeTimers.computeIfAbsent(event.pipeline() + '\u0000' + event.step(),
        k -> LongTaskTimer.builder(STEP_ACTIVE)
            .description("Step attempts running now")
            .tags(TAG_PIPELINE, event.pipeline(), TAG_STEP, event.step())
            .register(registry))
        .start();
    LongTaskTimer.Sample previous = active.put(key(event), sample);
    if (previous != null) {
      previous.stop();
    }
  }

  @Override
  public void afterStepRun(StepEvent event) {
    stopActive(event);
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    stopActive(event);
    counters.computeIfAbsent("r\u0000" + event.pipeline() + '\u0000' + event.step(), k -> Counter.builder(STEP_RETRIES)
        .description("Failed step attempts that will be retried")
        .tags(TAG_PIPELINE, event.pipeline(), TAG_STEP, event.step())
        .register(registry))
        .increment();
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    stopActive(event);
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    stopActive(event);
    stepTimers.computeIfAbsent(event.pipeline() + '\u0000' + event.step() + '\u0000' + record.status(),
        k -> Timer.builder(STEP)
            .description("Steps, from their first attempt to their final state")
            .tags(Tags.of(TAG_PIPELINE, event.pipeline(), TAG_STEP, event.step(), TAG_STATUS, record.status().name()))
            .register(registry))
        .record(record.duration().orElse(Duration.ZERO));
  }

  @Override
  public void onStepCacheLookup(StepEvent event, boolean hit) {
    counters.computeIfAbsent("c\u0000" + event.pipeline() + '\u0000' + event.step() + '\u0000' + hit,
        k -> Counter.builder(STEP_CACHE)
            .description("Cache lookups of incremental runs")
            .tags(TAG_PIPELINE, event.pipeline(), TAG_STEP, event.step(), TAG_RESULT, hit ? "hit" : "miss")
            .register(registry))
        .increment();
  }

  @Override
  public void afterPipelineRun(Run run) {
    Timer.builder(PIPELINE_RUN)
        .description("Pipeline runs, from start to end")
        .tags(TAG_PIPELINE, run.pipeline(), TAG_STATUS, run.status().name())
        .register(registry)
        .record(run.duration().orElse(Duration.ZERO));
  }

  private void stopActive(StepEvent event) {
    LongTaskTimer.Sample sample = active.remove(key(event));
    if (sample != null) {
      sample.stop();
    }
  }

  private static String key(StepEvent event) {
    return event.runId() + '\u0000' + event.step();
  }

  @Override
  public String toString() {
    return "OpsMetrics[" + registry.getClass().getSimpleName() + "]";
  }
}
