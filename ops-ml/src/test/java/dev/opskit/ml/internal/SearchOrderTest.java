package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.store.RecordQuery.Order;
import org.junit.jupiter.api.Test;

class SearchOrderTest {
  @Test
  void keysAreReadWithTheirSynonymsDirectionsAndCommas() {
    assertThat(SearchOrder.parse("updated_at desc, name, number DESC")).containsExactly(
        new Order("updated_at", false), new Order("model", true), new Order("number", false));
    assertThat(SearchOrder.parse("metrics.auc Desc", "creation_time", "version asc")).containsExactly(
        new Order("metrics.auc", false), new Order("created_at", true), new Order("number", true));
    assertThat(SearchOrder.parse("  last_updated   ASC ")).containsExactly(new Order("updated_at", true));
    assertThat(SearchOrder.parse("MODEL")).containsExactly(new Order("model", true));
  }

  @Test
  void aBadKeyIsNamedWithItsPlaceAndTheFields() {
    assertThatThrownBy(() -> SearchOrder.parse("name", "stage desc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("order key 2 'stage desc' has an unknown field 'stage'; the fields are " + SearchOrder.FIELDS
            + ", each followed by asc or desc");
    assertThatThrownBy(() -> SearchOrder.parse("name up")).hasMessageContaining("has direction 'up'");
    assertThatThrownBy(() -> SearchOrder.parse("name asc desc")).hasMessageContaining("is not <field> or <field> asc");
    assertThatThrownBy(() -> SearchOrder.parse("name,")).hasMessageContaining("order key 2 ''");
    assertThatThrownBy(() -> SearchOrder.parse("version, number desc"))
        .hasMessageContaining("orders by a field an earlier key already orders by");
    assertThatThrownBy(() -> SearchOrder.parse("metrics.a b", "name"))
        .hasMessageContaining("has direction 'b'");
    assertThatThrownBy(() -> SearchOrder.parse("metrics.", "name")).hasMessageContaining("illegal metric");
    assertThatThrownBy(() -> SearchOrder.parse("name, number, created_at, updated_at, metrics.auc, metrics.f1"))
        .hasMessageContaining("at most 5 keys, got 6");
    assertThatThrownBy(SearchOrder::parse).hasMessageContaining("at least one key");
  }
}
