package dev.opskit.ml;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Who performs a registry operation: a person or a service, named by the host application, which is responsible for
 * authenticating it. Every write of the registry takes an actor, checks it with the {@link Authorizer}, and records
 * it in the audit trail.
 *
 * @param principal the authenticated identity, such as {@code alice@example.com} or {@code ci}
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record Actor(String principal) {
  /**
   * Checks the principal.
   *
   * @param principal the identity; not blank, at most 255 characters, no control characters
   */
  public Actor {
    Objects.requireNonNull(principal, "principal");
    if (principal.isBlank() || principal.length() > 255 || principal.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("an actor's principal is 1 to 255 printable characters, got "
          + dev.opskit.Names.quote(principal));
    }
  }

  /**
   * Names an actor.
   *
   * @param principal the identity
   * @return the actor
   */
  public static Actor of(String principal) {
    return new Actor(principal);
  }

  @Override
  public String toString() {
    return principal;
  }
}
