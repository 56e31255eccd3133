package dev.opskit.ml.promotion;

import dev.opskit.ml.ModelRegistry;
import org.apiguardian.api.API;

/**
 * A check a promotion must pass. {@link Gates} provides metric thresholds, beating the champion, dataset checks,
 * drift limits, approvals, and custom gates. A gate that throws counts as failed, with the exception in its result.
 * Gates in a policy stored in the workspace ({@link ModelRegistry#setPolicy}) are kept as their {@link #spec()}.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
@FunctionalInterface
public interface PromotionGate {
  /**
   * Decides.
   *
   * @param context the candidate, the target stage, the incumbent, and access to the registry and catalog
   * @return the verdict with its evidence
   * @throws Exception any failure; the gate counts as failed
   */
  GateResult evaluate(GateContext context) throws Exception;

  /**
   * Returns the gate's name in reports and metrics.
   *
   * @return the name
   */
  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * Returns the metrics this gate reads from a version's provenance, so that a declared lifecycle can check that its
   * evaluation produces them.
   *
   * @return the metric names, empty for a gate that reads none
   */
  default java.util.Set<String> metrics() {
    return java.util.Set.of();
  }

  /**
   * Returns the gate's stored description, which a promotion policy kept in the workspace holds instead of code. The
   * built-in gates of {@link Gates} and {@link Gates#named(String)} have one; a gate of your own has none and cannot be
   * stored: register it in {@link NamedGates} and store {@code Gates.named(its name)}.
   *
   * @return the description, or empty for a gate that is only code
   * @since 0.1.0
   */
  default java.util.Optional<GateSpec> spec() {
    return java.util.Optional.empty();
  }
}
