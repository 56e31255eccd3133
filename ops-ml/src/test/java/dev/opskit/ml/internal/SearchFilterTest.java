package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchFilterTest {
  @Test
  void conditionsAreReadWithTheirPositionsQuotesAndInLists() {
    List<SearchFilter.Condition> conditions = SearchFilter.parse(
        "metrics.auc>=0.8 AND tags.team in ('risk',\"a b\", ops) and stage<>NONE");
    assertThat(conditions).hasSize(3);
    SearchFilter.Condition metric = conditions.get(0);
    assertThat(metric.field()).isEqualTo("metrics.auc");
    assertThat(metric.op()).isEqualTo(">=");
    assertThat(metric.values()).containsExactly(new SearchFilter.Value("0.8", false, 13));
    SearchFilter.Condition tags = conditions.get(1);
    assertThat(tags.op()).isEqualTo("in");
    assertThat(tags.fieldPosition()).isEqualTo(21);
    assertThat(tags.values()).extracting(SearchFilter.Value::text).containsExactly("risk", "a b", "ops");
    assertThat(tags.values()).extracting(SearchFilter.Value::quoted).containsExactly(true, true, false);
    assertThat(conditions.get(2).op()).isEqualTo("!=");
    assertThat(SearchFilter.parse("version == 3").get(0).op()).isEqualTo("=");
    assertThat(SearchFilter.parse("tags.note = ''").get(0).values().get(0).text()).isEmpty();
  }

  @Test
  void everyProblemNamesItsPositionAndToken() {
    assertThatThrownBy(() -> SearchFilter.parse("tags.team = \"risk")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("filter 'tags.team = \"risk': unterminated quote at position 12");
    assertThatThrownBy(() -> SearchFilter.parse("= 3"))
        .hasMessageContaining("expected a field, found '=' at position 0");
    assertThatThrownBy(() -> SearchFilter.parse("3 = 3")).hasMessageContaining("expected a field, found '3'");
    assertThatThrownBy(() -> SearchFilter.parse("stage ! NONE")).hasMessageContaining("unknown comparison '!' at "
        + "position 6");
    assertThatThrownBy(() -> SearchFilter.parse("stage in NONE")).hasMessageContaining("expected '(' after in, found "
        + "'NONE' at position 9");
    assertThatThrownBy(() -> SearchFilter.parse("stage in (NONE,)")).hasMessageContaining("expected a value for stage, "
        + "found ')' at position 15");
    assertThatThrownBy(() -> SearchFilter.parse("stage = NONE and")).hasMessageContaining("expected a field, found the "
        + "end at position 16");
    assertThat(SearchFilter.parse("tags.t ILIKE 'x%'").get(0).op()).isEqualTo("ilike");
    assertThatThrownBy(() -> SearchFilter.parse("tags.t NOT LIKE 'x'")).hasMessageContaining("NOT is not supported");
    // what the user typed is quoted with invisible characters escaped
    assertThatThrownBy(() -> SearchFilter.parse("stage\u202e = x y")).hasMessageContaining("\\u202e");
  }
}
