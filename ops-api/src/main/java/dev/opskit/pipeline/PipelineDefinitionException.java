package dev.opskit.pipeline;

import dev.opskit.OpsException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Thrown by {@link PipelineBuilder#build()} with every problem of a pipeline definition at once.
 *
 * <pre>
 * Pipeline 'churn' is invalid (2 problems):
 *   1. step 'Clean!' has an illegal name ...
 *   2. cycle: clean -&gt; features -&gt; clean
 * </pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class PipelineDefinitionException extends OpsException {
  private static final long serialVersionUID = 1L;

  /** The name of the pipeline whose definition is wrong. */
  private final String pipeline;
  private final transient List<String> problems;

  /**
   * Creates the exception.
   *
   * @param pipeline the name of the pipeline being built
   * @param problems every problem found, at least one
   */
  public PipelineDefinitionException(String pipeline, List<String> problems) {
    super(message(pipeline, problems));
    this.pipeline = pipeline;
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns the name of the pipeline that failed to build.
   *
   * @return the pipeline name, as given to the builder
   */
  public String pipeline() {
    return pipeline;
  }

  /**
   * Returns every problem found, in the order the validator found them.
   *
   * @return the problems, never empty
   */
  public List<String> problems() {
    return problems;
  }

  private static String message(String pipeline, List<String> problems) {
    StringBuilder sb = new StringBuilder("Pipeline ").append(dev.opskit.Names.quote(pipeline)).append(" is invalid (")
        .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    for (int i = 0; i < problems.size(); i++) {
      sb.append("\n  ").append(i + 1).append(". ").append(problems.get(i));
    }
    return sb.toString();
  }
}
