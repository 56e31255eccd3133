package dev.opskit.ml.access;

import dev.opskit.OpsException;
import dev.opskit.ml.Actor;
import org.apiguardian.api.API;

/**
 * The {@link Authorizer} refused an actor an action. The refusal itself is recorded in the audit trail.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class AccessDeniedException extends OpsException {
  private static final long serialVersionUID = 1L;

  /** Who was refused; not serialized. */
  private final transient Actor actor;
  /** What they tried to do. */
  private final Action action;

  /**
   * Creates the exception.
   *
   * @param actor who asked
   * @param action what they asked to do
   * @param target on what, such as {@code churn v3}
   * @param reason why the authorizer refused
   */
  public AccessDeniedException(Actor actor, Action action, String target, String reason) {
    super("actor '" + actor + "' may not " + action + " " + target + ": " + reason);
    this.actor = actor;
    this.action = action;
  }

  /**
   * Returns who was refused.
   *
   * @return the actor
   */
  public Actor actor() {
    return actor;
  }

  /**
   * Returns what was refused.
   *
   * @return the action
   */
  public Action action() {
    return action;
  }
}
