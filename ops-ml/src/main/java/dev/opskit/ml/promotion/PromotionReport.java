package dev.opskit.ml.promotion;

import dev.opskit.ml.Actor;
import dev.opskit.ml.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What a promotion's gates found, and what happened.
 *
 * @param model the model
 * @param version the version promoted
 * @param from its stage before
 * @param to the target stage
 * @param actor who asked
 * @param reason why, as the actor said
 * @param gates every gate's result, in order
 * @param approved whether every gate passed
 * @param dryRun whether nothing was changed on purpose
 * @param archived the version moved to ARCHIVED to make room, or 0
 * @param at when the gates were evaluated
 * @param auditId the id of the audit record written, or null for a dry run or a rejection
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record PromotionReport(String model, int version, Stage from, Stage to, Actor actor, String reason,
    List<GateResult> gates, boolean approved, boolean dryRun, int archived, Instant at, @Nullable String auditId) {
  /**
   * Checks and copies the components.
   *
   * @param model the model
   * @param version the version
   * @param from the stage before
   * @param to the target stage
   * @param actor the actor
   * @param reason the reason
   * @param gates the gate results
   * @param approved whether all passed
   * @param dryRun whether nothing changed on purpose
   * @param archived the archived incumbent, or 0
   * @param at when
   * @param auditId the audit record, or null
   */
  public PromotionReport {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    gates = List.copyOf(gates);
    Objects.requireNonNull(at, "at");
  }

  /**
   * Returns the gates that failed.
   *
   * @return the failures
   */
  public List<GateResult> failures() {
    return gates.stream().filter(g -> !g.passed()).toList();
  }

  /**
   * Tells whether the version was already in the target stage, so nothing was evaluated or changed.
   *
   * @return true if {@code from == to}
   * @since 0.1.0
   */
  public boolean unchanged() {
    return from == to;
  }

  /**
   * Returns {@link #summary()}.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    return summary();
  }

  /**
   * Describes the promotion, one gate per line.
   *
   * @return the summary
   */
  public String summary() {
    if (unchanged()) {
      return model + " v" + version + " is already in " + to + "; nothing changed (" + actor + ")";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(model).append(" v").append(version).append(": ").append(from).append(" -> ").append(to).append(' ')
        .append(dryRun ? (approved ? "would be approved" : "would be rejected") : approved ? "APPROVED" : "REJECTED")
        .append(" (").append(actor).append(reason.isEmpty() ? "" : ": " + reason).append(')');
    for (GateResult g : gates) {
      sb.append("\n  ").append(g);
    }
    if (archived > 0) {
      sb.append("\n  archived v").append(archived);
    }
    return sb.toString();
  }
}
