package dev.opskit.ml.lifecycle;

import dev.opskit.OpsException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Thrown by {@link ModelLifecycle.Builder#build()} with every problem of a lifecycle definition at once.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class LifecycleDefinitionException extends OpsException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  /**
   * Creates the exception.
   *
   * @param model the model of the lifecycle
   * @param problems every problem, at least one
   */
  public LifecycleDefinitionException(String model, List<String> problems) {
    super(message(model, problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns every problem found.
   *
   * @return the problems
   */
  public List<String> problems() {
    return problems;
  }

  private static String message(String model, List<String> problems) {
    StringBuilder sb = new StringBuilder("Lifecycle of model '").append(model).append("' is invalid (")
        .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    for (int i = 0; i < problems.size(); i++) {
      sb.append("\n  ").append(i + 1).append(". ").append(problems.get(i));
    }
    return sb.toString();
  }
}
