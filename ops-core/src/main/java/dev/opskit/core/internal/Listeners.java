package dev.opskit.core.internal;

import dev.opskit.pipeline.ValidationReport;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepRecord;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls listeners in order, isolating each: a listener that throws is logged and the others still run. With no
 * listener, {@link #active()} is false and callers skip building events at all.
 */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final RunListener[] listeners;

  Listeners(List<RunListener> listeners) {
    this.listeners = listeners.toArray(new RunListener[0]);
  }

  boolean active() {
    return listeners.length > 0;
  }

  void beforePipelineRun(RunInfo info) {
    each("beforePipelineRun", info.runId(), l -> l.beforePipelineRun(info));
  }

  void afterPipelineRun(Run run) {
    each("afterPipelineRun", run.id(), l -> l.afterPipelineRun(run));
  }

  void onPipelineError(Run run, Throwable error) {
    each("onPipelineError", run.id(), l -> l.onPipelineError(run, error));
  }

  void beforeStepRun(StepEvent e) {
    each("beforeStepRun", e.runId(), l -> l.beforeStepRun(e));
  }

  void afterStepRun(StepEvent e) {
    each("afterStepRun", e.runId(), l -> l.afterStepRun(e));
  }

  void afterStepCommitted(StepEvent e) {
    each("afterStepCommitted", e.runId(), l -> l.afterStepCommitted(e));
  }

  void onStepError(StepEvent e, Throwable error) {
    each("onStepError", e.runId(), l -> l.onStepError(e, error));
  }

  void onStepRetry(StepEvent e, Throwable error, Duration delay) {
    each("onStepRetry", e.runId(), l -> l.onStepRetry(e, error, delay));
  }

  void onStepFinished(StepEvent e, StepRecord record) {
    each("onStepFinished", e.runId(), l -> l.onStepFinished(e, record));
  }

  void onStepCacheLookup(StepEvent e, boolean hit) {
    each("onStepCacheLookup", e.runId(), l -> l.onStepCacheLookup(e, hit));
  }

  void onDatasetValidated(DatasetEvent e, ValidationReport report) {
    each("onDatasetValidated", e.runId(), l -> l.onDatasetValidated(e, report));
  }

  void beforeDatasetLoad(DatasetEvent e) {
    each("beforeDatasetLoad", e.runId(), l -> l.beforeDatasetLoad(e));
  }

  void afterDatasetLoad(DatasetEvent e) {
    each("afterDatasetLoad", e.runId(), l -> l.afterDatasetLoad(e));
  }

  void beforeDatasetSave(DatasetEvent e) {
    each("beforeDatasetSave", e.runId(), l -> l.beforeDatasetSave(e));
  }

  void afterDatasetSave(DatasetEvent e) {
    each("afterDatasetSave", e.runId(), l -> l.afterDatasetSave(e));
  }

  private void each(String callback, String runId, Consumer<RunListener> call) {
    for (RunListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        LOG.warn("Listener {} threw in {} of run {}; it is skipped and the run goes on", listener, callback, runId, t);
      }
    }
  }
}
