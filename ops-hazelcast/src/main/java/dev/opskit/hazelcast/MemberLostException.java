package dev.opskit.hazelcast;

import dev.opskit.OpsException;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The failure of a step attempt whose member left the cluster, shut down or could not be reached before it answered.
 * The attempt counts as failed, and the runner retries it, on any member with a free slot, under the step's retry
 * policy; a policy that retries only some failure types must name this one to retry lost members.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class MemberLostException extends OpsException {
  private static final long serialVersionUID = 1L;

  /** The lost member's address, {@code host:port}. */
  private final String member;

  /**
   * Creates the exception.
   *
   * @param member the member's address, {@code host:port}
   * @param step the step whose attempt was lost
   * @param attempt the attempt number
   * @param cause what Hazelcast reported, or null
   */
  public MemberLostException(String member, String step, int attempt, @Nullable Throwable cause) {
    super("member " + Objects.requireNonNull(member, "member") + " was lost before it answered attempt " + attempt
        + " of step '" + Objects.requireNonNull(step, "step") + "'"
        + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")")
        + "; the attempt failed, and is retried on another member only if the step's retry policy allows another "
        + "attempt (a step without one makes a single attempt)", cause);
    this.member = member;
  }

  /**
   * Returns the address of the member that was lost.
   *
   * @return {@code host:port}
   */
  public String member() {
    return member;
  }
}
