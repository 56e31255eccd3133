package dev.opskit.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@value Soak#RATE_PROPERTY}: a worker's rate shared evenly by its threads, checked as a number. */
class PacingTest {
  @AfterEach
  void clear() {
    System.clearProperty(Soak.RATE_PROPERTY);
  }

  @Test
  void withoutARateEveryThreadRunsFlatOut() {
    assertThat(SoakWorker.intervalNanos(8)).isZero();
  }

  @Test
  void aRateIsSharedByTheThreads() {
    System.setProperty(Soak.RATE_PROPERTY, "300");
    assertThat(SoakWorker.intervalNanos(8)).isEqualTo(26_666_667L);
    assertThat(SoakWorker.intervalNanos(1)).isEqualTo(3_333_333L);
  }

  @Test
  void aRateThatIsNotAPositiveNumberIsRefusedNamingIt() {
    System.setProperty(Soak.RATE_PROPERTY, "0");
    assertThatThrownBy(() -> SoakWorker.intervalNanos(8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("opskit.soak.rate").hasMessageContaining("got 0");
  }
}
