package dev.opskit.pipeline;

import dev.opskit.OpsException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a step's function to ask for another attempt, optionally after a delay it chooses, as Dagster's
 * {@code RetryRequested}: "rate-limited, try again in 30 s".
 *
 * <pre>{@code
 * .step("fetch", s -> s.writes(prices).apply(() -> {
 *   Response r = api.get();
 *   if (r.status() == 429) {
 *     throw RetryRequestedException.after(Duration.ofSeconds(r.retryAfterSeconds()), "rate-limited");
 *   }
 *   return r.body();
 * }))
 * }</pre>
 *
 * <p>A request is granted whatever the step's retry-on predicate says, as long as attempts remain: the limit is the
 * step's {@link RetryPolicy#maxAttempts()}, or the request's own {@link #maxAttempts()} when that is larger. The wait is
 * the requested delay when there is one, otherwise the policy's backoff (zero without retry policy). A request that
 * is not granted fails the step with this exception.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class RetryRequestedException extends OpsException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration delay;
  private final int maxAttempts;

  private RetryRequestedException(String reason, @Nullable Duration delay, int maxAttempts, @Nullable Throwable cause) {
    super(reason, cause);
    this.delay = delay;
    this.maxAttempts = maxAttempts;
  }

  /**
   * Asks for another attempt after the policy's backoff.
   *
   * @param reason why, for the step's record and the logs
   * @return the exception to throw
   */
  public static RetryRequestedException now(String reason) {
    return new RetryRequestedException(Objects.requireNonNull(reason, "reason"), null, 0, null);
  }

  /**
   * Asks for another attempt after a delay.
   *
   * @param delay how long to wait; zero or positive
   * @param reason why, for the step's record and the logs
   * @return the exception to throw
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static RetryRequestedException after(Duration delay, String reason) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(reason, "reason");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
    return new RetryRequestedException(reason, delay, 0, null);
  }

  /**
   * Returns this request allowing up to a number of attempts in all, the first included, even if the step's retry
   * policy allows fewer.
   *
   * @param attempts the number of attempts; at least 2
   * @return a new request with the same reason, delay and cause
   * @throws IllegalArgumentException if {@code attempts < 2}
   */
  public RetryRequestedException upTo(int attempts) {
    if (attempts < 2) {
      throw new IllegalArgumentException("attempts must be at least 2 (it counts the first attempt), got " + attempts);
    }
    return new RetryRequestedException(getMessage(), delay, attempts, getCause());
  }

  /**
   * Returns this request with the failure that prompted it.
   *
   * @param cause the failure
   * @return a new request with the same reason, delay and limit
   */
  public RetryRequestedException causedBy(Throwable cause) {
    return new RetryRequestedException(getMessage(), delay, maxAttempts, Objects.requireNonNull(cause, "cause"));
  }

  /**
   * Returns the delay the step asked for.
   *
   * @return the delay, or empty to use the policy's backoff
   */
  public Optional<Duration> delay() {
    return Optional.ofNullable(delay);
  }

  /**
   * Returns the number of attempts the request allows, the first included.
   *
   * @return the limit, or 0 when only the step's retry policy limits the attempts
   */
  public int maxAttempts() {
    return maxAttempts;
  }
}
