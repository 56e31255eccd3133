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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Each step's meters are looked up in the registry once, when first needed, and kept for the next events and runs;
 * a meter the host removes from the registry ({@code remove}, {@code clear}) is registered again at its next use.
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
  /**
   * Tag key of who ran a step: the worker a scale-out executor named (for example a cluster member's
   * {@code host:port}), or {@value #LOCAL_MEMBER} for a step run in the run's own process.
   */
  public static final String TAG_MEMBER = "member";
  /** The {@value #TAG_MEMBER} tag's value for a step run in the run's own process. */
  public static final String LOCAL_MEMBER = "local";
  /** Tag key of a cache lookup's result, {@code hit} or {@code miss}. */
  public static final String TAG_RESULT = "result";

  private final MeterRegistry registry;
  /** Counts the meters removed from the registry; cached meters older than its value are looked up again. */
  private final AtomicInteger removals;
  /** Each pipeline's meters, by name: looked up once per pipeline and step, not built per event. */
  private final Map<String, PipelineMeters> pipelines = new ConcurrentHashMap<>();
  /**
   * The meters of the last step that started, read and written racily: any value read is a right one for its own
   * names (which are final), and its {@link StepMeters#next} usually names the step that starts next.
   */
  private @Nullable StepMeters lastStarted;
  /**
   * The runs whose steps have started, each with a number of its own: a step's meters note the number of the run
   * whose attempt is running rather than its id, because storing a reference to a new object in the long-lived meters
   * of each of 10,000 steps makes work for the garbage collector (a dirty card per step per run, in G1).
   */
  private final Map<String, RunNumber> runs = new ConcurrentHashMap<>();
  private final AtomicLong runNumbers = new AtomicLong();
  /** The run of the last step event, read and written racily like {@link #lastStarted}. */
  private @Nullable RunNumber lastRun;

  private OpsMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.removals = Removals.of(registry);
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
    // A pipeline's steps start in much the same order every run: the step that followed the last one to start, last
    // time, is usually the one starting now, and it is found without hashing its name. Compared by reference, since
    // a run's events share its pipeline's strings; anything else is looked up by name.
    StepMeters last = lastStarted;
    StepMeters next = last != null ? last.next : null;
    StepMeters m;
    if (next != null && next.step == event.step() && next.owner.name == event.pipeline()) {
      m = next;
    } else {
      m = lookUp(event);
      if (last != null && last.owner == m.owner) {
        last.next = m;
      }
    }
    lastStarted = m;
    m.current(removals.get()).attemptStarted(runNumber(event.runId(), true));
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    StepMeters m = meters(event);
    m.stopActive(runNumber(event.runId(), false));
    m.retries().increment();
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    meters(event).stopActive(runNumber(event.runId(), false));
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    StepMeters m = meters(event);
    m.stopActive(runNumber(event.runId(), false));
    String worker = record.worker();
    Timer timer = worker == null ? m.timer(record.status()) : m.timer(record.status(), worker);
    timer.record(nanosBetween(record.startedAt(), record.endedAt()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void onStepCacheLookup(StepEvent event, boolean hit) {
    meters(event).cache(hit).increment();
  }

  @Override
  public void afterPipelineRun(Run run) {
    runs.remove(run.id());
    pipeline(run.pipeline()).current(removals.get()).runTimer(run.status())
        .record(run.duration().orElse(Duration.ZERO));
  }

  /** The nanoseconds from one instant to another, without a {@code Duration}; zero if either is unknown. */
  static long nanosBetween(@Nullable Instant start, @Nullable Instant end) {
    if (start == null || end == null) {
      return 0;
    }
    long seconds = Math.subtractExact(end.getEpochSecond(), start.getEpochSecond());
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), end.getNano() - start.getNano());
  }

  /**
   * The number of a run, from 1.
   *
   * @param runId the run's id
   * @param started whether a step of the run is starting: the run is numbered then, if it has no number yet
   * @return its number, or 0 if it has none and no step is starting
   */
  private long runNumber(String runId, boolean started) {
    RunNumber last = lastRun;
    if (last != null && last.runId == runId) {
      return last.number;
    }
    RunNumber n = runs.get(runId);
    if (n == null) {
      if (!started) {
        return 0;
      }
      n = runs.computeIfAbsent(runId, id -> new RunNumber(id, runNumbers.incrementAndGet()));
    }
    lastRun = n;
    return n.number;
  }

  /** A run's id and its number. */
  private record RunNumber(String runId, long number) {}

  /** The meters of an event's step, current with the registry. */
  private StepMeters meters(StepEvent event) {
    // A step's events come in a row (before, after, finished): the last step started usually has the next event.
    StepMeters last = lastStarted;
    StepMeters m = last != null && last.step == event.step() && last.owner.name == event.pipeline()
        ? last : lookUp(event);
    return m.current(removals.get());
  }

  private StepMeters lookUp(StepEvent event) {
    return pipeline(event.pipeline()).step(event.step());
  }

  private PipelineMeters pipeline(String name) {
    PipelineMeters p = pipelines.get(name);
    return p != null ? p : pipelines.computeIfAbsent(name, n -> new PipelineMeters(registry, n));
  }

  /**
   * Each registry's count of removed meters, shared by every {@code OpsMetrics} of the registry, so that only one
   * removal callback is added to a registry however many listeners are made for it (one per run, say). Weak keys:
   * a registry the host drops is not kept.
   */
  private static final class Removals {
    private static final Map<MeterRegistry, AtomicInteger> BY_REGISTRY =
        Collections.synchronizedMap(new WeakHashMap<>());

    static AtomicInteger of(MeterRegistry registry) {
      return BY_REGISTRY.computeIfAbsent(registry, r -> {
        AtomicInteger count = new AtomicInteger();
        r.config().onMeterRemoved(meter -> count.incrementAndGet());
        return count;
      });
    }

    private Removals() {}
  }

  /** The meters of one pipeline: its run timers by status, and its steps' meters by step name. */
  private static final class PipelineMeters {
    private static final RunStatus[] STATUSES = RunStatus.values();

    final MeterRegistry registry;
    final String name;
    final Tags tags;
    private final Map<String, StepMeters> steps = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<@Nullable Timer> runTimers = new AtomicReferenceArray<>(STATUSES.length);
    /** The count of removals when the run timers were last known to be in the registry. */
    private volatile int removals;

    PipelineMeters(MeterRegistry registry, String name) {
      this.registry = registry;
      this.name = name;
      this.tags = Tags.of(TAG_PIPELINE, name);
    }

    StepMeters step(String step) {
      StepMeters m = steps.get(step);
      return m != null ? m : steps.computeIfAbsent(step, s -> new StepMeters(this, s));
    }

    /** Forgets the run timers if a meter was removed from the registry since they were looked up. */
    PipelineMeters current(int removed) {
      if (removals != removed) {
        for (int i = 0; i < STATUSES.length; i++) {
          runTimers.set(i, null);
        }
        removals = removed;
      }
      return this;
    }

    Timer runTimer(RunStatus status) {
      Timer t = runTimers.get(status.ordinal());
      if (t == null) {
        t = Timer.builder(PIPELINE_RUN)
            .description("Pipeline runs, from start to end")
            .tags(tags.and(TAG_STATUS, status.name()))
            .register(registry);
        runTimers.set(status.ordinal(), t);
      }
      return t;
    }
  }

  /**
   * The meters of one step of one pipeline, and the count of its running attempts, in one object so that an event
   * touches little memory: a pipeline of 10,000 steps has 10,000 of these. The gauge is registered at once; the
   * others when first needed, which may happen twice in a race, harmlessly: the registry returns the same meter for
   * the same id.
   */
  private static final class StepMeters {
    private static final StepStatus[] STATUSES = StepStatus.values();
    private static final VarHandle RUNNING_IN;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        RUNNING_IN = lookup.findVarHandle(StepMeters.class, "runningIn", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final PipelineMeters owner;
    final String step;
    private final Tags tags;
    /** The step that started after this one last time, or null: a guess, read and written racily. */
    @Nullable StepMeters next;
    /**
     * The number of the run whose attempt of this step runs, or 0. A step has at most one running attempt per run;
     * attempts of the same step in concurrent runs are rare, and then tracked in {@link #others}. The gauge counts
     * both, so an event changes one of them and no counter besides.
     */
    private volatile long runningIn;
    private volatile @Nullable Map<Long, Boolean> others;
    /** The count of removals when the meters below were last known to be in the registry. */
    private volatile int removals;
    /** The timer of {@link StepStatus#SUCCEEDED}, the usual end, apart from the others. */
    private volatile @Nullable Timer succeeded;
    private volatile @Nullable AtomicReferenceArray<@Nullable Timer> timers;
    private volatile @Nullable Map<String, Timer> remote;
    private volatile @Nullable Counter retries;
    private volatile @Nullable Counter hits;
    private volatile @Nullable Counter misses;

    StepMeters(PipelineMeters owner, String step) {
      this.owner = owner;
      this.step = step;
      this.tags = owner.tags.and(TAG_STEP, step);
      registerGauge();
    }

    private void registerGauge() {
      Gauge.builder(STEP_ACTIVE, this, StepMeters::active)
          .description("Step attempts running now")
          .tags(tags)
          .strongReference(true)
          .register(owner.registry);
    }

    /**
     * Forgets the meters, and registers the gauge again, if a meter was removed from the registry since they were
     * looked up: the registry makes a new meter for a removed one, and returns the same one for one still there.
     */
    StepMeters current(int removed) {
      if (removals != removed) {
        succeeded = null;
        timers = null;
        remote = null;
        retries = null;
        hits = null;
        misses = null;
        registerGauge();
        removals = removed;
      }
      return this;
    }

    /** The attempts running now, for the gauge. */
    double active() {
      Map<Long, Boolean> more = others;
      return (runningIn != 0 ? 1 : 0) + (more != null ? more.size() : 0);
    }

    /** Records that an attempt started in a run (numbered from 1), unless one of that run was already counted. */
    void attemptStarted(long run) {
      if (!RUNNING_IN.compareAndSet(this, 0L, run) && runningIn != run) {
        others().putIfAbsent(run, Boolean.TRUE);
      }
    }

    /** Counts a running attempt of a run as ended, once; nothing for run 0, which started nothing. */
    void stopActive(long run) {
      if (run == 0) {
        return;
      }
      if (runningIn == run && RUNNING_IN.compareAndSet(this, run, 0L)) {
        return;
      }
      Map<Long, Boolean> more = others;
      if (more != null && !more.isEmpty()) {
        more.remove(run);
      }
    }

    private Map<Long, Boolean> others() {
      Map<Long, Boolean> more = others;
      if (more == null) {
        synchronized (this) {
          more = others;
          if (more == null) {
            more = new ConcurrentHashMap<>(4);
            others = more;
          }
        }
      }
      return more;
    }

    Timer timer(StepStatus status) {
      if (status == StepStatus.SUCCEEDED) {
        Timer t = succeeded;
        if (t == null) {
          t = register(status);
          succeeded = t;
        }
        return t;
      }
      AtomicReferenceArray<@Nullable Timer> all = timers;
      if (all == null) {
        all = new AtomicReferenceArray<>(STATUSES.length);
        timers = all;
      }
      Timer t = all.get(status.ordinal());
      if (t == null) {
        t = register(status);
        all.set(status.ordinal(), t);
      }
      return t;
    }

    /** The timer of steps that a worker elsewhere ran, by member and status; rare enough for a map lookup. */
    Timer timer(StepStatus status, String member) {
      Map<String, Timer> byMember = remote;
      if (byMember == null) {
        byMember = new ConcurrentHashMap<>();
        remote = byMember;
      }
      return byMember.computeIfAbsent(member + '\n' + status.name(), k -> register(status, member));
    }

    private Timer register(StepStatus status) {
      return register(status, LOCAL_MEMBER);
    }

    private Timer register(StepStatus status, String member) {
      return Timer.builder(STEP)
          .description("Steps, from their first attempt to their final state")
          .tags(tags.and(TAG_STATUS, status.name()).and(TAG_MEMBER, member))
          .register(owner.registry);
    }

    Counter retries() {
      Counter c = retries;
      if (c == null) {
        c = Counter.builder(STEP_RETRIES)
            .description("Failed step attempts that will be retried")
            .tags(tags)
            .register(owner.registry);
        retries = c;
      }
      return c;
    }

    Counter cache(boolean hit) {
      Counter c = hit ? hits : misses;
      if (c == null) {
        c = Counter.builder(STEP_CACHE)
            .description("Cache lookups of incremental runs")
            .tags(tags.and(TAG_RESULT, hit ? "hit" : "miss"))
            .register(owner.registry);
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
