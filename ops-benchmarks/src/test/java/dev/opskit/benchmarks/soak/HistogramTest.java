package dev.opskit.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void percentilesAreWithinThreePercentOfTheExactOnes() {
    Histogram h = new Histogram();
    for (long v = 1; v <= 100_000; v++) {
      h.record(v);
    }
    assertThat(h.count()).isEqualTo(100_000);
    assertThat(h.percentile(50)).isCloseTo(50_000, within(1_600.0));
    assertThat(h.percentile(99)).isCloseTo(99_000, within(3_100.0)).isGreaterThanOrEqualTo(99_000);
    assertThat(h.percentile(100)).isGreaterThanOrEqualTo(100_000).isLessThan(103_200);
  }

  @Test
  void smallValuesAreExact() {
    Histogram h = new Histogram();
    for (long v = 0; v < 64; v++) {
      h.record(v);
    }
    assertThat(h.percentile(50)).isEqualTo(31);
    assertThat(h.percentile(100)).isEqualTo(63);
  }

  @Test
  void encodingRoundTripsAndMergingAddsCounts() {
    Histogram a = new Histogram();
    a.record(5);
    a.record(1_234);
    a.record(9_876_543);
    Histogram back = Histogram.decode(a.encode());
    assertThat(back).isEqualTo(a);
    assertThat(a.encode()).doesNotContain(" ");
    back.add(a);
    assertThat(back.count()).isEqualTo(6);
    assertThat(Histogram.decode("-").count()).isZero();
  }

  @Test
  void everyValueLandsInABucketWhoseUpperBoundIsAtLeastIt() {
    for (long v = 0; v < 1L << 36; v = v * 3 / 2 + 1) {
      int i = Histogram.index(v);
      assertThat(Histogram.upper(i)).isGreaterThanOrEqualTo(v);
      assertThat(Histogram.upper(i)).isLessThanOrEqualTo(v + v / 32 + 1);
    }
  }
}
