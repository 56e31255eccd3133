package dev.opskit.ml.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A name that has an audit trail, and what became of the model that had it. A deleted model's trail and a name's trail
 * up to a rename stay readable and verifiable with {@link dev.opskit.ml.ModelRegistry#audit(String)}, though no model
 * has the name; {@link dev.opskit.ml.ModelRegistry#auditedModels(int, long)} lists every such name, so that a tool
 * that verifies every trail misses none.
 *
 * <pre>{@code
 * for (AuditedModel m : registry.auditedModels(100, 0)) {
 *   System.out.println(m.name() + " " + m.state() + ": " + registry.audit(m.name()).verify().orElse("verified"));
 * }
 * }</pre>
 *
 * @param name the name the trail is kept under
 * @param state what became of the model of that name
 * @param renamedTo for {@link State#RENAMED}, the name the model was renamed to (it may have been renamed again since);
 *     null otherwise
 * @param since for {@link State#DELETED} and {@link State#RENAMED}, when the model was deleted or renamed; null
 *     otherwise
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record AuditedModel(String name, State state, @Nullable String renamedTo, @Nullable Instant since) {

  /**
   * Checks the components.
   *
   * @param name the name
   * @param state the state
   * @param renamedTo the new name, for {@link State#RENAMED} only
   * @param since when, for {@link State#DELETED} and {@link State#RENAMED} only
   * @throws IllegalArgumentException if the new name or the instant is given for a state that has none, or missing
   *     for one that has it
   */
  public AuditedModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    if ((state == State.RENAMED) != (renamedTo != null)) {
      throw new IllegalArgumentException("renamedTo is for state RENAMED only, got " + renamedTo + " for " + state);
    }
    if ((state == State.DELETED || state == State.RENAMED) != (since != null)) {
      throw new IllegalArgumentException("since is for states DELETED and RENAMED only, got " + since + " for "
          + state);
    }
  }

  /**
   * The name the model was renamed to.
   *
   * @return the new name, for {@link State#RENAMED}; empty otherwise
   */
  public Optional<String> newName() {
    return Optional.ofNullable(renamedTo);
  }

  /**
   * When the model was deleted or renamed.
   *
   * @return the instant, for {@link State#DELETED} and {@link State#RENAMED}; empty otherwise
   */
  public Optional<Instant> goneAt() {
    return Optional.ofNullable(since);
  }

  /**
   * What became of the model that had a name.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public enum State {
    /** A model has the name now (it may be one created again after a deletion or a rename). */
    REGISTERED,
    /** The name's model was deleted, and none was created under it since. */
    DELETED,
    /**
     * The name's model was renamed, and none was created under it since; the name's trail ends with the rename, and
     * the model's whole trail is read under its new name.
     */
    RENAMED,
    /**
     * No model ever had the name, but the trail records something about it: a promotion policy stored ahead of the
     * model, or a refusal of the authorizer.
     */
    NO_MODEL
  }
}
