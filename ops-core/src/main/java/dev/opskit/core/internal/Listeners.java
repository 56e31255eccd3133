package dev.opskit.core.internal;

import dev.opskit.pipeline.ValidationReport;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepProgress;
import dev.opskit.run.StepRecord;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls listeners in order, isolating each: a listener that throws is logged and the others still run.
 *
 * <p>Each callback has a flag that is true only when some listener implements it (overrides the interface's empty
 * default, or says so through {@link Selective}). The run checks the flag before it builds an event, so a listener
 * that wants three callbacks costs three events per step, not fourteen, and no listener costs nothing.
 */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  /** The callbacks of {@link RunListener}, one flag each. */
  enum Callback {
    BEFORE_PIPELINE_RUN("beforePipelineRun", RunInfo.class),
    AFTER_PIPELINE_RUN("afterPipelineRun", Run.class),
    ON_PIPELINE_ERROR("onPipelineError", Run.class, Throwable.class),
    BEFORE_STEP_RUN("beforeStepRun", StepEvent.class),
    BEFORE_STEP_RUN_WITH_INPUTS("beforeStepRun", StepEvent.class, java.util.Map.class),
    AFTER_STEP_RUN("afterStepRun", StepEvent.class),
    AFTER_STEP_COMMITTED("afterStepCommitted", StepEvent.class),
    ON_STEP_ERROR("onStepError", StepEvent.class, Throwable.class),
    ON_STEP_ERROR_WITH_INPUTS("onStepError", StepEvent.class, Throwable.class, java.util.Map.class),
    ON_STEP_RETRY("onStepRetry", StepEvent.class, Throwable.class, Duration.class),
    ON_STEP_FINISHED("onStepFinished", StepEvent.class, StepRecord.class),
    ON_STEP_CACHE_LOOKUP("onStepCacheLookup", StepEvent.class, boolean.class),
    ON_STEP_PROGRESS("onStepProgress", StepEvent.class, StepProgress.class),
    ON_DATASET_VALIDATED("onDatasetValidated", DatasetEvent.class, ValidationReport.class),
    BEFORE_DATASET_LOAD("beforeDatasetLoad", DatasetEvent.class),
    AFTER_DATASET_LOAD("afterDatasetLoad", DatasetEvent.class),
    BEFORE_DATASET_SAVE("beforeDatasetSave", DatasetEvent.class),
    AFTER_DATASET_SAVE("afterDatasetSave", DatasetEvent.class);

    private final String method;
    private final Class<?>[] parameters;

    Callback(String method, Class<?>... parameters) {
      this.method = method;
      this.parameters = parameters;
    }

    /** Whether a listener of this class implements the callback rather than inherit the empty default. */
    boolean implementedBy(Class<?> type) {
      try {
        Method m = type.getMethod(method, parameters);
        return m.getDeclaringClass() != RunListener.class;
      } catch (NoSuchMethodException | SecurityException e) {
        return true; // when in doubt, call it
      }
    }
  }

  /** A listener of opskit's own that says which callbacks it wants, which may depend on its configuration. */
  interface Selective {
    boolean wants(Callback callback);
  }

  private static final ClassValue<boolean[]> IMPLEMENTED = new ClassValue<>() {
    @Override
    protected boolean[] computeValue(Class<?> type) {
      Callback[] all = Callback.values();
      boolean[] flags = new boolean[all.length];
      for (Callback c : all) {
        flags[c.ordinal()] = c.implementedBy(type);
      }
      return flags;
    }
  };

  private final RunListener[] listeners;
  /** The listeners that want each of the per-step callbacks, so the others are not called at all. */
  private final RunListener[] beforeStepRunners;
  private final RunListener[] afterStepRunners;
  private final RunListener[] stepFinishers;
  private final boolean any;
  final boolean beforePipelineRun;
  final boolean afterPipelineRun;
  final boolean onPipelineError;
  final boolean beforeStepRun;
  final boolean afterStepRun;
  final boolean afterStepCommitted;
  final boolean onStepError;
  final boolean onStepRetry;
  final boolean onStepFinished;
  final boolean onStepCacheLookup;
  final boolean onStepProgress;
  final boolean onDatasetValidated;
  final boolean beforeDatasetLoad;
  final boolean afterDatasetLoad;
  final boolean beforeDatasetSave;
  final boolean afterDatasetSave;

  Listeners(List<RunListener> listeners) {
    this.listeners = listeners.toArray(new RunListener[0]);
    boolean[] wanted = new boolean[Callback.values().length];
    for (RunListener l : this.listeners) {
      for (Callback c : Callback.values()) {
        wanted[c.ordinal()] |= wants(l, c);
      }
    }
    beforeStepRunners = java.util.Arrays.stream(this.listeners)
        .filter(l -> wants(l, Callback.BEFORE_STEP_RUN) || wants(l, Callback.BEFORE_STEP_RUN_WITH_INPUTS))
        .toArray(RunListener[]::new);
    afterStepRunners = wanting(this.listeners, Callback.AFTER_STEP_RUN);
    stepFinishers = wanting(this.listeners, Callback.ON_STEP_FINISHED);
    boolean some = false;
    for (boolean w : wanted) {
      some |= w;
    }
    this.any = some;
    beforePipelineRun = wanted[Callback.BEFORE_PIPELINE_RUN.ordinal()];
    afterPipelineRun = wanted[Callback.AFTER_PIPELINE_RUN.ordinal()];
    onPipelineError = wanted[Callback.ON_PIPELINE_ERROR.ordinal()];
    beforeStepRun = wanted[Callback.BEFORE_STEP_RUN.ordinal()]
        || wanted[Callback.BEFORE_STEP_RUN_WITH_INPUTS.ordinal()];
    afterStepRun = wanted[Callback.AFTER_STEP_RUN.ordinal()];
    afterStepCommitted = wanted[Callback.AFTER_STEP_COMMITTED.ordinal()];
    onStepError = wanted[Callback.ON_STEP_ERROR.ordinal()] || wanted[Callback.ON_STEP_ERROR_WITH_INPUTS.ordinal()];
    onStepRetry = wanted[Callback.ON_STEP_RETRY.ordinal()];
    onStepFinished = wanted[Callback.ON_STEP_FINISHED.ordinal()];
    onStepCacheLookup = wanted[Callback.ON_STEP_CACHE_LOOKUP.ordinal()];
    onStepProgress = wanted[Callback.ON_STEP_PROGRESS.ordinal()];
    onDatasetValidated = wanted[Callback.ON_DATASET_VALIDATED.ordinal()];
    beforeDatasetLoad = wanted[Callback.BEFORE_DATASET_LOAD.ordinal()];
    afterDatasetLoad = wanted[Callback.AFTER_DATASET_LOAD.ordinal()];
    beforeDatasetSave = wanted[Callback.BEFORE_DATASET_SAVE.ordinal()];
    afterDatasetSave = wanted[Callback.AFTER_DATASET_SAVE.ordinal()];
  }

  private static boolean wants(RunListener l, Callback c) {
    return l instanceof Selective s ? s.wants(c) : IMPLEMENTED.get(l.getClass())[c.ordinal()];
  }

  private static RunListener[] wanting(RunListener[] all, Callback c) {
    return java.util.Arrays.stream(all).filter(l -> wants(l, c)).toArray(RunListener[]::new);
  }

  /** Whether any listener wants any callback. */
  boolean active() {
    return any;
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

  /**
   * Calls {@code beforeStepRun}: the two-argument form on listeners that implement it, the one-argument form on the
   * others.
   *
   * @param e the event
   * @param inputs the step's inputs, for the listeners that take them
   * @return the inputs replaced, by dataset name, each listener's over those of the listeners before it; empty if none
   */
  Map<String, Object> beforeStepRun(StepEvent e, Map<String, Object> inputs) {
    Map<String, Object> replaced = Map.of();
    for (RunListener l : beforeStepRunners) {
      try {
        if (wants(l, Callback.BEFORE_STEP_RUN_WITH_INPUTS)) {
          Map<String, Object> more = l.beforeStepRun(e, inputs);
          if (more != null && !more.isEmpty()) {
            if (replaced.isEmpty()) {
              replaced = new java.util.LinkedHashMap<>();
            }
            replaced.putAll(more);
          }
        } else {
          l.beforeStepRun(e);
        }
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        failed(l, "beforeStepRun", e.runId(), t);
      }
    }
    return replaced;
  }

  void afterStepRun(StepEvent e) {
    for (RunListener l : afterStepRunners) {
      try {
        l.afterStepRun(e);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        failed(l, "afterStepRun", e.runId(), t);
      }
    }
  }

  void afterStepCommitted(StepEvent e) {
    each("afterStepCommitted", e.runId(), l -> l.afterStepCommitted(e));
  }

  void onStepError(StepEvent e, Throwable error, java.util.Map<String, Object> inputs) {
    each("onStepError", e.runId(), l -> l.onStepError(e, error, inputs));
  }

  void onStepRetry(StepEvent e, Throwable error, Duration delay) {
    each("onStepRetry", e.runId(), l -> l.onStepRetry(e, error, delay));
  }

  void onStepFinished(StepEvent e, StepRecord record) {
    for (RunListener l : stepFinishers) {
      try {
        l.onStepFinished(e, record);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        failed(l, "onStepFinished", e.runId(), t);
      }
    }
  }

  void onStepCacheLookup(StepEvent e, boolean hit) {
    each("onStepCacheLookup", e.runId(), l -> l.onStepCacheLookup(e, hit));
  }

  void onStepProgress(StepEvent e, StepProgress progress) {
    each("onStepProgress", e.runId(), l -> l.onStepProgress(e, progress));
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
        failed(listener, callback, runId, t);
      }
    }
  }

  private static void failed(RunListener listener, String callback, String runId, Throwable t) {
    LOG.warn("Listener {} threw in {} of run {}; it is skipped and the run goes on", listener, callback, runId, t);
  }
}
