package dev.opskit.pipeline;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * What a running step sees: its inputs, its parameters, where its outputs go, and whether the run was cancelled.
 *
 * <p>A context belongs to one attempt of one step, and is used from the thread running it. Outputs are committed
 * together, and only if the step function returns normally: a failed attempt commits nothing.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface StepContext {
  /**
   * Returns the id of the run.
   *
   * @return the run id
   */
  String runId();

  /**
   * Returns the pipeline name.
   *
   * @return the pipeline name
   */
  String pipeline();

  /**
   * Returns the step name.
   *
   * @return the step name
   */
  String step();

  /**
   * Returns the attempt number, starting at 1.
   *
   * @return the attempt
   */
  int attempt();

  /**
   * Reads a declared input.
   *
   * @param dataset one of the step's inputs, as the step declared it
   * @param <T> the value type
   * @return the value
   * @throws IllegalArgumentException if the step did not declare {@code dataset} as an input
   */
  <T> T input(Dataset<T> dataset);

  /**
   * Writes a declared output. It is committed when the step function returns normally.
   *
   * @param dataset one of the step's outputs, as the step declared it
   * @param value the value, not null
   * @param <T> the value type
   * @throws IllegalArgumentException if the step did not declare {@code dataset} as an output
   * @throws IllegalStateException if the output was already written in this attempt
   */
  <T> void output(Dataset<T> dataset, T value);

  /**
   * Returns the step's parameters, sorted by key.
   *
   * @return the parameters
   */
  Map<String, Object> params();

  /**
   * Returns one parameter.
   *
   * @param key the parameter key
   * @param type the expected type; numbers convert between {@code Integer}, {@code Long} and {@code Double}
   * @param <T> the expected type
   * @return the value
   * @throws IllegalArgumentException if there is no such parameter or it does not have the type; the message lists the
   *     step's parameters
   */
  <T> T param(String key, Class<T> type);

  /**
   * Tells whether the run was cancelled, or this attempt timed out. Long steps should check it between units of work
   * and return early; the runner also interrupts the thread.
   *
   * @return true if the attempt should stop
   */
  boolean isCancelled();

  /**
   * Reports how far the step has got, for progress displays, {@link dev.opskit.run.RunHandle#snapshot()} and the
   * listeners' {@link dev.opskit.run.RunListener#onStepProgress} callback. Cheap enough to call for every unit of
   * work: listeners hear of it at most about ten times a second per step, and always of the last unit.
   *
   * <pre>{@code
   * for (int i = 0; i < files.size(); i++) {
   *   load(files.get(i));
   *   ctx.progress(i + 1, files.size());
   * }
   * }</pre>
   *
   * @param done units of work done so far, zero or more
   * @param total units of work in all, or {@link dev.opskit.run.StepProgress#UNKNOWN} (-1) if unknown
   * @throws IllegalArgumentException if {@code done} is negative or {@code total} is below -1
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  default void progress(long done, long total) {}
}
