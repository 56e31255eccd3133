package dev.opskit.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.benchmarks.PostgresSchema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the scale probe once at two tiny sizes on PostgreSQL and checks it measured every lookup on both sides. */
class ScaleProbeTest {
  @Test
  void measuresEveryLookupOnBothSidesAtEachSize(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(PostgresSchema.unavailable().isEmpty(), () -> PostgresSchema.unavailable().orElse(""));
    List<ScaleProbe.Sizes> sizes = ScaleProbe.run(List.of(12, 30), 2, dir.resolve("blobs"), line -> { });
    assertThat(sizes).extracting(ScaleProbe.Sizes::versions).containsExactly(12, 30);
    for (ScaleProbe.Sizes s : sizes) {
      assertThat(s.opskit().keySet()).containsExactlyElementsOf(ScaleProbe.OPS);
      assertThat(s.raw().keySet()).containsExactlyElementsOf(ScaleProbe.OPS);
      assertThat(s.opskit().values()).allSatisfy(t -> {
        assertThat(t.calls()).isEqualTo(ScaleProbe.CALLS);
        assertThat(t.p99Ms()).isGreaterThanOrEqualTo(t.p50Ms()).isPositive();
      });
      assertThat(s.raw().values()).allSatisfy(t -> assertThat(t.calls()).isEqualTo(ScaleProbe.CALLS));
    }
  }

  @Test
  void timesTheMeasuredCallsAfterTheWarmOnes() throws Exception {
    int[] calls = {0};
    ScaleProbe.Timing t = ScaleProbe.time(() -> ++calls[0]);
    assertThat(calls[0]).isEqualTo(ScaleProbe.WARM + ScaleProbe.CALLS);
    assertThat(t.calls()).isEqualTo(ScaleProbe.CALLS);
  }
}
