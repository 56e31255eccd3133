package dev.opskit.ml;

import dev.opskit.ml.promotion.GateResult;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The stage and alias history of one model, oldest first, built from its audit trail (including the trails of the
 * names it was renamed from). Each {@link Change} says who moved what, when, from where to where, why, and with which
 * gate evidence. A promotion that archives incumbents gives one change for the promoted version and one per archived
 * version, all with the promotion's sequence. Read it with {@link ModelRegistry#timeline(String)}.
 *
 * <pre>{@code
 * for (ModelTimeline.Change c : registry.timeline("churn").stages()) {
 *   System.out.println(c.at() + " " + c.actor() + ": v" + c.version() + " " + c.from() + " -> " + c.to());
 * }
 * }</pre>
 *
 * @param model the model's current name
 * @param changes the changes, in the order of the trail
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record ModelTimeline(String model, List<Change> changes) {

  /**
   * Checks and copies the components.
   *
   * @param model the model
   * @param changes the changes
   */
  public ModelTimeline {
    Objects.requireNonNull(model, "model");
    changes = List.copyOf(changes);
  }

  /**
   * The stage changes only.
   *
   * @return the changes of kind {@link Kind#STAGE}, oldest first
   */
  public List<Change> stages() {
    return changes.stream().filter(c -> c.kind() == Kind.STAGE).toList();
  }

  /**
   * The alias changes only.
   *
   * @return the changes of kind {@link Kind#ALIAS}, oldest first
   */
  public List<Change> aliases() {
    return changes.stream().filter(c -> c.kind() == Kind.ALIAS).toList();
  }

  /**
   * The changes that concern one version: its stage moves, and aliases set on it or moved away from it.
   *
   * @param number the version number
   * @return its changes, oldest first
   */
  public List<Change> of(int number) {
    return changes.stream().filter(c -> c.version() == number
        || (c.kind() == Kind.ALIAS && c.from().equals(Integer.toString(number)))).toList();
  }

  /**
   * What a change moved.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public enum Kind {
    /** A version changed stage: {@code from} and {@code to} are {@link Stage} names. */
    STAGE,
    /**
     * An alias was set, moved or removed: {@code from} and {@code to} are version numbers, empty when the alias did
     * not exist before or no longer exists after.
     */
    ALIAS
  }

  /**
   * One change of a stage or an alias.
   *
   * @param kind what moved
   * @param action the audit action that recorded it ({@code PROMOTE}, {@code DEMOTE}, {@code ROLLBACK},
   *     {@code DELETE}, {@code SET_ALIAS}, {@code REMOVE_ALIAS})
   * @param sequence the audit record's sequence in the trail of the name it was written under
   * @param version the version that moved (for an alias: the version it points at after, or pointed at before a
   *     removal)
   * @param alias the alias, for {@link Kind#ALIAS}; null for a stage change
   * @param from the stage name or version number before (empty for none)
   * @param to the stage name or version number after (empty for none)
   * @param actor who made the change (the actor's id)
   * @param at when
   * @param reason the reason given, empty if none
   * @param evidence the gate results the change was recorded with (a promotion's gates; empty otherwise)
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public record Change(Kind kind, String action, long sequence, int version, @Nullable String alias, String from,
      String to, String actor, Instant at, String reason, List<GateResult> evidence) {

    /**
     * Checks and copies the components.
     *
     * @param kind what moved
     * @param action the audit action
     * @param sequence the audit sequence
     * @param version the version
     * @param alias the alias, or null for a stage change
     * @param from before
     * @param to after
     * @param actor who
     * @param at when
     * @param reason why
     * @param evidence the gate results
     */
    public Change {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(action, "action");
      if ((kind == Kind.ALIAS) != (alias != null)) {
        throw new IllegalArgumentException("a change of kind " + kind + " must " + (kind == Kind.ALIAS ? "" : "not ")
            + "name an alias, got " + alias);
      }
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      evidence = List.copyOf(evidence);
    }

    /**
     * The alias, for an alias change.
     *
     * @return the alias, or empty for a stage change
     */
    public Optional<String> aliasName() {
      return Optional.ofNullable(alias);
    }
  }
}
