package dev.opskit.run;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Hooks into runs, in the manner of Kedro's hooks. Every method has an empty default; implement those you need.
 *
 * <p><b>Order.</b> For one run, under every executor:
 *
 * <pre>
 * beforePipelineRun
 *   for each selected step, after all of its producers have finished:
 *     onStepCacheLookup                         for a cacheable step; on a hit, straight to onStepFinished
 *     beforeStepRun(attempt 1)
 *       beforeDatasetLoad / afterDatasetLoad     for each input
 *       onStepProgress                           as the step reports progress
 *     onStepRetry(attempt n), beforeStepRun(attempt n + 1) ...   for each retried attempt
 *     afterStepRun                                the function returned
 *       beforeDatasetSave / afterDatasetSave     for each output
 *       onDatasetValidated                       for each versioned output with checks
 *     afterStepCommitted                          the outputs are stored
 *     or onStepError                              the step failed for good
 *     onStepFinished                              always, for every selected step, whatever its status
 * onPipelineError                                 if the run failed or was cancelled
 * afterPipelineRun                                always, last
 * </pre>
 *
 * <p><b>Threads.</b> Step callbacks run on the thread that runs the step, so under a parallel executor the callbacks
 * of independent steps run concurrently: listeners must be thread-safe. Callbacks for one step never overlap, and a
 * step's callbacks happen after its producers' {@code onStepFinished}. A timed-out attempt's {@code onStepRetry} or
 * {@code onStepError} runs on the scheduler's thread.
 *
 * <p><b>Isolation.</b> A listener that throws is logged and skipped; the run goes on, and the other listeners are
 * still called.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface RunListener {
  /**
   * Called once when the run starts, before any step.
   *
   * @param run the run's id, pipeline, selection and executor
   */
  default void beforePipelineRun(RunInfo run) {}

  /**
   * Called once when the run has ended, after every other callback.
   *
   * @param run the final report
   */
  default void afterPipelineRun(Run run) {}

  /**
   * Called when a run failed or was cancelled, just before {@link #afterPipelineRun(Run)}.
   *
   * @param run the final report
   * @param error the first failed step's exception, or a cancellation exception
   */
  default void onPipelineError(Run run, Throwable error) {}

  /**
   * Called when a running step reports its progress, at most about ten times a second per step and always for its
   * last report; see {@link dev.opskit.pipeline.StepContext#progress(long, long)}. Runs on the step's thread.
   *
   * @param event the step and attempt
   * @param progress how far it has got
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default void onStepProgress(StepEvent event, StepProgress progress) {}

  /**
   * Called before each attempt of a step.
   *
   * @param event the step and attempt
   */
  default void beforeStepRun(StepEvent event) {}

  /**
   * Called before each attempt of a step that runs in this process, with the step's inputs, and may replace some of
   * them for that attempt: for testing and debugging, as a Kedro {@code before_node_run} hook that returns a dict. The
   * default calls {@link #beforeStepRun(StepEvent)} and replaces nothing; implement one or the other.
   *
   * <p>The map of inputs is read as {@link #onStepError(StepEvent, Throwable, java.util.Map)}'s is: a value is read
   * only when asked for. The returned map names inputs of the step (by dataset name) and gives each a value of the
   * dataset's type; a name that is not an input of the step, a null value or a value of another type fails the attempt
   * with an {@link IllegalArgumentException} naming it. When several listeners replace the same input, the last one
   * registered wins. A step whose inputs were replaced is not recorded as an execution to reuse (a later run does not
   * take its outputs from the cache), and the versions it writes do not name the replaced inputs' versions as their
   * lineage. Attempts that an executor runs in another process see the inputs but cannot take replacements: those
   * are logged as a warning and not applied.
   *
   * @param event the step and attempt
   * @param inputs the step's inputs by dataset name; read-only
   * @return replacements by dataset name, or an empty map
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default java.util.Map<String, Object> beforeStepRun(StepEvent event, java.util.Map<String, Object> inputs) {
    beforeStepRun(event);
    return java.util.Map.of();
  }

  /**
   * Called when an attempt's function returned normally, before its outputs are committed.
   *
   * @param event the step and attempt
   */
  default void afterStepRun(StepEvent event) {}

  /**
   * Called when a step's outputs are committed.
   *
   * @param event the step and attempt
   */
  default void afterStepCommitted(StepEvent event) {}

  /**
   * Called when a step has failed for good: its last attempt failed, or the failure was not retryable.
   *
   * @param event the step and its last attempt
   * @param error the failure
   */
  default void onStepError(StepEvent event, Throwable error) {}

  /**
   * Called when a step has failed for good, with the step's inputs, as Kedro's {@code on_node_error}. The default
   * calls {@link #onStepError(StepEvent, Throwable)}; implement one or the other.
   *
   * <p>The map holds one entry per input of the step, by dataset name. A value is read only when the listener asks for
   * it ({@code get}, or iterating the values): an in-memory value is returned as is, and a versioned one is loaded
   * from its version. An input that has no value in the run (its producer did not run) is absent.
   *
   * @param event the step and its last attempt
   * @param error the failure
   * @param inputs the step's inputs by dataset name; read-only
   * @since 0.1.0
   */
  default void onStepError(StepEvent event, Throwable error, java.util.Map<String, Object> inputs) {
    onStepError(event, error);
  }

  /**
   * Called when an attempt failed and another will be made after a delay.
   *
   * @param event the step and the attempt that failed
   * @param error the failure
   * @param delay the backoff before the next attempt
   */
  default void onStepRetry(StepEvent event, Throwable error, Duration delay) {}

  /**
   * Called once for every selected step when it reaches its final state, whatever that state is.
   *
   * @param event the step and its last attempt (0 if it never started)
   * @param record the step's final record
   */
  default void onStepFinished(StepEvent event, StepRecord record) {}

  /**
   * Called when the runner looked for an earlier execution of a cacheable step with the same fingerprint. On a hit the
   * step is {@link StepStatus#CACHED}, its function does not run, and its {@link #onStepFinished} follows.
   *
   * @param event the step
   * @param hit whether earlier outputs were found and reused
   */
  default void onStepCacheLookup(StepEvent event, boolean hit) {}

  /**
   * Called when a versioned output has been checked, with the report of its checks. A report with failed WARN checks
   * is how warnings are announced. A blocking report (an ERROR check failed, the version is quarantined) is announced
   * too, with the quarantined content's id as the event's version, and is followed by {@link #onStepError} (or a
   * retry, if the step's policy allows it).
   *
   * @param event the dataset and step, with the version id
   * @param report the checks' results
   */
  default void onDatasetValidated(DatasetEvent event, dev.opskit.pipeline.ValidationReport report) {}

  /**
   * Called before a step reads an input.
   *
   * @param event the dataset and step
   */
  default void beforeDatasetLoad(DatasetEvent event) {}

  /**
   * Called after a step read an input.
   *
   * @param event the dataset and step
   */
  default void afterDatasetLoad(DatasetEvent event) {}

  /**
   * Called before a step's output is saved.
   *
   * @param event the dataset and step
   */
  default void beforeDatasetSave(DatasetEvent event) {}

  /**
   * Called after a step's output was saved.
   *
   * @param event the dataset and step, with the version id when a catalog stored it
   */
  default void afterDatasetSave(DatasetEvent event) {}
}
