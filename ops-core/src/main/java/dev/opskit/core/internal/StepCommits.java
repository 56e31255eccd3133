package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.Step;
import dev.opskit.pipeline.ValidationReport;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepStatus;
import dev.opskit.spi.DataPlane;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the outputs of a step's successful attempt become the run's: the versioned ones committed through the data
 * plane (with their input versions and, for a cacheable step, its fingerprint), the others held in the run's memory,
 * or the versions a worker in another process committed adopted as they are; then the step ends SUCCEEDED, once,
 * and its dependents are counted off. Thread-safe: each call works on one attempt, a step's state changes under its
 * monitor, and the run's values and versions are concurrent.
 */
final class StepCommits {
  private final RunExecution run;
  private final RunScope scope;
  private final Listeners listeners;
  private final RunDatasets datasets;
  private final StepFailures failures;
  /** Steps whose execution is recorded for the cache, by local number. */
  private final boolean[] cacheable;
  /** Steps with an output that has a codec, which the data plane commits as a version, by local number. */
  private final boolean[] commits;

  StepCommits(RunExecution run, RunScope scope, RunGraph graph, RunDatasets datasets, StepFailures failures) {
    this.run = run;
    this.scope = scope;
    this.listeners = scope.listeners();
    this.datasets = datasets;
    this.failures = failures;
    this.cacheable = graph.cacheable;
    this.commits = graph.commits;
  }

  /**
   * Takes the versions a worker elsewhere committed as the step's outputs: downstream steps read them from the shared
   * stores, and the step's execution is recorded for the cache. The dataset save callbacks fired in the worker's JVM.
   */
  void adopt(Attempt a, Map<String, String> refs) {
    StepState s = a.state;
    Step step = s.step;
    Instant now = scope.now();
    StepEvent event = afterStepRun(a, now);
    Map<String, String> committed = new LinkedHashMap<>();
    for (Dataset<?> out : step.outputs()) {
      committed.put(out.name(), refs.get(out.name()));
    }
    String fingerprint;
    synchronized (s) {
      fingerprint = s.fingerprint;
    }
    DataPlane plane = scope.dataPlane();
    if (plane != null && cacheable[s.local] && fingerprint != null) {
      try {
        plane.recordExecution(fingerprint, scope.runId(), step.name(), committed);
      } catch (RuntimeException e) {
        failures.attemptFailed(a, e);
        return;
      }
    }
    datasets.versions().putAll(committed);
    finishSucceeded(a, Map.copyOf(committed), now, event);
  }

  /**
   * Commits the outputs of an attempt that returned: the versioned ones through the data plane, with the save and
   * validation callbacks, the others into the run's memory; then ends the step. A failed commit fails the attempt.
   *
   * @param outputs the attempt's outputs, in the order of the step's outputs
   */
  void succeeded(Attempt a, @Nullable Object[] outputs) {
    StepState s = a.state;
    Step step = s.step;
    // One reading of the clock serves the event and, when nothing is committed, the step's end.
    Instant returned = scope.now();
    StepEvent event = afterStepRun(a, returned);
    List<Dataset<?>> outs = step.outputs();
    List<DataPlane.Output> versioned = List.of();
    DataPlane plane = scope.dataPlane();
    if (plane != null && commits[s.local]) {
      versioned = new ArrayList<>();
      for (int i = 0; i < outs.size(); i++) {
        Dataset<?> codecHandle = scope.codecOf(outs.get(i).name());
        if (codecHandle != null) {
          versioned.add(new DataPlane.Output(codecHandle, outputs[i]));
        }
      }
    }
    Map<String, String> committed = Map.of();
    if (!versioned.isEmpty()) {
      if (listeners.beforeDatasetSave) {
        for (DataPlane.Output o : versioned) {
          listeners.beforeDatasetSave(scope.datasetEvent(step, o.dataset().name(), null));
        }
      }
      DataPlane.CommitResult result;
      try {
        Map<String, String> inputVersions = new java.util.TreeMap<>();
        String fingerprint;
        java.util.Set<String> replacedInputs;
        synchronized (s) {
          fingerprint = s.fingerprint;
          replacedInputs = s.replacedInputs;
        }
        for (Dataset<?> in : step.inputs()) {
          String v = datasets.versions().get(in.name());
          if (v != null && !replacedInputs.contains(in.name())) {
            inputVersions.put(in.name(), v);
          }
        }
        result = plane.commit(new DataPlane.Commit(scope.runId(), scope.pipeline().name(), step.name(),
            cacheable[s.local] ? fingerprint : null, inputVersions, versioned));
      } catch (DatasetCheckException e) {
        if (listeners.onDatasetValidated) {
          ValidationReport report = e.report();
          listeners.onDatasetValidated(scope.datasetEvent(step, report.dataset(), e.versionId()), report);
        }
        failures.attemptFailed(a, e);
        return;
      } catch (RuntimeException e) {
        failures.attemptFailed(a, e);
        return;
      }
      committed = result.versions();
      datasets.versions().putAll(committed);
      if (listeners.afterDatasetSave) {
        for (DataPlane.Output o : versioned) {
          String name = o.dataset().name();
          listeners.afterDatasetSave(scope.datasetEvent(step, name, committed.get(name)));
        }
      }
      if (listeners.onDatasetValidated) {
        for (ValidationReport report : result.reports()) {
          String name = report.dataset();
          listeners.onDatasetValidated(scope.datasetEvent(step, name, committed.get(name)), report);
        }
      }
    }
    for (int i = 0; i < outs.size(); i++) {
      String name = outs.get(i).name();
      if (committed.containsKey(name)) {
        // Downstream steps read the committed version, which is what lineage records.
        continue;
      }
      if (listeners.beforeDatasetSave) {
        listeners.beforeDatasetSave(scope.datasetEvent(step, name, null));
      }
      datasets.values().set(datasets.slots().outputSlot(s.position, i), outputs[i]);
      if (listeners.afterDatasetSave) {
        listeners.afterDatasetSave(scope.datasetEvent(step, name, null));
      }
    }
    finishSucceeded(a, committed, versioned.isEmpty() ? returned : scope.now(), event);
  }

  /**
   * Tells the listeners that an attempt returned.
   *
   * @return the event, which also serves {@code afterStepCommitted}; null if no listener wants either
   */
  private @Nullable StepEvent afterStepRun(Attempt a, Instant at) {
    StepEvent event = listeners.afterStepRun || listeners.afterStepCommitted
        ? scope.event(a.state.step, a.number, at) : null;
    if (listeners.afterStepRun) {
      listeners.afterStepRun(event);
    }
    return event;
  }

  /** Ends a succeeded step once, with its committed outputs, and starts the steps it was the last producer of. */
  private void finishSucceeded(Attempt a, Map<String, String> committed, Instant ended, @Nullable StepEvent event) {
    StepState s = a.state;
    boolean first;
    synchronized (s) {
      first = s.markTerminal(StepStatus.SUCCEEDED, null, "", ended);
      if (first) {
        s.outputs = committed;
      }
    }
    if (!first) {
      return;
    }
    if (listeners.afterStepCommitted) {
      listeners.afterStepCommitted(event);
    }
    run.stepFinished(s, a.number);
    run.startDependents(s);
  }
}
