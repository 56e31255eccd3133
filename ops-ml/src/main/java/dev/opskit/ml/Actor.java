package dev.opskit.ml;

import dev.opskit.ml.internal.input.Principals;
import dev.opskit.ml.promotion.Gates;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Who performs a registry operation: a person or a service, named by the host application, which is responsible for
 * authenticating it. Every write of the registry takes an actor, checks it with the {@link Authorizer}, and records
 * it in the audit trail.
 *
 * <p>The principal is kept and shown as given. Actors are compared by their {@linkplain #id() canonical id}: the
 * principal NFKC-normalized, trimmed and case-folded, with Cyrillic and Greek letters that look like Latin ones read as
 * those. So {@code "alice"}, {@code "Alice"}, {@code "alice "} and {@code "\u0430lice"} (a Cyrillic a) are one actor,
 * and count once towards {@link Gates#approvals(int)}. A principal holding a control, bidi or zero-width character, or
 * a word mixing Latin with Cyrillic or Greek letters, is refused.
 *
 * @param principal the authenticated identity, such as {@code alice@example.com} or {@code ci}
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record Actor(String principal) {
  /**
   * Checks the principal.
   *
   * @param principal the identity; 1 to 255 characters, not blank, no control, bidi, zero-width or other invisible
   *     character, and no word mixing Latin with Cyrillic or Greek letters
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public Actor {
    Objects.requireNonNull(principal, "principal");
    Principals.problem(principal).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
  }

  /**
   * Names an actor.
   *
   * @param principal the identity
   * @return the actor
   * @throws IllegalArgumentException if the principal breaks the rule of {@link #Actor(String)}
   */
  public static Actor of(String principal) {
    return new Actor(principal);
  }

  /**
   * Returns the canonical id by which actors are compared: the principal NFKC-normalized, trimmed, case-folded and
   * with look-alike Cyrillic and Greek letters read as Latin. An {@link Authorizer} that keeps lists of principals
   * should compare these.
   *
   * @return the canonical id
   * @since 0.1.0
   */
  public String id() {
    return Principals.canonical(principal);
  }

  /**
   * Tells whether another actor has the same canonical id.
   *
   * @param o the other object
   * @return true for an actor with the same {@link #id()}
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Actor && ((Actor) o).id().equals(id());
  }

  @Override
  public int hashCode() {
    return id().hashCode();
  }

  @Override
  public String toString() {
    return principal;
  }
}
