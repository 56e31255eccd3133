package dev.opskit.test;

import dev.opskit.pipeline.ValidationReport;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RunListener} that records every callback, in the order it arrives, as an {@link Event}. Tests query what
 * happened instead of writing a listener of their own:
 *
 * <pre>{@code
 * RecordingListener recorder = new RecordingListener();
 * Workspace ws = Workspace.builder().listener(recorder).openInMemory();
 * ws.runner().run(pipeline);
 * assertThat(recorder.namesOf("train"))
 *     .containsExactly("beforeStepRun", "onStepRetry", "beforeStepRun", "afterStepRun", "afterStepCommitted",
 *         "onStepFinished");
 * assertThat(recorder.lastRun()).hasValueSatisfying(run -> assertThat(run.succeeded()).isTrue());
 * }</pre>
 *
 * <p>An event's {@linkplain Event#name() name} is the name of the {@code RunListener} method that was called. Under a
 * parallel executor the callbacks of independent steps arrive concurrently; the recorded order is the order in which
 * they arrived, so the callbacks of one step are in their order and follow their producers' {@code onStepFinished}.
 *
 * <p>Thread-safe. Every query returns an immutable snapshot.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class RecordingListener implements RunListener {
  private final List<Event> events = new ArrayList<>();

  /** Creates a listener that has recorded nothing yet. */
  public RecordingListener() {}

  /**
   * Returns every event recorded so far, in arrival order.
   *
   * @return the events
   */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /**
   * Returns the events of one callback, such as {@code "onStepRetry"}, in arrival order.
   *
   * @param name a {@link RunListener} method name
   * @return the events of that callback
   */
  public synchronized List<Event> eventsNamed(String name) {
    Objects.requireNonNull(name, "name");
    return events.stream().filter(e -> e.name().equals(name)).toList();
  }

  /**
   * Returns the events of one step, its dataset loads and saves included, in arrival order. Steps are matched by name,
   * across every run recorded.
   *
   * @param step the step name
   * @return the step's events
   */
  public synchronized List<Event> eventsOf(String step) {
    Objects.requireNonNull(step, "step");
    return events.stream().filter(e -> e.step().filter(step::equals).isPresent()).toList();
  }

  /**
   * Returns the names of every callback recorded so far, in arrival order.
   *
   * @return the callback names
   */
  public synchronized List<String> names() {
    return events.stream().map(Event::name).toList();
  }

  /**
   * Returns the names of one step's callbacks, dataset loads and saves included, in arrival order.
   *
   * @param step the step name
   * @return the callback names
   */
  public List<String> namesOf(String step) {
    return eventsOf(step).stream().map(Event::name).toList();
  }

  /**
   * Counts the events of one callback.
   *
   * @param name a {@link RunListener} method name
   * @return how many were recorded
   */
  public int count(String name) {
    return eventsNamed(name).size();
  }

  /**
   * Returns the reports of the runs that have ended, in the order they ended.
   *
   * @return the final reports, from {@code afterPipelineRun}
   */
  public synchronized List<Run> runs() {
    List<Run> runs = new ArrayList<>();
    for (Event e : events) {
      if (e.name().equals("afterPipelineRun")) {
        e.run().ifPresent(runs::add);
      }
    }
    return List.copyOf(runs);
  }

  /**
   * Returns the report of the run that ended last.
   *
   * @return the report, or empty if no run has ended
   */
  public Optional<Run> lastRun() {
    List<Run> runs = runs();
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
  }

  /** Forgets every event recorded so far. */
  public synchronized void clear() {
    events.clear();
  }

  /**
   * Returns every event, one per line, for failure messages.
   *
   * @return the events as text
   */
  @Override
  public synchronized String toString() {
    StringBuilder sb = new StringBuilder("RecordingListener[").append(events.size()).append(" events]");
    for (Event e : events) {
      sb.append("\n  ").append(e);
    }
    return sb.toString();
  }

  private synchronized void add(Event event) {
    events.add(event);
  }

  @Override
  public void beforePipelineRun(RunInfo run) {
    add(new Event("beforePipelineRun", run.runId(), run.pipeline(), null, 0, null, null, run.startedAt(), null, null,
        null, run, null, null, null));
  }

  @Override
  public void afterPipelineRun(Run run) {
    add(new Event("afterPipelineRun", run.id(), run.pipeline(), null, 0, null, null, run.endedAt().orElse(
        run.startedAt()), null, null, null, null, run, null, null));
  }

  @Override
  public void onPipelineError(Run run, Throwable error) {
    add(new Event("onPipelineError", run.id(), run.pipeline(), null, 0, null, null, run.endedAt().orElse(
        run.startedAt()), error, null, null, null, run, null, null));
  }

  @Override
  public void beforeStepRun(StepEvent event) {
    add(step("beforeStepRun", event, null, null, null, null));
  }

  @Override
  public void afterStepRun(StepEvent event) {
    add(step("afterStepRun", event, null, null, null, null));
  }

  @Override
  public void afterStepCommitted(StepEvent event) {
    add(step("afterStepCommitted", event, null, null, null, null));
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    add(step("onStepError", event, error, null, null, null));
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    add(step("onStepRetry", event, error, delay, null, null));
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    add(step("onStepFinished", event, null, null, record, null));
  }

  @Override
  public void onStepCacheLookup(StepEvent event, boolean hit) {
    add(step("onStepCacheLookup", event, null, null, null, hit));
  }

  @Override
  public void onDatasetValidated(DatasetEvent event, ValidationReport report) {
    add(dataset("onDatasetValidated", event, report));
  }

  @Override
  public void beforeDatasetLoad(DatasetEvent event) {
    add(dataset("beforeDatasetLoad", event, null));
  }

  @Override
  public void afterDatasetLoad(DatasetEvent event) {
    add(dataset("afterDatasetLoad", event, null));
  }

  @Override
  public void beforeDatasetSave(DatasetEvent event) {
    add(dataset("beforeDatasetSave", event, null));
  }

  @Override
  public void afterDatasetSave(DatasetEvent event) {
    add(dataset("afterDatasetSave", event, null));
  }

  private static Event step(String name, StepEvent e, @Nullable Throwable error, @Nullable Duration delay,
      @Nullable StepRecord record, @Nullable Boolean hit) {
    return new Event(name, e.runId(), e.pipeline(), e.step(), e.attempt(), null, null, e.time(), error, delay, record,
        null, null, null, hit);
  }

  private static Event dataset(String name, DatasetEvent e, @Nullable ValidationReport report) {
    return new Event(name, e.runId(), e.pipeline(), e.step(), 0, e.dataset(), e.versionId(), e.time(), null, null,
        null, null, null, report, null);
  }

  /**
   * One recorded callback. Which optional parts are present depends on the callback: a step event has a step and an
   * attempt, a dataset event a step and a dataset, {@code onStepRetry} an error and a delay, and so on.
   *
   * <p>Immutable, though the error, run and report it holds are the objects the runner passed.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public static final class Event {
    private final String name;
    private final String runId;
    private final String pipeline;
    private final @Nullable String step;
    private final int attempt;
    private final @Nullable String dataset;
    private final @Nullable String versionId;
    private final Instant time;
    private final @Nullable Throwable error;
    private final @Nullable Duration delay;
    private final @Nullable StepRecord record;
    private final @Nullable RunInfo info;
    private final @Nullable Run run;
    private final @Nullable ValidationReport report;
    private final @Nullable Boolean cacheHit;

    Event(String name, String runId, String pipeline, @Nullable String step, int attempt, @Nullable String dataset,
        @Nullable String versionId, Instant time, @Nullable Throwable error, @Nullable Duration delay,
        @Nullable StepRecord record, @Nullable RunInfo info, @Nullable Run run, @Nullable ValidationReport report,
        @Nullable Boolean cacheHit) {
      this.name = name;
      this.runId = runId;
      this.pipeline = pipeline;
      this.step = step;
      this.attempt = attempt;
      this.dataset = dataset;
      this.versionId = versionId;
      this.time = time;
      this.error = error;
      this.delay = delay;
      this.record = record;
      this.info = info;
      this.run = run;
      this.report = report;
      this.cacheHit = cacheHit;
    }

    /**
     * Returns the name of the {@link RunListener} method that was called, such as {@code "beforeStepRun"}.
     *
     * @return the callback name
     */
    public String name() {
      return name;
    }

    /**
     * Returns the id of the run.
     *
     * @return the run id
     */
    public String runId() {
      return runId;
    }

    /**
     * Returns the pipeline name.
     *
     * @return the pipeline name
     */
    public String pipeline() {
      return pipeline;
    }

    /**
     * Returns the step, for step and dataset callbacks.
     *
     * @return the step name, or empty for a run-level callback
     */
    public Optional<String> step() {
      return Optional.ofNullable(step);
    }

    /**
     * Returns the attempt number of a step callback: from 1, or 0 for a step that never started (a cache hit, or a
     * skipped or cancelled step's {@code onStepFinished}). Run-level and dataset callbacks have 0.
     *
     * @return the attempt
     */
    public int attempt() {
      return attempt;
    }

    /**
     * Returns the dataset of a dataset callback.
     *
     * @return the dataset name, or empty
     */
    public Optional<String> dataset() {
      return Optional.ofNullable(dataset);
    }

    /**
     * Returns the version id a dataset callback carried.
     *
     * @return the version id, or empty when the data passed in memory or was not yet saved
     */
    public Optional<String> versionId() {
      return Optional.ofNullable(versionId);
    }

    /**
     * Returns when the event happened, on the workspace's clock.
     *
     * @return the time
     */
    public Instant time() {
      return time;
    }

    /**
     * Returns the failure of {@code onStepError}, {@code onStepRetry} and {@code onPipelineError}.
     *
     * @return the error, or empty
     */
    public Optional<Throwable> error() {
      return Optional.ofNullable(error);
    }

    /**
     * Returns the backoff of {@code onStepRetry}.
     *
     * @return the delay before the next attempt, or empty
     */
    public Optional<Duration> delay() {
      return Optional.ofNullable(delay);
    }

    /**
     * Returns the final record of {@code onStepFinished}.
     *
     * @return the step record, or empty
     */
    public Optional<StepRecord> record() {
      return Optional.ofNullable(record);
    }

    /**
     * Returns what {@code beforePipelineRun} announced.
     *
     * @return the run info, or empty
     */
    public Optional<RunInfo> info() {
      return Optional.ofNullable(info);
    }

    /**
     * Returns the final report of {@code afterPipelineRun} and {@code onPipelineError}.
     *
     * @return the run, or empty
     */
    public Optional<Run> run() {
      return Optional.ofNullable(run);
    }

    /**
     * Returns the validation report of {@code onDatasetValidated}.
     *
     * @return the report, or empty
     */
    public Optional<ValidationReport> report() {
      return Optional.ofNullable(report);
    }

    /**
     * Returns whether {@code onStepCacheLookup} found earlier outputs.
     *
     * @return true on a hit, false on a miss, empty for other callbacks
     */
    public Optional<Boolean> cacheHit() {
      return Optional.ofNullable(cacheHit);
    }

    /**
     * Describes the event on one line, such as {@code onStepRetry train#1 IOException 1000ms}.
     *
     * @return the description
     */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(name);
      if (step != null) {
        sb.append(' ').append(step);
        if (dataset == null) {
          sb.append('#').append(attempt);
        }
      } else {
        sb.append(' ').append(pipeline);
      }
      if (dataset != null) {
        sb.append(' ').append(dataset);
      }
      if (error != null) {
        sb.append(' ').append(error.getClass().getSimpleName());
      }
      if (delay != null) {
        sb.append(' ').append(delay.toMillis()).append("ms");
      }
      if (record != null) {
        sb.append(' ').append(record.status());
      }
      if (cacheHit != null) {
        sb.append(cacheHit ? " hit" : " miss");
      }
      if (run != null && name.equals("afterPipelineRun")) {
        sb.append(' ').append(run.status());
      }
      return sb.toString();
    }
  }
}
