package dev.opskit.ml.promotion;

import dev.opskit.ml.Stage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The rules of promotion for one model: the gates of each target stage, how many versions may be in staging, whether
 * approvals need four eyes, whether a promotion archives the incumbent, and the gates of a rollback. Immutable.
 *
 * <pre>{@code
 * PromotionPolicy policy = PromotionPolicy.builder()
 *     .gates(Stage.STAGING, Gates.metricAtLeast("auc", 0.75), Gates.datasetChecksPassed())
 *     .gates(Stage.PRODUCTION, Gates.beatsChampion("auc", 0.01), Gates.approvals(2))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class PromotionPolicy {
  private static final PromotionPolicy DEFAULT = builder().build();

  private final Map<Stage, List<PromotionGate>> gates;
  private final List<PromotionGate> rollbackGates;
  private final int maxStaging;
  private final boolean fourEyes;
  private final boolean autoArchive;
  private final boolean rollbackAllowed;
  /** The rules set explicitly on the builder, which {@link #combine} applies; the others are defaults. */
  private final Set<String> explicit;

  private PromotionPolicy(Builder b) {
    Map<Stage, List<PromotionGate>> copy = new EnumMap<>(Stage.class);
    b.gates.forEach((stage, list) -> copy.put(stage, List.copyOf(list)));
    this.gates = copy;
    this.rollbackGates = List.copyOf(b.rollbackGates);
    this.maxStaging = b.maxStaging;
    this.fourEyes = b.fourEyes;
    this.autoArchive = b.autoArchive;
    this.rollbackAllowed = b.rollbackAllowed;
    this.explicit = Set.copyOf(b.explicit);
  }

  /**
   * The policy of models that set none: no gates, one staging version, four eyes, auto-archive, rollback allowed.
   *
   * @return the default policy
   */
  public static PromotionPolicy defaults() {
    return DEFAULT;
  }

  /**
   * Starts a policy from the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the gates of promotions to a stage.
   *
   * @param stage the target stage
   * @return the gates, possibly none
   */
  public List<PromotionGate> gatesFor(Stage stage) {
    return gates.getOrDefault(Objects.requireNonNull(stage, "stage"), List.of());
  }

  /**
   * Returns whether a policy declares gates for a stage.
   *
   * @param stage the stage
   * @return true if gates were declared, even an empty list
   */
  public boolean declares(Stage stage) {
    return gates.containsKey(stage);
  }

  /**
   * Returns the gates of a rollback.
   *
   * @return the gates
   */
  public List<PromotionGate> rollbackGates() {
    return rollbackGates;
  }

  /**
   * Returns how many versions may be in staging at once.
   *
   * @return at least 1
   */
  public int maxStaging() {
    return maxStaging;
  }

  /**
   * Returns whether an approval must come from someone other than the actor who registered the version.
   *
   * @return true for the four-eyes rule
   */
  public boolean fourEyes() {
    return fourEyes;
  }

  /**
   * Returns whether promoting to a full stage archives the incumbent instead of failing.
   *
   * @return true to archive
   */
  public boolean autoArchive() {
    return autoArchive;
  }

  /**
   * Returns whether rollbacks are allowed.
   *
   * @return true if allowed
   */
  public boolean rollbackAllowed() {
    return rollbackAllowed;
  }

  /**
   * Combines this policy with more rules, which can only make it stricter: the gates of both for each stage and for
   * rollbacks; and, for each rule the added policy's builder set explicitly, the stricter of the two: the smaller
   * {@link #maxStaging()}, four eyes if either asks for it, auto-archive and rollbacks only if both allow them. A rule
   * the added policy left at its default keeps this policy's value, so a policy that only adds gates changes no rule.
   * The registry combines a model's stored policy with the rules a caller adds this way, so a caller never drops a
   * stored gate or loosens a stored rule.
   *
   * @param more the rules to add
   * @return the combined policy
   * @since 0.1.0
   */
  public PromotionPolicy combine(PromotionPolicy more) {
    Objects.requireNonNull(more, "more");
    Builder b = builder();
    for (Stage stage : Stage.values()) {
      if (declares(stage) || more.declares(stage)) {
        b.gates(stage, gatesFor(stage).toArray(new PromotionGate[0]));
        b.gates(stage, more.gatesFor(stage).toArray(new PromotionGate[0]));
      }
    }
    b.rollbackGates(rollbackGates.toArray(new PromotionGate[0]));
    b.rollbackGates(more.rollbackGates.toArray(new PromotionGate[0]));
    // A rule the added policy left at its default does not count: a policy that only adds gates changes no rule.
    Set<String> set = more.explicit;
    b.maxStaging(set.contains("maxStaging") ? Math.min(maxStaging, more.maxStaging) : maxStaging);
    b.fourEyes(set.contains("fourEyes") ? fourEyes || more.fourEyes : fourEyes);
    b.autoArchive(set.contains("autoArchive") ? autoArchive && more.autoArchive : autoArchive);
    b.rollbackAllowed(set.contains("rollbackAllowed") ? rollbackAllowed && more.rollbackAllowed : rollbackAllowed);
    b.explicit.clear();
    b.explicit.addAll(explicit);
    b.explicit.addAll(set);
    return b.build();
  }

  /**
   * Returns whether every gate of the policy has a stored description ({@link PromotionGate#spec()}), so that the
   * policy can be stored in the workspace.
   *
   * @return the gates that have none, by where they are, such as {@code PRODUCTION: fairness}; empty if it can be stored
   * @since 0.1.0
   */
  public List<String> unstorableGates() {
    List<String> out = new ArrayList<>();
    gates.forEach((stage, list) -> list.stream().filter(g -> g.spec().isEmpty())
        .forEach(g -> out.add(stage + ": " + g.name())));
    rollbackGates.stream().filter(g -> g.spec().isEmpty()).forEach(g -> out.add("rollback: " + g.name()));
    return out;
  }

  @Override
  public String toString() {
    return "PromotionPolicy[gates=" + gates + ", rollbackGates=" + rollbackGates + ", maxStaging=" + maxStaging
        + ", fourEyes=" + fourEyes + ", autoArchive=" + autoArchive + ", rollbackAllowed=" + rollbackAllowed + "]";
  }

  /**
   * Builds a {@link PromotionPolicy}. Not thread-safe.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Builder {
    private final Map<Stage, List<PromotionGate>> gates = new EnumMap<>(Stage.class);
    private final List<PromotionGate> rollbackGates = new ArrayList<>();
    private int maxStaging = 1;
    private boolean fourEyes = true;
    private boolean autoArchive = true;
    private boolean rollbackAllowed = true;
    private final Set<String> explicit = new java.util.HashSet<>();

    private Builder() {}

    /**
     * Adds gates for promotions to a stage.
     *
     * @param stage the target stage; {@link Stage#NONE} for the gates of demotions, which have none by default
     * @param more the gates
     * @return this builder
     */
    public Builder gates(Stage stage, PromotionGate... more) {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(more, "gates");
      List<PromotionGate> list = gates.computeIfAbsent(stage, s -> new ArrayList<>());
      for (int i = 0; i < more.length; i++) {
        list.add(Objects.requireNonNull(more[i], "gates[" + i + "]"));
      }
      return this;
    }

    /**
     * Adds gates for rollbacks.
     *
     * @param more the gates
     * @return this builder
     */
    public Builder rollbackGates(PromotionGate... more) {
      Objects.requireNonNull(more, "gates");
      for (int i = 0; i < more.length; i++) {
        rollbackGates.add(Objects.requireNonNull(more[i], "gates[" + i + "]"));
      }
      return this;
    }

    /**
     * Sets how many versions may be in staging; 1 by default.
     *
     * @param count at least 1
     * @return this builder
     */
    public Builder maxStaging(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("maxStaging must be at least 1, got " + count);
      }
      maxStaging = count;
      explicit.add("maxStaging");
      return this;
    }

    /**
     * Sets whether approvals need someone other than the registering actor; true by default.
     *
     * @param required the four-eyes rule
     * @return this builder
     */
    public Builder fourEyes(boolean required) {
      fourEyes = required;
      explicit.add("fourEyes");
      return this;
    }

    /**
     * Sets whether promoting to a full stage archives the incumbent; true by default. When false, such a promotion
     * fails until the incumbent is archived.
     *
     * @param archive whether to archive
     * @return this builder
     */
    public Builder autoArchive(boolean archive) {
      autoArchive = archive;
      explicit.add("autoArchive");
      return this;
    }

    /**
     * Sets whether rollbacks are allowed; true by default.
     *
     * @param allowed whether allowed
     * @return this builder
     */
    public Builder rollbackAllowed(boolean allowed) {
      rollbackAllowed = allowed;
      explicit.add("rollbackAllowed");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public PromotionPolicy build() {
      return new PromotionPolicy(this);
    }
  }
}
