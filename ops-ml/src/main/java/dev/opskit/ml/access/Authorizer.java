package dev.opskit.ml.access;

import dev.opskit.WorkspaceKey;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.audit.PostgresAuditRoles;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Decides who may do what in the registry. It is consulted before every write with the actor, the action and the
 * target; a refusal throws {@link AccessDeniedException} and is audited. {@link Action} lists what each action can
 * change.
 *
 * <p>There is one authorizer per workspace, set when the workspace is opened; every {@link ModelRegistry}, every
 * {@link dev.opskit.ml.lifecycle.ModelLifecycle} and every tool opened on that workspace in this process goes through
 * it, so no caller can leave it out. Without one, everything is allowed: install your own for any workspace that
 * matters. Guard every action that moves a stage, rollbacks included, and {@link Action#SET_POLICY}, which decides what
 * a move needs:
 *
 * <pre>{@code
 * Set<String> releaseManagers = Set.of("alice", "bob");
 * Authorizer releaseManagersOnly = (actor, action, model, version) ->
 *     (action.movesStage() || action == Action.SET_POLICY) && !releaseManagers.contains(actor.principal())
 *         ? Optional.of("only release managers move stages and change promotion policies")
 *         : Optional.empty();
 * Workspace ws = Workspace.builder().attribute(Authorizer.KEY, releaseManagersOnly).openLocal(dir);
 * }</pre>
 *
 * <p>Implementations are called from any thread and must be thread-safe. Another process sharing the workspace uses
 * the authorizer it was opened with: configure each process's workspace the same way, or, for a guarantee against code
 * with the database credentials, see the PostgreSQL role setup in {@link PostgresAuditRoles}.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
@FunctionalInterface
public interface Authorizer {
  /**
   * The workspace setting that holds the authorizer: {@code Workspace.builder().attribute(Authorizer.KEY, a)}.
   *
   * @since 0.1.0
   */
  WorkspaceKey<Authorizer> KEY = WorkspaceKey.of("opskit.ml.authorizer", Authorizer.class);

  /**
   * Decides.
   *
   * @param actor who asks
   * @param action what they ask to do
   * @param model the model
   * @param version the version number, or 0 for an action on the model as a whole
   * @return the reason for a refusal, or empty to allow
   */
  Optional<String> deny(Actor actor, Action action, String model, int version);

  /**
   * Combines two authorizers: an action is allowed only if both allow it; this one is asked first.
   *
   * @param other the second authorizer
   * @return the combination
   */
  default Authorizer and(Authorizer other) {
    Objects.requireNonNull(other, "other");
    return (actor, action, model, version) -> {
      Optional<String> first = deny(actor, action, model, version);
      return first.isPresent() ? first : other.deny(actor, action, model, version);
    };
  }

  /**
   * Allows everything.
   *
   * @return the permissive authorizer
   */
  static Authorizer allowAll() {
    return (actor, action, model, version) -> Optional.empty();
  }
}
