package dev.opskit.core.metrics;

import dev.opskit.run.Run;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

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
 *   <tr><td>{@value #STEP_ACTIVE}</td><td>gauge</td><td>pipeline, step</td><td>attempts running now</td></tr>
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
  /**
   * Gauge of running attempts, tagged {@code pipeline} and {@code step}. A gauge rather than a long task timer: a
   * long task timer's sample per attempt cost about 400 ns a step, more than the engine's own overhead; how long a
   * running step has been at it is in {@code RunHandle.snapshot()}.
   */
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
  /** Each pipeline's meters, by step name: looked up once per step and pipeline, not built per event. */
  private final Map<String, Map<String, StepMeters>> pipelines = new ConcurrentHashMap<>();
  private final Map<String, Map<RunStatus, Timer>> runTimers = new ConcurrentHashMap<>();
  /** The meters of the last event, read and written racily: any value read is a right one for its own names. */
  private volatile @Nullable StepMeters lastUsed;

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
    StepMeters m = meters(event);
    if (m.attemptStarted(event)) {
      m.active.incrementAndGet();
    }
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    StepMeters m = meters(event);
    m.stopActive(event);
    m.retries().increment();
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    meters(event).stopActive(event);
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    StepMeters m = meters(event);
    m.stopActive(event);
    Instant start = record.startedAt();
    Instant end = record.endedAt();
    long nanos = start == null || end == null ? 0 : Duration.between(start, end).toNanos();
    m.timer(record.status()).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onStepCacheLookup(StepEvent event, boolean hit) {
    meters(event).cache(hit).increment();
  }

  @Override
  public void afterPipelineRun(Run run) {
    runTimers.computeIfAbsent(run.pipeline(), p -> new ConcurrentHashMap<>())
        .computeIfAbsent(run.status(), status -> Timer.builder(PIPELINE_RUN)
            .description("Pipeline runs, from start to end")
            .tags(TAG_PIPELINE, run.pipeline(), TAG_STATUS, status.name())
            .register(registry))
        .record(run.duration().orElse(Duration.ZERO));
  }

  private StepMeters meters(StepEvent event) {
    // A step's events come in a row (before, after, finished): the last meters looked up usually serve the next event.
    // Names are compared by reference first, since a run's events share its step's strings.
    StepMeters last = lastUsed;
    if (last != null && (last.step == event.step() || last.step.equals(event.step()))
        && (last.pipeline == event.pipeline() || last.pipeline.equals(event.pipeline()))) {
      return last;
    }
    StepMeters m = lookUp(event);
    lastUsed = m;
    return m;
  }

  private StepMeters lookUp(StepEvent event) {
    Map<String, StepMeters> steps = pipelines.get(event.pipeline());
    if (steps == null) {
      steps = pipelines.computeIfAbsent(event.pipeline(), p -> new ConcurrentHashMap<>());
    }
    StepMeters m = steps.get(event.step());
    if (m == null) {
      m = steps.computeIfAbsent(event.step(), step -> new StepMeters(registry, event.pipeline(), step));
    }
    return m;
  }

  /**
   * The meters of one step of one pipeline. The active timer is registered at once; the others when first needed,
   * which may happen twice in a race, harmlessly: the registry returns the same meter for the same id.
   */
  private static final class StepMeters {
    private static final StepStatus[] STATUSES = StepStatus.values();

    private final MeterRegistry registry;
    final String pipeline;
    final String step;
    /** Attempts running now, read by the gauge. */
    final AtomicInteger active = new AtomicInteger();
    /**
     * The run whose attempt of this step runs, or null. A step has at most one running attempt per run; attempts of
     * the same step in concurrent runs are rare, and then tracked in {@link #others}.
     */
    private final AtomicReference<@Nullable String> runningIn = new AtomicReference<>();
    private final Map<String, Boolean> others = new ConcurrentHashMap<>(4);
    private final AtomicReferenceArray<@Nullable Timer> timers = new AtomicReferenceArray<>(STATUSES.length);
    private volatile @Nullable Counter retries;
    private volatile @Nullable Counter hits;
    private volatile @Nullable Counter misses;

    StepMeters(MeterRegistry registry, String pipeline, String step) {
      this.registry = registry;
      this.pipeline = pipeline;
      this.step = step;
      Gauge.builder(STEP_ACTIVE, active, AtomicInteger::get)
          .description("Step attempts running now")
          .tags(TAG_PIPELINE, pipeline, TAG_STEP, step)
          .strongReference(true)
          .register(registry);
    }

    /** Records that an attempt started in a run; false if one of that run was already counted. */
    boolean attemptStarted(StepEvent event) {
      String run = event.runId();
      if (runningIn.compareAndSet(null, run)) {
        return true;
      }
      if (run.equals(runningIn.get())) {
        return false;
      }
      return others.putIfAbsent(run, Boolean.TRUE) == null;
    }

    /** Counts a running attempt of a run as ended, once. */
    void stopActive(StepEvent event) {
      String run = event.runId();
      String current = runningIn.get();
      // compareAndSet compares references: pass the one read, once it is known to be equal.
      if (current != null && current.equals(run) && runningIn.compareAndSet(current, null)
          || !others.isEmpty() && others.remove(run) != null) {
        active.decrementAndGet();
      }
    }

    Timer timer(StepStatus status) {
      Timer t = timers.get(status.ordinal());
      if (t == null) {
        t = Timer.builder(STEP)
            .description("Steps, from their first attempt to their final state")
            .tags(Tags.of(TAG_PIPELINE, pipeline, TAG_STEP, step, TAG_STATUS, status.name()))
            .register(registry);
        timers.set(status.ordinal(), t);
      }
      return t;
    }

    Counter retries() {
      Counter c = retries;
      if (c == null) {
        c = Counter.builder(STEP_RETRIES)
            .description("Failed step attempts that will be retried")
            .tags(TAG_PIPELINE, pipeline, TAG_STEP, step)
            .register(registry);
        retries = c;
      }
      return c;
    }

    Counter cache(boolean hit) {
      Counter c = hit ? hits : misses;
      if (c == null) {
        c = Counter.builder(STEP_CACHE)
            .description("Cache lookups of incremental runs")
            .tags(TAG_PIPELINE, pipeline, TAG_STEP, step, TAG_RESULT, hit ? "hit" : "miss")
            .register(registry);
        if (hit) {
          hits = c;
        } else {
          misses = c;
        }
      }
      return c;
    }
  }

  @Override
  public String toString() {
    return "OpsMetrics[" + registry.getClass().getSimpleName() + "]";
  }
}
