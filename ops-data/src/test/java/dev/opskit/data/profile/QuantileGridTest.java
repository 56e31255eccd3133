package dev.opskit.data.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opskit.data.internal.stats.QuantileGrid;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantileGridTest {
  @Test
  void roundTripsThroughItsEncoding() {
    Random random = new Random(1);
    double[] points = new double[101];
    for (int i = 1; i < points.length; i++) {
      points[i] = points[i - 1] + random.nextDouble();
    }
    QuantileGrid grid = QuantileGrid.of(points);

    String text = grid.encode();

    assertThat(QuantileGrid.decode(text)).isEqualTo(grid);
    assertThat(Base64.getDecoder().decode(text)[0]).as("raw format").isEqualTo((byte) 1);
    assertThat(text).hasSize(1080);
  }

  @Test
  void deflatesRepetitiveGrids() {
    double[] points = new double[101];
    for (int i = 0; i < points.length; i++) {
      points[i] = i / 10;
    }
    QuantileGrid grid = QuantileGrid.of(points);

    String text = grid.encode();

    assertThat(Base64.getDecoder().decode(text)[0]).as("deflated format").isEqualTo((byte) 2);
    assertThat(text.length()).isLessThan(100);
    assertThat(QuantileGrid.decode(text)).isEqualTo(grid);
  }

  @Test
  void readsTheDistributionAsPiecewiseLinearWithSteps() {
    // Ranks 0, 0.25, 0.5, 0.75 and 1: a quarter of the values spread over (0, 10], half at exactly 10, and a quarter
    // spread over (10, 20].
    QuantileGrid grid = QuantileGrid.of(new double[] {0, 10, 10, 10, 20});

    assertThat(grid.cdf(-1)).isZero();
    assertThat(grid.cdf(0)).isZero();
    assertThat(grid.cdf(5)).isEqualTo(0.125);
    assertThat(grid.cdfBelow(10)).isEqualTo(0.25);
    assertThat(grid.cdf(10)).isEqualTo(0.75);
    assertThat(grid.cdf(15)).isEqualTo(0.875);
    assertThat(grid.cdf(20)).isEqualTo(1);
    assertThat(grid.cdfBelow(20)).isEqualTo(1);
    assertThat(grid.cdfBelow(0)).isZero();
    assertThat(grid.quantile(0.5)).isEqualTo(10);
    assertThat(grid.quantile(0.875)).isCloseTo(15, within(1e-12));
  }

  @Test
  void rejectsMalformedGridsAndEncodings() {
    assertThatThrownBy(() -> QuantileGrid.of(new double[] {1})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QuantileGrid.of(new double[] {2, 1})).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quantile grid points must be finite and non-decreasing, got 1.0 at 1");
    assertThatThrownBy(() -> QuantileGrid.decode("not base64!")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QuantileGrid.decode(Base64.getEncoder().encodeToString(new byte[] {9, 0})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newer version of opskit");
    assertThatThrownBy(() -> QuantileGrid.decode(Base64.getEncoder().encodeToString(new byte[] {1, 0, 0, 0})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> QuantileGrid.decode(Base64.getEncoder().encodeToString(new byte[] {2, 1, 2, 3})))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
