package dev.opskit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  @Test
  void linearBackoffGrowsByTheDelayBeforeEachRetry() {
    RetryPolicy policy = RetryPolicy.linear(5, Duration.ofSeconds(2));

    assertThat(policy.isLinear()).isTrue();
    assertThat(policy.delayBefore(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayBefore(3, 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delayBefore(5, 0.5)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void linearBackoffIsCappedByMaxDelay() {
    RetryPolicy policy = RetryPolicy.linear(10, Duration.ofSeconds(2)).withMaxDelay(Duration.ofSeconds(5));

    assertThat(policy.delayBefore(4, 0.0)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void plusMinusJitterSpreadsEachDelayBothWaysAroundIt() {
    RetryPolicy policy = RetryPolicy.fixed(3, Duration.ofSeconds(10)).withPlusMinusJitter(0.2);

    assertThat(policy.isPlusMinusJitter()).isTrue();
    assertThat(policy.delayBefore(2, 0.0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.delayBefore(2, 0.5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.delayBefore(2, 0.75)).isEqualTo(Duration.ofSeconds(11));
    for (double r = 0.0; r < 1.0; r += 0.01) {
      assertThat(policy.delayBefore(2, r)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
    }
  }

  @Test
  void fullJitterStillOnlyShortensTheDelay() {
    RetryPolicy policy = RetryPolicy.fixed(3, Duration.ofSeconds(10)).withJitter(0.2);

    assertThat(policy.isPlusMinusJitter()).isFalse();
    assertThat(policy.delayBefore(2, 0.5)).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void theLastJitterSetWins() {
    RetryPolicy policy = RetryPolicy.fixed(3, Duration.ofSeconds(10)).withPlusMinusJitter(0.2).withJitter(0.1);

    assertThat(policy.isPlusMinusJitter()).isFalse();
    assertThat(policy.jitter()).isEqualTo(0.1);
    assertThat(policy).isNotEqualTo(RetryPolicy.fixed(3, Duration.ofSeconds(10)).withPlusMinusJitter(0.1));
  }

  @Test
  void aZeroDelayWithBackoffOrJitterIsRefused() {
    assertThatThrownBy(() -> RetryPolicy.exponential(3, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initialDelay of an exponential backoff must be positive, got PT0S; use "
            + "RetryPolicy.fixed(maxAttempts, Duration.ZERO) to retry at once");
    assertThatThrownBy(() -> RetryPolicy.linear(3, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("delay of a linear backoff must be positive, got PT0S");
    assertThatThrownBy(() -> RetryPolicy.fixed(3, Duration.ZERO).withJitter(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitter 0.5 needs a positive delay, but the delay is PT0S; a zero delay has nothing to spread");
    assertThatThrownBy(() -> RetryPolicy.fixed(3, Duration.ZERO).withPlusMinusJitter(0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.fixed(3, Duration.ZERO).withMultiplier(2.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("multiplier 2.0 needs a positive initial delay");
  }

  @Test
  void aLinearBackoffHasNoMultiplier() {
    assertThatThrownBy(() -> RetryPolicy.linear(3, Duration.ofSeconds(1)).withMultiplier(2.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a linear backoff has no multiplier");
  }

  @Test
  void aRetryRequestCarriesItsDelayAndLimit() {
    RetryRequestedException r = RetryRequestedException.after(Duration.ofSeconds(30), "rate-limited").upTo(5);

    assertThat(r.delay()).contains(Duration.ofSeconds(30));
    assertThat(r.maxAttempts()).isEqualTo(5);
    assertThat(r).hasMessage("rate-limited");
    assertThat(RetryRequestedException.now("again").delay()).isEmpty();
    assertThat(RetryRequestedException.now("again").maxAttempts()).isZero();
    assertThatThrownBy(() -> RetryRequestedException.after(Duration.ofSeconds(-1), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryRequestedException.now("x").upTo(1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
