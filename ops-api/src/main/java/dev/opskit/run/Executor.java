package dev.opskit.run;

import dev.opskit.spi.OpsRuntime;
import org.apiguardian.api.API;

/**
 * Runs the step attempts a runner hands it. The built-in executors are:
 *
 * <ul>
 *   <li>{@link #direct()}: every step on the run's own thread, one at a time, in a deterministic topological order;
 *   <li>{@link #parallel(int)}: a bounded pool of its own threads that runs independent steps at once.
 * </ul>
 *
 * <p>To scale out, an executor sends {@link StepTask#invocation()} to a worker on another JVM, which looks the step up
 * by name, and reports the answer with {@link StepTask#complete(StepOutcome)}. Retries, timeouts, cancellation and
 * listeners stay with the runner, so they behave the same under every executor.
 *
 * <p>Implementations are thread-safe: {@link #execute(StepTask)} is called from many threads. They must not run the
 * task inside {@code execute} on the calling thread, which would nest steps on the stack.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
@FunctionalInterface
public interface Executor extends AutoCloseable {
  /**
   * Arranges for a task to run, now or later, here or elsewhere. Must not block for long.
   *
   * @param task the attempt to run
   */
  void execute(StepTask task);

  /**
   * Returns a short name for reports, for example {@code "direct"} or {@code "parallel(4)"}. The default is the
   * class's simple name, or its full name for an anonymous class, which has no simple name.
   *
   * @return the name
   */
  default String name() {
    String simple = getClass().getSimpleName();
    return simple.isEmpty() ? getClass().getName() : simple;
  }

  /**
   * Releases the executor's threads. Steps already started finish; tasks not yet started are not run. The default does
   * nothing.
   */
  @Override
  default void close() {}

  /**
   * Runs every step on the run's own thread, one at a time, in exactly the order of
   * {@link dev.opskit.pipeline.Pipeline#steps()} (a step waiting out a retry's backoff lets the next ones go first).
   *
   * @return the direct executor, which holds no resources
   */
  static Executor direct() {
    return DirectExecutor.INSTANCE;
  }

  /**
   * Runs independent steps at once on a pool of its own threads, created when the first step runs. It never uses
   * the common fork-join pool. Close it when done, or let the workspace that owns it close it.
   *
   * @param threads the pool size, at least 1
   * @return a new parallel executor
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  static Executor parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    return OpsRuntime.get().parallelExecutor(threads);
  }
}
