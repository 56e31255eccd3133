package dev.opskit.run;

import dev.opskit.pipeline.Dataset;
import org.apiguardian.api.API;

/**
 * A run being prepared. Selections combine by intersection: {@code from("a").withTags("gpu")} runs the steps
 * downstream of {@code a}, {@code a} included, that carry the tag {@code gpu}. A selection that matches no step is an
 * error naming it.
 *
 * <p>Inputs of the selected steps that no selected step produces come, in order, from {@link #input}, from the run
 * being resumed, or from the workspace's catalog; otherwise {@link #run()} fails before any step runs, naming them.
 *
 * <p>Before a run, {@link #explain()} says what each step would do and why; the same reason is recorded on each
 * step's {@link StepRecord#reason() record}.
 *
 * <p>A request is used by one thread and is spent by {@link #run()} or {@link #start()}.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface RunRequest {
  /**
   * Selects only the named steps.
   *
   * @param steps step names
   * @return this request
   */
  RunRequest only(String... steps);

  /**
   * Selects the named steps and everything downstream of them.
   *
   * @param steps step names
   * @return this request
   */
  RunRequest from(String... steps);

  /**
   * Selects the named steps and everything upstream of them.
   *
   * @param steps step names
   * @return this request
   */
  RunRequest to(String... steps);

  /**
   * Selects the steps that carry at least one of the tags.
   *
   * @param tags tags
   * @return this request
   */
  RunRequest withTags(String... tags);

  /**
   * Selects the steps under any of the namespaces: those named {@code ns.*}, as an inclusion under a namespace names
   * them ({@link dev.opskit.pipeline.Inclusion#namespace(String)}). Nested namespaces match their parents.
   *
   * @param namespaces namespaces; one that no step has is an error with the closest names
   * @return this request
   * @since 0.1.0
   */
  RunRequest inNamespace(String... namespaces);

  /**
   * Selects the steps that read any of the datasets, and everything downstream of them (Kedro's
   * {@code from_inputs}).
   *
   * @param datasets dataset names; one the pipeline does not have is an error with the closest names
   * @return this request
   * @since 0.1.0
   */
  RunRequest fromInputs(String... datasets);

  /**
   * Selects the steps that produce any of the datasets, and everything upstream of them (Kedro's
   * {@code to_outputs}).
   *
   * @param datasets dataset names; one the pipeline does not have is an error with the closest names
   * @return this request
   * @since 0.1.0
   */
  RunRequest toOutputs(String... datasets);

  /**
   * Supplies the value of a dataset that the selected steps read but do not produce.
   *
   * @param dataset the dataset
   * @param value its value
   * @param <T> the value type
   * @return this request
   */
  <T> RunRequest input(Dataset<T> dataset, T value);

  /**
   * Resumes a failed or cancelled run of the same pipeline.
   *
   * @param runId the run to resume
   * @return this request
   */
  RunRequest resuming(String runId);

  /**
   * Runs the named steps even if an earlier execution with the same fingerprint could be reused.
   *
   * @param steps step names
   * @return this request
   */
  RunRequest force(String... steps);

  /**
   * Runs the named steps and every step downstream of them even if earlier executions could be reused. Only selected
   * steps run: it forces, it does not select.
   *
   * @param steps step names
   * @return this request
   * @since 0.1.0
   */
  RunRequest forceDownstream(String... steps);

  /**
   * Keeps every in-memory dataset of the run until it ends, so that the report can return any of them. By default an
   * in-memory dataset that a step of the run produced is released as soon as the last step of the run that reads it
   * has succeeded, so that a long chain of large values needs memory for a few of them, not all; only datasets no
   * step of the run reads, versioned ones (loaded again from their version) and given inputs can then be read from
   * the report. The inputs of a step that did not succeed are always kept, for a resume in this process.
   *
   * @return this request
   * @throws IllegalStateException if it was already set
   * @since 0.1.0
   */
  RunRequest keepIntermediates();

  /**
   * Runs every selected step even if earlier outputs could be reused: no step is {@link StepStatus#CACHED}.
   *
   * @return this request
   */
  RunRequest forceAll();

  /**
   * Chooses the executor for this run, instead of the workspace's default.
   *
   * @param executor the executor; the caller keeps ownership and closes it
   * @return this request
   */
  RunRequest executor(Executor executor);

  /**
   * Adds a listener for this run only, after the workspace's listeners.
   *
   * @param listener the listener
   * @return this request
   */
  RunRequest listener(RunListener listener);

  /**
   * Chooses what happens when a step fails; {@link FailureMode#KEEP_GOING} by default.
   *
   * @param mode the failure mode
   * @return this request
   */
  RunRequest failureMode(FailureMode mode);

  /**
   * Shorthand for {@code failureMode(FailureMode.FAIL_FAST)}.
   *
   * @return this request
   */
  default RunRequest failFast() {
    return failureMode(FailureMode.FAIL_FAST);
  }

  /**
   * Says what {@link #run()} would do with each step, and why, without running anything or writing anything: a dry
   * run with the same selection, inputs, resume and force options. It calls the steps' freshness probes. A step whose
   * input is produced during the run is planned to run ({@link StepReason.Kind#INPUT_PENDING}) unless it is frozen:
   * the new version cannot be known before. The request is not spent: {@link #run()} may follow.
   *
   * @return the plan, one entry per step of the pipeline
   * @throws IllegalArgumentException if a selection matches no step or names an unknown step
   * @throws IllegalStateException if an input of the selected steps has no value, or the request was used
   * @since 0.1.0
   */
  RunPlan explain();

  /**
   * Runs the selected steps on the calling thread's behalf and waits for the end.
   *
   * @return the report of a successful run
   * @throws RunFailedException if a step failed or the run was cancelled; it carries the report
   * @throws IllegalArgumentException if a selection matches no step or names an unknown step
   * @throws IllegalStateException if an input of the selected steps has no value
   */
  Run run();

  /**
   * Starts the selected steps and returns at once. The run goes on in the background; with the direct executor its
   * steps run one by one on a thread of the run's own.
   *
   * @return a handle on the run
   * @throws IllegalArgumentException if a selection matches no step or names an unknown step
   * @throws IllegalStateException if an input of the selected steps has no value
   */
  RunHandle start();
}
