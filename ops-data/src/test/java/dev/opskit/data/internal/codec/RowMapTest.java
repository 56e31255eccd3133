package dev.opskit.data.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scanned row behaves as the LinkedHashMap rows Jackson's reading gives, for any code that receives it. */
class RowMapTest {
  private static final String[] KEYS = {"id", "name", "note"};

  private static Map<String, Object> linked() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", 7);
    m.put("name", "ada");
    m.put("note", null);
    return m;
  }

  @Test
  void equalsHashesAndPrintsAsTheSameLinkedHashMap() {
    RowMap row = new RowMap(KEYS, new Object[] {7, "ada", null});
    assertThat(row).isEqualTo(linked());
    assertThat(linked()).isEqualTo(row);
    assertThat(row.hashCode()).isEqualTo(linked().hashCode());
    assertThat(row).hasToString(linked().toString());
    assertThat(row).isNotEqualTo(new RowMap(KEYS, new Object[] {7, "ada", "x"}));
  }

  @Test
  void looksUpByEqualNamesAndKeepsColumnOrder() {
    RowMap row = new RowMap(KEYS, new Object[] {7, "ada", null});
    assertThat(row.get(new String("name".toCharArray()))).isEqualTo("ada"); // not the shared instance
    assertThat(row.get("note")).isNull();
    assertThat(row.containsKey("note")).isTrue();
    assertThat(row.containsKey("missing")).isFalse();
    assertThat(row.get("missing")).isNull();
    assertThat(row.get(null)).isNull();
    List<String> order = new ArrayList<>();
    row.forEach((k, v) -> order.add(k));
    assertThat(order).containsExactly("id", "name", "note");
    assertThat(row.keyAt(1)).isEqualTo("name");
    assertThat(row.valueAt(0)).isEqualTo(7);
  }

  @Test
  void cannotBeChanged() {
    RowMap row = new RowMap(KEYS, new Object[] {7, "ada", null});
    assertThatThrownBy(() -> row.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> row.remove("id")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> row.entrySet().iterator().next().setValue(1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(row::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThat(row).hasSize(3);
  }
}
