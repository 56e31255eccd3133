package dev.opskit.run;

import dev.opskit.Names;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One attempt of one step, described by reference so that it can be sent to another JVM: the worker looks the
 * pipeline and step up by name in its own registry, and reads the inputs by reference from the shared stores. Steps
 * are never shipped as closures.
 *
 * @param runId the run id
 * @param pipeline the pipeline name
 * @param step the step name
 * @param attempt the attempt number, starting at 1
 * @param inputs for each input dataset name, a reference to its value: the dataset version id of a versioned input
 *     (a dataset with a codec, in a workspace with a catalog), or an in-process reference ({@code memory:...}) to a
 *     value passed in memory
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record StepInvocation(String runId, String pipeline, String step, int attempt, Map<String, String> inputs) {
  /**
   * Checks and copies the components.
   *
   * @param runId the run id
   * @param pipeline the pipeline name
   * @param step the step name
   * @param attempt the attempt number
   * @param inputs input references by dataset name
   */
  public StepInvocation {
    Objects.requireNonNull(runId, "runId");
    Names.requireValidName("pipeline", pipeline);
    Names.requireValidName("step", step);
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
    inputs = Map.copyOf(inputs);
  }
}
