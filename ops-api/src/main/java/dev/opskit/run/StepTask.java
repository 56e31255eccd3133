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
