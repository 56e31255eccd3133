package dev.opskit.ml;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Decides who may do what in the registry. It is consulted before every write with the actor, the action and the
 * target; a refusal throws {@link AccessDeniedException} and is audited. The default, {@link #allowAll()}, allows
 * everything: install your own for any registry that matters.
 *
 * <pre>{@code
 * Authorizer onlyReleaseManagers = (actor, action, model, version) ->
 *     action == Action.PROMOTE && !releaseManagers.contains(actor.principal())
 *         ? Optional.of("only release managers promote") : Optional.empty();
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
@FunctionalInterface
public interface Authorizer {
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
   * Allows everything.
   *
   * @return the permissive authorizer
   */
  static Authorizer allowAll() {
    return (actor, action, model, version) -> Optional.empty();
  }
}
