package dev.opskit.data.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.data.profile.ColumnProfile;
import dev.opskit.data.profile.DatasetProfile;
import dev.opskit.data.profile.Profiler;
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

  private static RowMap numbers(int i) {
    String[] keys = {"n", "big", "x", "s"};
    Object[] values = {RowMap.INT, RowMap.LONG, RowMap.DOUBLE, "s" + (i % 3)};
    long[] numbers = {i, (1L << 40) + i, Double.doubleToRawLongBits(i * 0.25 - 3), 0};
    return new RowMap(keys, values, numbers);
  }

  private static Map<String, Object> boxed(int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", i);
    m.put("big", (1L << 40) + i);
    m.put("x", i * 0.25 - 3);
    m.put("s", "s" + (i % 3));
    return m;
  }

  @Test
  void numbersKeptAsPrimitivesReadAsTheBoxedValuesJacksonGives() {
    RowMap row = numbers(5);
    assertThat(row).isEqualTo(boxed(5));
    assertThat(row.hashCode()).isEqualTo(boxed(5).hashCode());
    assertThat(row.get("n")).isInstanceOf(Integer.class).isEqualTo(5);
    assertThat(row.get("big")).isInstanceOf(Long.class).isEqualTo((1L << 40) + 5);
    assertThat(row.get("x")).isInstanceOf(Double.class).isEqualTo(-1.75);
    assertThat(row.isNumber(2)).isTrue();
    assertThat(row.numberAt(2)).isEqualTo(-1.75);
    assertThat(row.isNumber(3)).isFalse();
  }

  @Test
  void profilesOfPrimitiveAndBoxedRowsAgree() {
    Profiler primitive = Profiler.start();
    Profiler plain = Profiler.start();
    for (int i = 0; i < 5_000; i++) {
      primitive.accept(numbers(i));
      plain.accept(boxed(i));
    }
    DatasetProfile a = primitive.finish();
    DatasetProfile b = plain.finish();
    assertThat(a.rows()).isEqualTo(b.rows());
    for (String column : List.of("n", "big", "x", "s")) {
      ColumnProfile x = a.column(column).orElseThrow();
      ColumnProfile y = b.column(column).orElseThrow();
      // Quantiles come from randomized KLL sketches; everything else is deterministic.
      assertThat(List.of(x.kind(), x.count(), x.nulls(), x.distinct(), String.valueOf(x.min()), String.valueOf(x.max()),
          String.valueOf(x.mean()), String.valueOf(x.stddev()), x.top()))
          .as(column).isEqualTo(List.of(y.kind(), y.count(), y.nulls(), y.distinct(), String.valueOf(y.min()),
              String.valueOf(y.max()), String.valueOf(y.mean()), String.valueOf(y.stddev()), y.top()));
    }
  }
}
