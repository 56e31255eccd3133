package dev.opskit.ml.internal.tracking;

import dev.opskit.Names;
import dev.opskit.ml.tracking.Autolog;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.TrackingStatus;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks pipeline runs: one tracking run per pipeline run, keyed by the pipeline run's id, bound to the threads of its
 * steps. The configuration is immutable; the only state is the map of runs in progress. Thread-safe.
 */
final class AutologListener implements Autolog {
  /** The tag that names the pipeline of a tracked run. */
  static final String PIPELINE_TAG = "opskit.pipeline";

  private static final Logger LOG = LoggerFactory.getLogger(AutologListener.class);

  private final TrackingImpl tracking;
  private final String experiment;
  private final Map<String, String> contexts;
  private final String defaultContext;
  private final boolean defaultContextSet;
  private final Map<String, TrackingRunImpl> runs = new ConcurrentHashMap<>();

  AutologListener(TrackingImpl tracking, String experiment, Map<String, String> contexts, String defaultContext,
      boolean defaultContextSet) {
    this.tracking = tracking;
    this.experiment = experiment;
    this.contexts = Collections.unmodifiableMap(new TreeMap<>(contexts));
    this.defaultContext = defaultContext;
    this.defaultContextSet = defaultContextSet;
  }

  @Override
  public String experiment() {
    return experiment;
  }

  @Override
  public Autolog context(String dataset, String context) {
    Names.requireValidDatasetName(Objects.requireNonNull(dataset, "dataset"));
    DatasetInput.checkContext(context);
    String previous = contexts.get(dataset);
    if (previous != null) {
      throw new IllegalStateException("dataset " + Names.quote(dataset) + " already has the context "
          + Names.quote(previous) + " and cannot also have " + Names.quote(context) + "; give each dataset one context");
    }
    Map<String, String> more = new TreeMap<>(contexts);
    more.put(dataset, context);
    return new AutologListener(tracking, experiment, more, defaultContext, defaultContextSet);
  }

  @Override
  public Autolog defaultContext(String context) {
    DatasetInput.checkContext(context);
    if (defaultContextSet) {
      throw new IllegalStateException("the default context is already set to " + Names.quote(defaultContext)
          + " and cannot also be " + Names.quote(context) + "; set it once");
    }
    return new AutologListener(tracking, experiment, contexts, context, true);
  }

  @Override
  public Map<String, String> contexts() {
    return contexts;
  }

  @Override
  public String defaultContext() {
    return defaultContext;
  }

  @Override
  public void beforePipelineRun(RunInfo run) {
    // computeIfAbsent: a listener attached twice sees every callback twice, and must still start one run.
    TrackingRunImpl started = runs.computeIfAbsent(run.runId(),
        id -> tracking.start(experiment, id, Map.of(PIPELINE_TAG, run.pipeline())));
    LOG.debug("Tracking run {} of experiment '{}' tracks run {} of pipeline '{}'", started.id(), experiment,
        run.runId(), run.pipeline());
  }

  @Override
  public void beforeStepRun(StepEvent event) {
    TrackingRunImpl run = runs.get(event.runId());
    if (run != null) {
      CurrentRun.bind(run, event.runId(), event.step());
    }
  }

  @Override
  public void afterStepRun(StepEvent event) {
    CurrentRun.unbind(event.runId(), event.step());
  }

  @Override
  public void onStepError(StepEvent event, Throwable error) {
    CurrentRun.unbind(event.runId(), event.step());
  }

  @Override
  public void onStepRetry(StepEvent event, Throwable error, Duration delay) {
    CurrentRun.unbind(event.runId(), event.step());
  }

  @Override
  public void onStepFinished(StepEvent event, StepRecord record) {
    CurrentRun.unbind(event.runId(), event.step());
  }

  @Override
  public void afterDatasetLoad(DatasetEvent event) {
    String version = event.versionId();
    if (version == null) {
      return;
    }
    TrackingRunImpl run = runs.get(event.runId());
    if (run != null && run.isActive()) {
      run.logInput(event.dataset(), version, contexts.getOrDefault(event.dataset(), defaultContext));
    }
  }

  @Override
  public void afterPipelineRun(Run run) {
    TrackingRunImpl tracked = runs.remove(run.id());
    if (tracked == null || !tracked.isActive()) {
      return;
    }
    try {
      tracked.end(statusOf(run.status()));
    } catch (IllegalStateException e) {
      if (tracked.isActive()) {
        throw e;
      }
      // A step ended it at the same moment, or it was ended elsewhere: it has its status already.
    }
  }

  static TrackingStatus statusOf(RunStatus status) {
    switch (status) {
      case SUCCEEDED:
        return TrackingStatus.FINISHED;
      case CANCELLED:
        return TrackingStatus.KILLED;
      default:
        return TrackingStatus.FAILED;
    }
  }

  @Override
  public String toString() {
    return "Autolog[" + experiment + ", contexts=" + contexts + ", default=" + defaultContext + "]";
  }
}
