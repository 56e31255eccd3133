package dev.opskit.core.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyRangeAndStatisticsRuleTest {
  @Test
  void theUpperBoundOfAPrefixIsItsLastCharacterAdvancedWhereThereIsOne() {
    assertThat(KeyRange.upperBound("churn/")).isEqualTo("churn0");
    assertThat(KeyRange.upperBound("a")).isEqualTo("b");
    assertThat(KeyRange.upperBound("x\u00ff")).isEqualTo("x\u0100");
    // no bound past U+FFFF, nor across the surrogates: such prefixes are matched with LIKE instead
    assertThat(KeyRange.upperBound("p\uffff")).isNull();
    assertThat(KeyRange.upperBound("p\ud7ff")).isNull();
    assertThat(KeyRange.upperBound("p\ud83d\ude00")).isNull();
  }

  @Test
  void tablesAreAnalyzedAfterAThousandChangesPlusATenthOfTheirRows() {
    assertThat(PostgresStatistics.needsAnalysis(0, 999)).isFalse();
    assertThat(PostgresStatistics.needsAnalysis(0, 1_000)).isTrue();
    assertThat(PostgresStatistics.needsAnalysis(1_000_000, 100_999)).isFalse();
    assertThat(PostgresStatistics.needsAnalysis(1_000_000, 101_000)).isTrue();
  }
}
