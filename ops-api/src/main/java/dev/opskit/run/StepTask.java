package dev.opskit.run;

import org.apiguardian.api.API;

/**
 * One attempt of one step, handed by the runner to an {@link Executor}. The executor either runs it here, by calling
 * {@link #run()} on a thread of its choice, or ships {@link #invocation()} to a worker and reports the worker's answer
 * with {@link #complete(StepOutcome)}.
 *
 * <p>Exactly one of {@code run()} and {@code complete(...)} takes effect; later calls are ignored, and so is an
 * answer that arrives after the attempt timed out or the run was cancelled. Thread-safe.
 *
 * <p>An executor that ships invocations calls {@link #started()} when a worker takes one, then
 * {@code complete(...)} with the answer:
 *
 * <pre>{@code
 * public void execute(StepTask task) {
 *   pool.submit(() -> {
 *     if (task.started()) {                        // beforeStepRun fires and the step's timeout starts now
 *       task.complete(cluster.call(task.invocation()));
 *     }
 *   });
 * }
 * }</pre>
 *
 * <p>The runner keeps retries, timeouts, cancellation and listeners, so they behave as under the built-in
 * executors, with two differences the worker's JVM cannot avoid: the runner cannot interrupt a remote step (it
 * drops the late answer instead, and a worker may poll {@link #isAbandoned()}), and the dataset load and save
 * callbacks fire in the worker's JVM, not the runner's.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface StepTask {
  /**
   * Describes the attempt by reference, for executors that run it in another JVM.
   *
   * @return the invocation
   */
  StepInvocation invocation();

  /**
   * Returns the step's position in the pipeline's topological order; executors may use it to order their queue.
   *
   * @return the position
   */
  int position();

  /**
   * Runs the attempt on the current thread: reads the inputs, calls the step function under its timeout, commits the
   * outputs and reports the result to the runner. Never throws.
   */
  void run();

  /**
   * Reports that the attempt started elsewhere: the runner records its start, fires
   * {@link RunListener#beforeStepRun} and starts the step's timeout. An executor that calls
   * {@link #complete(StepOutcome)} without it gets an attempt that starts and ends when the answer arrives, with no
   * timeout while the worker runs it.
   *
   * @return true if the attempt should go ahead; false if it is no longer wanted (the run is stopping, or the
   *     attempt already started, ran or was dropped), in which case the executor drops it
   */
  boolean started();

  /**
   * Tells whether the runner no longer wants this attempt's answer: it timed out, its run was cancelled or failed
   * fast, or it was completed. A worker running it may poll this to stop early.
   *
   * @return true if the attempt is over for the runner
   */
  boolean isAbandoned();

  /**
   * Reports the result of an attempt that ran elsewhere.
   *
   * @param outcome the worker's answer
   */
  void complete(StepOutcome outcome);

  /**
   * Returns the run's own thread, as an executor: the thread that called {@link RunRequest#run()}, or the thread the
   * run started for {@link RunRequest#start()}. {@link Executor#direct()} runs every task there.
   *
   * @return an executor that runs actions on the run's thread, in submission order
   */
  java.util.concurrent.Executor runThread();
}
