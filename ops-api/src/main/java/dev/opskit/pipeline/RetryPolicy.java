package dev.opskit.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * How often a failing step is attempted and how long the runner waits between attempts.
 *
 * <p>{@code maxAttempts} counts every attempt, the first included: {@code RetryPolicy.fixed(3, ...)} runs a step at most
 * three times. Between attempts the runner waits for the backoff delay, scheduled on the injected
 * {@link dev.opskit.time.Scheduler} so no thread is held while waiting:
 *
 * <ul>
 *   <li>fixed: the same delay before every retry;
 *   <li>linear: {@code initialDelay * retry} (1 s, 2 s, 3 s, ...), capped at {@code maxDelay};
 *   <li>exponential: {@code initialDelay * multiplier^(retry - 1)}, capped at {@code maxDelay};
 *   <li>full jitter {@code j} in [0, 1] ({@link #withJitter}) spreads each delay uniformly over
 *       {@code [delay * (1 - j), delay]};
 *   <li>plus-minus jitter {@code j} in [0, 1] ({@link #withPlusMinusJitter}) spreads it over
 *       {@code [delay * (1 - j), delay * (1 + j)]}, so the mean delay stays {@code delay}.
 * </ul>
 *
 * <p>Backoff and jitter need a delay to work on: a zero delay with linear or exponential backoff, a multiplier or
 * jitter is refused with an {@link IllegalArgumentException}. A step may also ask for a retry itself by throwing
 * {@link RetryRequestedException}.
 *
 * <p>Only failures accepted by the retry-on predicate are retried; by default every {@link Exception} is, and an
 * {@link Error} is not. A timeout counts as a failed attempt and is retried like any other failure.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.exponential(4, Duration.ofMillis(200))
 *     .withMaxDelay(Duration.ofSeconds(5))
 *     .withJitter(0.5)
 *     .retryOn(IOException.class);
 * }</pre>
 *
 * <p>Values are immutable and thread-safe; every {@code with} method returns a new policy.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class RetryPolicy {
  private static final Predicate<Throwable> EXCEPTIONS = new Predicate<>() {
    @Override
    public boolean test(Throwable t) {
      return t instanceof Exception;
    }

    @Override
    public String toString() {
      return "any Exception";
    }
  };
  private static final Duration LONGEST_IN_NANOS = Duration.ofNanos(Long.MAX_VALUE);
  private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, 0.0, EXCEPTIONS,
      false, false);

  private final int maxAttempts;
  private final Duration initialDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final double jitter;
  private final Predicate<Throwable> retryOn;
  private final boolean linear;
  private final boolean plusMinus;

  private RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, double jitter,
      Predicate<Throwable> retryOn, boolean linear, boolean plusMinus) {
    this.maxAttempts = maxAttempts;
    this.initialDelay = initialDelay;
    this.multiplier = multiplier;
    this.maxDelay = maxDelay;
    this.jitter = jitter;
    this.retryOn = retryOn;
    this.linear = linear;
    this.plusMinus = plusMinus;
  }

  /**
   * A policy of one attempt and no retry. It is the default.
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * Retries with the same delay before every attempt.
   *
   * @param maxAttempts the number of attempts, the first included; at least 1
   * @param delay the delay before each retry; zero or positive
   * @return the policy
   * @throws IllegalArgumentException if {@code maxAttempts < 1} or {@code delay} is negative
   */
  public static RetryPolicy fixed(int maxAttempts, Duration delay) {
    checkAttempts(maxAttempts);
    checkDelay("delay", delay);
    return new RetryPolicy(maxAttempts, delay, 1.0, delay, 0.0, EXCEPTIONS, false, false);
  }

  /**
   * Retries with a delay that grows by the same step before each retry: {@code delay}, {@code 2 * delay},
   * {@code 3 * delay}, ..., capped at 100 times {@code delay} unless {@link #withMaxDelay(Duration)} says otherwise.
   *
   * @param maxAttempts the number of attempts, the first included; at least 1
   * @param delay the delay before the first retry, and the step it grows by; positive
   * @return the policy
   * @throws IllegalArgumentException if {@code maxAttempts < 1} or {@code delay} is not positive
   * @since 0.1.0
   */
  public static RetryPolicy linear(int maxAttempts, Duration delay) {
    checkAttempts(maxAttempts);
    checkDelay("delay", delay);
    if (delay.isZero()) {
      throw new IllegalArgumentException("delay of a linear backoff must be positive, got " + delay
          + "; use RetryPolicy.fixed(maxAttempts, Duration.ZERO) to retry at once");
    }
    return new RetryPolicy(maxAttempts, delay, 1.0, cap(delay), 0.0, EXCEPTIONS, true, false);
  }

  private static Duration cap(Duration delay) {
    return delay.getSeconds() > Long.MAX_VALUE / 200 ? delay : delay.multipliedBy(100);
  }

  /**
   * Retries with a delay that doubles after every attempt, capped at 100 times the initial delay unless
   * {@link #withMaxDelay(Duration)} says otherwise.
   *
   * @param maxAttempts the number of attempts, the first included; at least 1
   * @param initialDelay the delay before the first retry; positive
   * @return the policy
   * @throws IllegalArgumentException if {@code maxAttempts < 1} or {@code initialDelay} is not positive
   */
  public static RetryPolicy exponential(int maxAttempts, Duration initialDelay) {
    checkAttempts(maxAttempts);
    checkDelay("initialDelay", initialDelay);
    if (initialDelay.isZero()) {
      throw new IllegalArgumentException("initialDelay of an exponential backoff must be positive, got " + initialDelay
          + "; use RetryPolicy.fixed(maxAttempts, Duration.ZERO) to retry at once");
    }
    return new RetryPolicy(maxAttempts, initialDelay, 2.0, cap(initialDelay), 0.0, EXCEPTIONS, false, false);
  }

  /**
   * Returns this policy with another growth factor between delays.
   *
   * @param multiplier the factor; at least 1.0 and finite
   * @return the new policy
   * @throws IllegalArgumentException if the multiplier is below 1.0 or not finite, if the policy is linear, or if the
   *     multiplier is above 1.0 and the initial delay is zero
   */
  public RetryPolicy withMultiplier(double multiplier) {
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, got " + multiplier);
    }
    if (linear) {
      throw new IllegalArgumentException("a linear backoff has no multiplier; use RetryPolicy.exponential(...) for "
          + "a growth factor, got multiplier " + multiplier);
    }
    if (multiplier > 1.0 && initialDelay.isZero()) {
      throw new IllegalArgumentException("multiplier " + multiplier + " needs a positive initial delay, but it is "
          + initialDelay + "; a zero delay stays zero whatever the backoff");
    }
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, retryOn, false, plusMinus);
  }

  /**
   * Returns this policy with another cap on the delay.
   *
   * @param maxDelay the longest delay; at least the initial delay
   * @return the new policy
   * @throws IllegalArgumentException if {@code maxDelay} is negative or shorter than the initial delay
   */
  public RetryPolicy withMaxDelay(Duration maxDelay) {
    checkDelay("maxDelay", maxDelay);
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than the initial delay " + initialDelay);
    }
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, retryOn, linear, plusMinus);
  }

  /**
   * Returns this policy with random jitter: each delay is drawn uniformly from {@code [delay * (1 - jitter), delay]}.
   *
   * @param jitter the fraction of each delay that is random, in [0, 1]
   * @return the new policy
   * @throws IllegalArgumentException if {@code jitter} is outside [0, 1], or positive while the delay is zero
   */
  public RetryPolicy withJitter(double jitter) {
    checkJitter(jitter);
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, retryOn, linear, false);
  }

  /**
   * Returns this policy with plus-minus jitter: each delay is drawn uniformly from
   * {@code [delay * (1 - jitter), delay * (1 + jitter)]}, so that on average it is the delay itself. The cap
   * ({@link #maxDelay()}) applies before the jitter.
   *
   * @param jitter the relative spread either side of each delay, in [0, 1]
   * @return the new policy
   * @throws IllegalArgumentException if {@code jitter} is outside [0, 1], or positive while the delay is zero
   * @since 0.1.0
   */
  public RetryPolicy withPlusMinusJitter(double jitter) {
    checkJitter(jitter);
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, retryOn, linear, true);
  }

  private void checkJitter(double jitter) {
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1], got " + jitter);
    }
    if (jitter > 0.0 && initialDelay.isZero()) {
      throw new IllegalArgumentException("jitter " + jitter + " needs a positive delay, but the delay is "
          + initialDelay + "; a zero delay has nothing to spread");
    }
  }

  /**
   * Returns this policy retrying only failures that are instances of one of the given types.
   *
   * @param types the retryable failure types; at least one
   * @return the new policy
   * @throws IllegalArgumentException if no type is given
   */
  @SafeVarargs
  public final RetryPolicy retryOn(Class<? extends Throwable>... types) {
    Objects.requireNonNull(types, "types");
    if (types.length == 0) {
      throw new IllegalArgumentException("retryOn needs at least one failure type");
    }
    List<Class<? extends Throwable>> copy = new java.util.ArrayList<>(types.length);
    for (int i = 0; i < types.length; i++) {
      copy.add(Objects.requireNonNull(types[i], "types[" + i + "]"));
    }
    Predicate<Throwable> predicate = new RetryOnTypes(List.copyOf(copy));
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, predicate, linear, plusMinus);
  }

  /**
   * Returns this policy retrying only failures the predicate accepts.
   *
   * @param predicate tells whether a failure is worth another attempt
   * @return the new policy
   */
  public RetryPolicy retryOn(Predicate<Throwable> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, predicate, linear, plusMinus);
  }

  /**
   * Returns the maximum number of attempts, the first included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the delay before the first retry.
   *
   * @return the delay
   */
  public Duration initialDelay() {
    return initialDelay;
  }

  /**
   * Returns the growth factor between delays; 1.0 for a fixed policy.
   *
   * @return the multiplier
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * Returns the cap on any delay.
   *
   * @return the longest delay
   */
  public Duration maxDelay() {
    return maxDelay;
  }

  /**
   * Returns the fraction of each delay that is random.
   *
   * @return jitter in [0, 1]
   */
  public double jitter() {
    return jitter;
  }

  /**
   * Tells whether the delay grows linearly ({@link #linear(int, Duration)}).
   *
   * @return true for a linear backoff
   * @since 0.1.0
   */
  public boolean isLinear() {
    return linear;
  }

  /**
   * Tells whether the jitter spreads each delay both ways ({@link #withPlusMinusJitter(double)}) rather than only
   * shortening it ({@link #withJitter(double)}).
   *
   * @return true for plus-minus jitter
   * @since 0.1.0
   */
  public boolean isPlusMinusJitter() {
    return plusMinus;
  }

  /**
   * Tells whether a failure should be retried, leaving aside the attempt count.
   *
   * @param failure the failure of the last attempt
   * @return true if the retry-on predicate accepts it
   */
  public boolean isRetryable(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    return retryOn.test(failure);
  }

  /**
   * Computes the delay before an attempt.
   *
   * @param nextAttempt the attempt about to be made, 2 or more
   * @param random a uniform random number in [0, 1), used for jitter
   * @return the delay before {@code nextAttempt}
   * @throws IllegalArgumentException if {@code nextAttempt < 2} or {@code random} is outside [0, 1)
   */
  public Duration delayBefore(int nextAttempt, double random) {
    if (nextAttempt < 2) {
      throw new IllegalArgumentException("nextAttempt must be 2 or more, got " + nextAttempt);
    }
    if (!(random >= 0.0 && random < 1.0)) {
      throw new IllegalArgumentException("random must be in [0, 1), got " + random);
    }
    double nanos = linear ? saturatedNanos(initialDelay) * (nextAttempt - 1.0)
        : saturatedNanos(initialDelay) * Math.pow(multiplier, nextAttempt - 2.0);
    double capped = Math.min(nanos, saturatedNanos(maxDelay));
    double withJitter = plusMinus ? capped * (1.0 + jitter * (2.0 * random - 1.0)) : capped * (1.0 - jitter * random);
    return Duration.ofNanos((long) Math.min(withJitter, Long.MAX_VALUE));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryPolicy)) {
      return false;
    }
    RetryPolicy other = (RetryPolicy) o;
    return maxAttempts == other.maxAttempts && initialDelay.equals(other.initialDelay)
        && Double.compare(multiplier, other.multiplier) == 0 && maxDelay.equals(other.maxDelay)
        && Double.compare(jitter, other.jitter) == 0 && retryOn.equals(other.retryOn) && linear == other.linear
        && plusMinus == other.plusMinus;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialDelay, multiplier, maxDelay, jitter, retryOn, linear, plusMinus);
  }

  @Override
  public String toString() {
    if (maxAttempts == 1) {
      return "RetryPolicy[no retry]";
    }
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay
        + (linear ? ", linear" : ", multiplier=" + multiplier) + ", maxDelay=" + maxDelay + ", jitter=" + jitter
        + (plusMinus ? " (plus-minus)" : "") + ", retryOn=" + retryOn + "]";
  }

  /** Duration.toNanos() overflows beyond about 292 years; longer delays count as that long. */
  private static double saturatedNanos(Duration d) {
    return d.compareTo(LONGEST_IN_NANOS) > 0 ? Long.MAX_VALUE : d.toNanos();
  }

  /** Retries instances of some types; a value, so that equal policies are equal. */
  private record RetryOnTypes(List<Class<? extends Throwable>> types) implements Predicate<Throwable> {
    @Override
    public boolean test(Throwable t) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(t)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return "instances of " + types.stream().map(Class::getSimpleName).toList();
    }
  }

  private static void checkAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1 (it counts the first attempt), got " + maxAttempts);
    }
  }

  private static void checkDelay(String parameter, Duration delay) {
    Objects.requireNonNull(delay, parameter);
    if (delay.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative, got " + delay);
    }
  }
}
