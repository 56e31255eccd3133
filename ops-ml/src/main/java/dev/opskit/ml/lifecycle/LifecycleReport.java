package dev.opskit.ml.lifecycle;

import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.PromotionReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link ModelLifecycle#advance} did at each stage, and why it stopped.
 *
 * @param model the model
 * @param run the training run's id
 * @param version the version registered, or found registered already for the same training outputs
 * @param registered whether this call registered it
 * @param metrics the evaluation's metrics
 * @param stages what happened at each promotion, in order
 * @param stoppedBecause why it went no further, or an empty string if it reached the last stage
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record LifecycleReport(String model, String run, int version, boolean registered, Map<String, Double> metrics,
    List<StageOutcome> stages, String stoppedBecause) {
  /**
   * Checks and copies the components.
   *
   * @param model the model
   * @param run the run
   * @param version the version
   * @param registered whether it was registered now
   * @param metrics the metrics
   * @param stages the outcomes
   * @param stoppedBecause why it stopped
   */
  public LifecycleReport {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(run, "run");
    metrics = Map.copyOf(metrics);
    stages = List.copyOf(stages);
    Objects.requireNonNull(stoppedBecause, "stoppedBecause");
  }

  /**
   * Returns the stage the version reached.
   *
   * @return the furthest stage promoted to or already held, or NONE
   */
  public Stage reached() {
    Stage reached = Stage.NONE;
    for (StageOutcome s : stages) {
      if (s.outcome() == Outcome.PROMOTED || s.outcome() == Outcome.ALREADY_THERE) {
        reached = s.stage();
      }
    }
    return reached;
  }

  /**
   * Describes the advance, one stage per line.
   *
   * @return the summary
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(model).append(" v").append(version).append(registered ? " registered" : " (already registered)")
        .append(" from run ").append(run).append(", metrics ").append(new java.util.TreeMap<>(metrics));
    for (StageOutcome s : stages) {
      sb.append("\n  ").append(s.stage()).append(": ").append(s.outcome());
      if (s.report() != null && s.outcome() == Outcome.REJECTED) {
        s.report().failures().forEach(f -> sb.append("\n    ").append(f));
      }
    }
    if (!stoppedBecause.isEmpty()) {
      sb.append("\n  stopped: ").append(stoppedBecause);
    }
    return sb.toString();
  }

  /**
   * What happened at one stage.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public enum Outcome {
    /** The version was promoted to the stage. */
    PROMOTED,
    /** The version already held the stage, or a later one. */
    ALREADY_THERE,
    /** A gate rejected the promotion. */
    REJECTED,
    /** Another promotion won a race; calling advance again retries. */
    CONFLICT
  }

  /**
   * One stage's outcome.
   *
   * @param stage the stage
   * @param outcome what happened
   * @param report the promotion's report, or null if no promotion was attempted
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public record StageOutcome(Stage stage, Outcome outcome, @Nullable PromotionReport report) {
    /**
     * Checks the components.
     *
     * @param stage the stage
     * @param outcome the outcome
     * @param report the report
     */
    public StageOutcome {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(outcome, "outcome");
    }
  }
}
