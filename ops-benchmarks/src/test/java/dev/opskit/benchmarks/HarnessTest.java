package dev.opskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HarnessTest {
  private static Measurement scores(Double... values) {
    return new Measurement("B.run", Map.of("shape", "chain"), "us/op", List.of(values));
  }

  private static Figure figure(double value, double baseline, Target target) {
    return new Figure("engine.x", value, "us/step", baseline, "b", target, Map.of());
  }

  @Test
  void medianIsTheMiddleIterationNotTheMean() {
    assertThat(scores(1.0, 100.0, 2.0).median()).isEqualTo(2.0);
    assertThat(scores(4.0, 1.0, 3.0, 100.0).median()).isEqualTo(3.5);
  }

  @Test
  void benchLineHasTheAgreedShape() {
    assertThat(figure(1.23456, 0.5, null).benchLine())
        .isEqualTo("BENCH engine.x value=1.235 unit=us/step baseline=0.5 ratio=2.469");
  }

  @Test
  void targetsCompareValueOrRatioAndFailWhatWasNotMeasured() {
    assertThat(figure(5, 1, Target.ratioAtMost(5)).status()).contains("PASS");
    assertThat(figure(5.01, 1, Target.ratioAtMost(5)).status()).contains("FAIL");
    assertThat(figure(1, 1, Target.ratioBelow(1)).status()).contains("FAIL");
    assertThat(figure(999, 1000, Target.valueBelow(1000)).status()).contains("PASS");
    assertThat(figure(Double.NaN, 256, Target.valueBelow(256)).status()).contains("FAIL");
    assertThat(figure(1, 1, null).status()).isEmpty();
  }

  @Test
  void lowerBoundsPassAtOrAboveTheirBound() {
    assertThat(figure(0.5, 1, Target.ratioAtLeast(0.5)).status()).contains("PASS");
    assertThat(figure(2, 1, Target.ratioAtLeast(0.5)).status()).contains("PASS");
    assertThat(figure(0.49, 1, Target.ratioAtLeast(0.5)).status()).contains("FAIL");
    assertThat(figure(Double.NaN, 1, Target.ratioAtLeast(0.5)).status()).contains("FAIL");
    assertThat(Target.ratioAtLeast(0.8).describe()).isEqualTo("ratio >= 0.8");
    assertThat(Target.ratioAtMost(5).describe()).isEqualTo("ratio <= 5");
  }

  @Test
  void probeLinesParseIntoKeyValuePairs() {
    Forked.Result r = new Forked.Result(0, false,
        "noise\nROUND i=0 seconds=1.5\nROUND i=1 seconds=2\nHEAP peak=7\n", 1);
    assertThat(r.lines("ROUND")).extracting(m -> m.get("seconds")).containsExactly("1.5", "2");
    assertThat(r.last("HEAP")).contains(Map.of("peak", "7"));
    assertThat(r.last("NONE")).isEmpty();
    assertThat(r.succeeded()).isTrue();
    assertThat(new Forked.Result(-1, true, "x", 1).problem()).startsWith("stopped at its time limit");
  }

  @Test
  void medianOfFewValuesAndThroughputFromSampleTimes() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of())).isNaN();
    Measurement m = new Measurement("B.write", Map.of(), "us/op", List.of(1_000.0, 2_000.0, 500.0),
        Map.of("p99", 3_000.0), 10);
    assertThat(Scores.opsPerSecond(m)).isEqualTo(1_000.0);
    assertThat(Scores.percentileMicros(m, "p99")).isEqualTo(3_000.0);
    assertThat(Scores.micros(new Measurement("B.x", Map.of(), "ms/op", List.of(1.0)), 2.0)).isEqualTo(2_000.0);
  }

  @Test
  void everyRegisteredSuiteHasAUniqueName() {
    assertThat(Suites.all()).extracting(Suite::name).doesNotHaveDuplicates()
        .contains("engine", "store", "data", "registry");
    assertThat(Suites.named("engine")).isPresent();
    assertThat(Suites.named("nope")).isEmpty();
  }

  @Test
  void jsonReportEscapesStringsAndWritesNaNAsNull() {
    assertThat(JsonReport.render(Map.of("a\"b", List.of(1, Double.NaN, "x\ny"))))
        .isEqualTo("{\n  \"a\\\"b\": [\n    1,\n    null,\n    \"x\\ny\"\n  ]\n}\n");
  }
}
