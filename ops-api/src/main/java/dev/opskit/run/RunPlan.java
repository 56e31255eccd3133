package dev.opskit.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a run would do, step by step, and why, without running anything. Returned by {@link RunRequest#explain()}.
 *
 * <pre>{@code
 * RunPlan plan = ws.runner().plan(pipeline).from("features").explain();
 * System.out.println(plan);
 * // features: runs: parameter 'window' changed from 7 to 14
 * // train: runs: input 'features' is produced in this run by step 'features', so its version is not known yet
 * // clean: not selected
 * }</pre>
 *
 * @param pipeline the pipeline name
 * @param steps one entry per step of the pipeline, in {@link dev.opskit.pipeline.Pipeline#steps()} order
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record RunPlan(String pipeline, List<PlannedStep> steps) {
  /**
   * Checks and copies the components.
   *
   * @param pipeline the pipeline name
   * @param steps the entries
   */
  public RunPlan {
    Objects.requireNonNull(pipeline, "pipeline");
    steps = List.copyOf(steps);
  }

  /**
   * Finds the entry of a step.
   *
   * @param name the step name
   * @return the entry, or empty if the pipeline has no such step
   */
  public Optional<PlannedStep> step(String name) {
    Objects.requireNonNull(name, "name");
    for (PlannedStep s : steps) {
      if (s.step().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the names of the steps that would run, in order.
   *
   * @return the step names
   */
  public List<String> toRun() {
    List<String> out = new ArrayList<>();
    for (PlannedStep s : steps) {
      if (s.runs()) {
        out.add(s.step());
      }
    }
    return out;
  }

  /**
   * Lists every step with its reason, one per line.
   *
   * @return the explanation
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (PlannedStep s : steps) {
      sb.append(s).append('\n');
    }
    return sb.toString();
  }
}
