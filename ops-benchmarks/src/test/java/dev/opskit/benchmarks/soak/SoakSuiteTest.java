package dev.opskit.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SoakSuiteTest {
  @Test
  void theStoresVariableNamesPgH2OrBothAndNothingElse() {
    assertThat(SoakSuite.stores(null)).containsExactly("pg", "h2");
    assertThat(SoakSuite.stores(" ")).containsExactly("pg", "h2");
    assertThat(SoakSuite.stores("h2")).containsExactly("h2");
    assertThat(SoakSuite.stores("pg, h2")).containsExactly("pg", "h2");
    assertThatThrownBy(() -> SoakSuite.stores("h2,mysql")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BENCH_SOAK_STORES='h2,mysql' names 'mysql'; the stores are pg and h2, comma-separated");
  }
}
