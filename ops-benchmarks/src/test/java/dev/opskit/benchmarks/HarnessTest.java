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
  void everyRegisteredSuiteHasAUniqueName() {
    assertThat(Suites.all()).extracting(Suite::name).doesNotHaveDuplicates().contains("engine");
    assertThat(Suites.named("engine")).isPresent();
    assertThat(Suites.named("nope")).isEmpty();
  }

  @Test
  void jsonReportEscapesStringsAndWritesNaNAsNull() {
    assertThat(JsonReport.render(Map.of("a\"b", List.of(1, Double.NaN, "x\ny"))))
        .isEqualTo("{\n  \"a\\\"b\": [\n    1,\n    null,\n    \"x\\ny\"\n  ]\n}\n");
  }
}
