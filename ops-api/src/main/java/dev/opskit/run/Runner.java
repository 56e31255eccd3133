package dev.opskit.run;

import dev.opskit.pipeline.Pipeline;
import org.apiguardian.api.API;

/**
 * Runs pipelines in a {@link dev.opskit.Workspace}. Obtain one with {@link dev.opskit.Workspace#runner()}.
 *
 * <pre>{@code
 * Run run = workspace.runner().run(pipeline);                 // every step, default executor
 * Run partial = workspace.runner().plan(pipeline)
 *     .from("features").executor(Executor.parallel(4))
 *     .input(raw, rows)
 *     .run();
 * RunPlan plan = workspace.runner().plan(pipeline).from("features").explain();   // what would run, and why
 * }</pre>
 *
 * <p>A runner is thread-safe: several runs may go on at once.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Runner {
  /**
   * Runs every step of a pipeline and waits for the end.
   *
   * @param pipeline the pipeline
   * @return the report of a successful run
   * @throws RunFailedException if a step failed or the run was cancelled; it carries the report
   */
  default Run run(Pipeline pipeline) {
    return plan(pipeline).run();
  }

  /**
   * Starts every step of a pipeline and returns at once.
   *
   * @param pipeline the pipeline
   * @return a handle on the run
   */
  default RunHandle start(Pipeline pipeline) {
    return plan(pipeline).start();
  }

  /**
   * Prepares a run with options: a selection of steps, inputs, an executor, listeners, a failure mode.
   *
   * @param pipeline the pipeline
   * @return a request to configure and then run or start
   */
  RunRequest plan(Pipeline pipeline);

  /**
   * Resumes a failed or cancelled run: its failed, skipped and cancelled steps run again, and the steps that
   * succeeded are {@link StepStatus#REUSED} with their outputs.
   *
   * <p>It also resumes a run whose coordinator stopped without finishing it (a crash, a lost machine), which the
   * workspace still shows as {@link RunStatus#RUNNING}: every step runs again, except that a cacheable step whose
   * outputs were committed and recorded is a {@link StepStatus#CACHED} hit, and the lost run is recorded
   * {@link RunStatus#CANCELLED}. opskit cannot tell a lost coordinator from a slow one: resume such a run only once
   * its coordinator is known to be gone.
   *
   * @param pipeline the pipeline the run executed
   * @param runId the id of the run to resume
   * @return the report of the new, successful run
   * @throws dev.opskit.OpsException if there is no such run, it was a run of another pipeline, or its outputs are gone
   * @throws RunFailedException if the resumed run fails
   */
  default Run resume(Pipeline pipeline, String runId) {
    return plan(pipeline).resuming(runId).run();
  }
}
