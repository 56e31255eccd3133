package dev.opskit.pipeline;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What decides whether a step's earlier outputs are still fresh, beyond its code version, parameters and input
 * versions. Set it with {@link StepSpec#freshness(Freshness)}.
 *
 * <p>The rules, in the order the planner applies them:
 *
 * <ul>
 *   <li>{@link #frozen()}: the step never runs again while its last outputs exist, whatever changed (like DVC's frozen
 *       stages). It runs if it never ran or its outputs are gone. Unfreeze it by removing the setting.
 *   <li>{@link #always()}: the step runs on every run; it is never {@code CACHED}.
 *   <li>{@link #probe(Probe)}: before each run the planner calls the probe and adds the token it returns to the step's
 *       fingerprint; a different token means the step runs. The probe should be cheap: a file's size and modification
 *       time, an API's ETag, a table's {@code max(updated_at)}.
 *   <li>None set: a step with dataset inputs is cached on its fingerprint. A step with <em>no</em> dataset inputs (a
 *       source, such as a load from a database or an API) runs on every run, so that it never serves stale data.
 * </ul>
 *
 * <pre>{@code
 * .step("load", s -> s.writes(raw)
 *     .freshness(Freshness.probe(() -> Files.size(export) + "@" + Files.getLastModifiedTime(export)))
 *     .apply(() -> read(export)))
 * }</pre>
 *
 * <p>Values are immutable and thread-safe. Two values are equal when their kinds are equal and, for probes, the probe
 * objects are the same object.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class Freshness {
  private static final Freshness ALWAYS = new Freshness(Kind.ALWAYS, null);
  private static final Freshness FROZEN = new Freshness(Kind.FROZEN, null);

  /**
   * The kinds of freshness rule.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public enum Kind {
    /** Runs on every run. */
    ALWAYS,
    /** Cached while a cheap token, computed before each run, stays the same. */
    PROBE,
    /** Never runs again while its last outputs exist. */
    FROZEN
  }

  /**
   * Computes a freshness token: any text that changes when the data behind the step changes.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  @FunctionalInterface
  public interface Probe {
    /**
     * Returns the current token. A probe that throws makes the step run, and the failure is logged.
     *
     * @return the token; not null
     * @throws Exception if the token cannot be computed
     */
    String token() throws Exception;
  }

  private final Kind kind;
  private final @Nullable Probe probe;

  private Freshness(Kind kind, @Nullable Probe probe) {
    this.kind = kind;
    this.probe = probe;
  }

  /**
   * The step runs on every run.
   *
   * @return the rule
   */
  public static Freshness always() {
    return ALWAYS;
  }

  /**
   * The step never runs again while the outputs of its last execution exist.
   *
   * @return the rule
   */
  public static Freshness frozen() {
    return FROZEN;
  }

  /**
   * The step's fingerprint includes a token the probe computes before each run.
   *
   * @param probe computes the token; called once per run (and once per {@code explain()}), on the planning thread
   * @return the rule
   */
  public static Freshness probe(Probe probe) {
    return new Freshness(Kind.PROBE, Objects.requireNonNull(probe, "probe"));
  }

  /**
   * Returns the kind of rule.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the probe of a {@link Kind#PROBE} rule.
   *
   * @return the probe, or empty for the other kinds
   */
  public Optional<Probe> probe() {
    return Optional.ofNullable(probe);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Freshness && ((Freshness) o).kind == kind && ((Freshness) o).probe == probe;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + System.identityHashCode(probe);
  }

  @Override
  public String toString() {
    return "Freshness[" + kind.name().toLowerCase(java.util.Locale.ROOT) + "]";
  }
}
