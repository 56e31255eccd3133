package dev.opskit.run;

import org.apiguardian.api.API;

/**
 * Runs {@link StepInvocation}s on behalf of a coordinator: the receiving end of a scale-out {@link Executor}. Obtain
 * one with {@link dev.opskit.Workspace#worker(PipelineRegistry)} on each worker node.
 *
 * <p>The worker looks the step up by name, reads its inputs by reference from the workspace, runs it once (retries
 * and timeouts stay with the coordinator), stores its outputs, and answers with their references. Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
@FunctionalInterface
public interface StepWorker {
  /**
   * Runs one attempt.
   *
   * @param invocation what to run
   * @return the outcome; a failure of the step is an outcome, not an exception
   * @throws dev.opskit.OpsException if the pipeline or step is unknown, or an input reference cannot be read
   */
  StepOutcome execute(StepInvocation invocation);
}
