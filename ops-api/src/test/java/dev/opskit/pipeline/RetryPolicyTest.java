package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  private static final Duration MS_100 = Duration.ofMillis(100);

  @Test
  void noneMakesOneAttemptAndIsTheSameInstanceEveryTime() {
    RetryPolicy none = RetryPolicy.none();

    assertThat(none.maxAttempts()).isEqualTo(1);
    assertThat(none.initialDelay()).isZero();
    assertThat(none).isSameAs(RetryPolicy.none());
    assertThat(none).hasToString("RetryPolicy[no retry]");
  }

  @Test
  void fixedWaitsTheSameDelayBeforeEveryRetry() {
    RetryPolicy fixed = RetryPolicy.fixed(4, Duration.ofSeconds(2));

    assertThat(fixed.maxAttempts()).isEqualTo(4);
    assertThat(fixed.multiplier()).isEqualTo(1.0);
    assertThat(fixed.maxDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(fixed.jitter()).isZero();
    assertThat(fixed.delayBefore(2, 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(fixed.delayBefore(3, 0.7)).isEqualTo(Duration.ofSeconds(2));
    assertThat(fixed.delayBefore(4, 0.0)).isEqualTo(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "attempt {0} waits {1} ms")
  @CsvSource({"2, 100", "3, 200", "4, 400", "5, 800"})
  void exponentialDoublesTheDelayBeforeEachRetry(int nextAttempt, long expectedMillis) {
    RetryPolicy policy = RetryPolicy.exponential(5, MS_100);

    assertThat(policy.delayBefore(nextAttempt, 0.0)).isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @Test
  void exponentialCapsAtAHundredTimesTheInitialDelayByDefault() {
    RetryPolicy policy = RetryPolicy.exponential(50, MS_100);

    assertThat(policy.multiplier()).isEqualTo(2.0);
    assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.delayBefore(8, 0.0)).isEqualTo(Duration.ofMillis(100 * 64));
    assertThat(policy.delayBefore(9, 0.0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.delayBefore(40, 0.0)).isEqualTo(Duration.ofSeconds(10));
  }

  @ParameterizedTest(name = "attempt {0} waits {1} ms")
  @CsvSource({"2, 100", "3, 200", "4, 250", "5, 250"})
  void maxDelayCapsEveryDelay(int nextAttempt, long expectedMillis) {
    RetryPolicy policy = RetryPolicy.exponential(5, MS_100).withMaxDelay(Duration.ofMillis(250));

    assertThat(policy.delayBefore(nextAttempt, 0.0)).isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @ParameterizedTest(name = "attempt {0} waits {1} ms")
  @CsvSource({"2, 100", "3, 300", "4, 900"})
  void multiplierSetsTheGrowthBetweenDelays(int nextAttempt, long expectedMillis) {
    RetryPolicy policy = RetryPolicy.exponential(4, MS_100).withMultiplier(3.0);

    assertThat(policy.delayBefore(nextAttempt, 0.0)).isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @ParameterizedTest(name = "random {0} gives {1} ms")
  @CsvSource({"0.0, 100", "0.5, 75", "0.25, 87.5"})
  void jitterShortensTheDelayByTheRandomFractionOfItsShare(double random, double expectedMillis) {
    RetryPolicy policy = RetryPolicy.exponential(5, MS_100).withJitter(0.5);

    assertThat(policy.delayBefore(2, random)).isEqualTo(Duration.ofNanos((long) (expectedMillis * 1_000_000)));
  }

  @Test
  void jitterAppliesAfterTheCap() {
    RetryPolicy policy = RetryPolicy.exponential(5, MS_100).withMaxDelay(Duration.ofMillis(200)).withJitter(0.5);

    assertThat(policy.delayBefore(5, 0.5)).isEqualTo(Duration.ofMillis(150));
  }

  @Test
  void fullJitterKeepsEveryDelayWithinZeroAndTheDelay() {
    RetryPolicy policy = RetryPolicy.fixed(3, Duration.ofSeconds(1)).withJitter(1.0);

    assertThat(policy.delayBefore(2, 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayBefore(2, 0.999_999)).isBetween(Duration.ZERO, Duration.ofMillis(1));
  }

  @Test
  void aZeroDelayStaysZero() {
    assertThat(RetryPolicy.fixed(5, Duration.ZERO).delayBefore(5, 0.3)).isZero();
    assertThat(RetryPolicy.fixed(5, Duration.ZERO).withMultiplier(1.0).withJitter(0.0).delayBefore(5, 0.3)).isZero();
  }

  @Test
  void everyExceptionIsRetryableByDefaultButNoError() {
    RetryPolicy policy = RetryPolicy.fixed(3, MS_100);

    assertThat(policy.isRetryable(new IOException("disk"))).isTrue();
    assertThat(policy.isRetryable(new IllegalStateException("state"))).isTrue();
    assertThat(policy.isRetryable(new TimeoutException("slow"))).isTrue();
    assertThat(policy.isRetryable(new AssertionError("bug"))).isFalse();
    assertThat(policy.isRetryable(new OutOfMemoryError("heap"))).isFalse();
    assertThat(RetryPolicy.none().isRetryable(new IOException("disk"))).isTrue();
  }

  @Test
  void retryOnTypesRetriesOnlyInstancesOfThoseTypesAndTheirSubtypes() {
    RetryPolicy policy = RetryPolicy.fixed(3, MS_100).retryOn(IOException.class, TimeoutException.class);

    assertThat(policy.isRetryable(new IOException("disk"))).isTrue();
    assertThat(policy.isRetryable(new FileNotFoundException("gone"))).isTrue();
    assertThat(policy.isRetryable(new TimeoutException("slow"))).isTrue();
    assertThat(policy.isRetryable(new IllegalStateException("state"))).isFalse();
    assertThat(policy.isRetryable(new UncheckedIOException(new IOException("wrapped")))).isFalse();
  }

  @Test
  void retryOnTypesCanMakeAnErrorRetryable() {
    RetryPolicy policy = RetryPolicy.fixed(3, MS_100).retryOn(StackOverflowError.class);

    assertThat(policy.isRetryable(new StackOverflowError())).isTrue();
    assertThat(policy.isRetryable(new IOException("disk"))).isFalse();
  }

  @Test
  void retryOnPredicateDecidesWhatIsRetryable() {
    RetryPolicy policy = RetryPolicy.fixed(3, MS_100)
        .retryOn(t -> t.getMessage() != null && t.getMessage().contains("transient"));

    assertThat(policy.isRetryable(new IllegalStateException("transient glitch"))).isTrue();
    assertThat(policy.isRetryable(new IllegalStateException("permanent"))).isFalse();
    assertThat(policy.isRetryable(new Error("transient error"))).isTrue();
  }

  @Test
  void retryOnDescribesTheTypesInToString() {
    RetryPolicy policy = RetryPolicy.fixed(3, MS_100).retryOn(IOException.class);

    assertThat(policy.toString()).contains("maxAttempts=3").contains("instances of [IOException]");
  }

  @Test
  void withMethodsReturnNewPoliciesAndLeaveTheOriginalUnchanged() {
    RetryPolicy base = RetryPolicy.exponential(5, MS_100);

    RetryPolicy changed = base.withMultiplier(3.0).withMaxDelay(Duration.ofSeconds(1)).withJitter(0.2)
        .retryOn(IOException.class);

    assertThat(changed).isNotSameAs(base);
    assertThat(changed.maxAttempts()).isEqualTo(5);
    assertThat(changed.initialDelay()).isEqualTo(MS_100);
    assertThat(changed.multiplier()).isEqualTo(3.0);
    assertThat(changed.maxDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(changed.jitter()).isEqualTo(0.2);
    assertThat(changed.isRetryable(new IllegalStateException())).isFalse();

    assertThat(base.multiplier()).isEqualTo(2.0);
    assertThat(base.maxDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(base.jitter()).isZero();
    assertThat(base.isRetryable(new IllegalStateException())).isTrue();
  }

  @Test
  void policiesWithTheSameSettingsAreEqual() {
    assertThat(RetryPolicy.fixed(3, MS_100)).isEqualTo(RetryPolicy.fixed(3, MS_100))
        .hasSameHashCodeAs(RetryPolicy.fixed(3, MS_100));
    assertThat(RetryPolicy.exponential(3, MS_100).withJitter(0.5))
        .isEqualTo(RetryPolicy.exponential(3, MS_100).withJitter(0.5));
    assertThat(RetryPolicy.fixed(3, MS_100)).isNotEqualTo(RetryPolicy.fixed(4, MS_100));
    assertThat(RetryPolicy.fixed(3, MS_100)).isNotEqualTo(RetryPolicy.exponential(3, MS_100));
    assertThat(RetryPolicy.fixed(1, Duration.ZERO)).isEqualTo(RetryPolicy.none());
  }

  @Test
  void aVeryLongMaxDelayDoesNotOverflowTheDelayComputation() {
    RetryPolicy uncapped = RetryPolicy.exponential(100, Duration.ofSeconds(1))
        .withMaxDelay(ChronoUnit.FOREVER.getDuration());

    assertThat(uncapped.delayBefore(2, 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(uncapped.delayBefore(5, 0.0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(uncapped.delayBefore(80, 0.0)).isGreaterThan(Duration.ofDays(365L * 290));
  }

  @Test
  void aDelayBeyondWhatNanosecondsCanHoldDoesNotOverflow() {
    RetryPolicy centuries = RetryPolicy.fixed(2, Duration.ofDays(365L * 1000));

    assertThat(centuries.delayBefore(2, 0.0)).isGreaterThan(Duration.ofDays(365L * 290));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void rejectsFewerThanOneAttemptNamingTheValue(int maxAttempts) {
    assertThatThrownBy(() -> RetryPolicy.fixed(maxAttempts, MS_100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts")
        .hasMessageContaining("got " + maxAttempts);
    assertThatThrownBy(() -> RetryPolicy.exponential(maxAttempts, MS_100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts")
        .hasMessageContaining("got " + maxAttempts);
  }

  @Test
  void rejectsNegativeDelaysNamingTheParameterAndValue() {
    assertThatThrownBy(() -> RetryPolicy.fixed(3, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative, got PT-0.001S");
    assertThatThrownBy(() -> RetryPolicy.exponential(3, Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initialDelay must not be negative, got PT-2S");
    assertThatThrownBy(() -> RetryPolicy.exponential(3, MS_100).withMaxDelay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDelay must not be negative, got PT-1S");
  }

  @Test
  void rejectsAMaxDelayShorterThanTheInitialDelay() {
    assertThatThrownBy(() -> RetryPolicy.exponential(3, MS_100).withMaxDelay(Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDelay PT0.05S")
        .hasMessageContaining("initial delay PT0.1S");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.999, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY})
  void rejectsAMultiplierBelowOneOrNotFinite(double multiplier) {
    assertThatThrownBy(() -> RetryPolicy.exponential(3, MS_100).withMultiplier(multiplier))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiplier")
        .hasMessageContaining("got " + multiplier);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.01, 1.01, Double.NaN, Double.NEGATIVE_INFINITY})
  void rejectsJitterOutsideZeroToOne(double jitter) {
    assertThatThrownBy(() -> RetryPolicy.exponential(3, MS_100).withJitter(jitter))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jitter")
        .hasMessageContaining("got " + jitter);
  }

  @Test
  void acceptsJitterAtBothEndsOfItsRange() {
    assertThat(RetryPolicy.fixed(2, MS_100).withJitter(0.0).jitter()).isZero();
    assertThat(RetryPolicy.fixed(2, MS_100).withJitter(1.0).jitter()).isEqualTo(1.0);
  }

  @Test
  void retryOnRejectsAnEmptyListOfTypes() {
    assertThatThrownBy(() -> RetryPolicy.fixed(3, MS_100).retryOn())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retryOn needs at least one failure type");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 0, -3})
  void delayBeforeRejectsAnAttemptBeforeTheSecond(int nextAttempt) {
    assertThatThrownBy(() -> RetryPolicy.fixed(3, MS_100).delayBefore(nextAttempt, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nextAttempt must be 2 or more, got " + nextAttempt);
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, -0.1, 2.5, Double.NaN})
  void delayBeforeRejectsARandomNumberOutsideZeroToOne(double random) {
    assertThatThrownBy(() -> RetryPolicy.fixed(3, MS_100).delayBefore(2, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("random must be in [0, 1), got " + random);
  }

  @Test
  void policiesRetryingTheSameTypesAreEqual() {
    RetryPolicy a = RetryPolicy.fixed(3, java.time.Duration.ZERO).retryOn(java.io.IOException.class);
    RetryPolicy b = RetryPolicy.fixed(3, java.time.Duration.ZERO).retryOn(java.io.IOException.class);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(RetryPolicy.fixed(3, java.time.Duration.ZERO).retryOn(IllegalStateException.class));
  }
}
