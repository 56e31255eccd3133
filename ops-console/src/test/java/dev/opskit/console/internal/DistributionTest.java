package dev.opskit.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.opskit.data.profile.ColumnProfile;
import dev.opskit.data.profile.Profiler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DistributionTest {
  private static ColumnProfile profile(double[] values) {
    Profiler p = Profiler.start();
    for (double v : values) {
      p.accept(Map.of("x", v));
    }
    return p.finish().column("x").orElseThrow();
  }

  @Test
  void aUniformColumnHasAFlatHistogramThatSumsToOne() {
    double[] values = new double[10_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i / 10.0;
    }
    double[] bins = Distribution.of(profile(values)).histogram(20);
    assertThat(Arrays.stream(bins).sum()).isCloseTo(1, within(1e-9));
    for (double b : bins) {
      assertThat(b).isCloseTo(0.05, within(0.01));
    }
  }

  @Test
  void aSkewedColumnPutsItsMassWhereTheValuesAre() {
    Random random = new Random(7);
    double[] values = new double[20_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(random.nextGaussian());
    }
    Distribution d = Distribution.of(profile(values));
    double[] bins = d.histogram(24);
    assertThat(Arrays.stream(bins).sum()).isCloseTo(1, within(1e-9));
    // Log-normal: most values are small; the first quarter of the range holds far more than the last.
    double head = bins[0] + bins[1] + bins[2] + bins[3] + bins[4] + bins[5];
    double tail = bins[18] + bins[19] + bins[20] + bins[21] + bins[22] + bins[23];
    assertThat(head).isGreaterThan(0.8);
    assertThat(tail).isLessThan(0.01);
    long below = Arrays.stream(values).filter(v -> v <= 1).count();
    assertThat(d.cdf(1)).isCloseTo((double) below / values.length, within(0.02));
    // The sketch's percentiles, not the 7 quantiles alone, give the tail: read linearly between p75 and p95, the
    // 90th percentile of a log-normal would be at 0.85.
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertThat(d.cdf(sorted[values.length * 9 / 10])).isCloseTo(0.9, within(0.015));
  }

  @Test
  void withoutASketchTheQuantilesGiveTheShape() {
    ColumnProfile full = profile(new Random(3).doubles(5_000, 0, 100).toArray());
    ColumnProfile noSketch = new ColumnProfile(full.name(), full.kind(), full.count(), full.nulls(), full.distinct(),
        full.min(), full.max(), full.mean(), full.stddev(), full.quantiles(), full.top(), full.other(), null);
    Distribution d = Distribution.of(noSketch);
    assertThat(d.min()).isEqualTo(full.min());
    assertThat(d.max()).isEqualTo(full.max());
    assertThat(d.cdf(full.quantiles().get("p50"))).isCloseTo(0.5, within(1e-9));
    assertThat(Arrays.stream(d.histogram(10)).sum()).isCloseTo(1, within(1e-9));
    ColumnProfile corrupt = new ColumnProfile(full.name(), full.kind(), full.count(), full.nulls(), full.distinct(),
        full.min(), full.max(), full.mean(), full.stddev(), full.quantiles(), full.top(), full.other(), "bm90IGEgc2tldGNo");
    assertThat(Distribution.of(corrupt).cdf(full.quantiles().get("p50"))).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void aColumnOfOneValueIsOneBarAndOneWithoutNumbersNone() {
    double[] bins = Distribution.of(profile(new double[] {4, 4, 4})).histogram(5);
    assertThat(bins).containsExactly(0, 0, 1, 0, 0);
    ColumnProfile strings = new ColumnProfile("s", dev.opskit.data.profile.ColumnKind.STRING, 1, 0, 1, null, null,
        null, null, new LinkedHashMap<>(), List.of(), 0, null);
    assertThat(Distribution.of(strings)).isNull();
    assertThat(Charts.histogram(strings)).isEmpty();
  }
}
