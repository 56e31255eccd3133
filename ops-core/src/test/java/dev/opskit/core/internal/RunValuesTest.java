package dev.opskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunValuesTest {
  @Test
  void aSmallRunHasOneShardAndALargeOneSeveral() {
    assertThat(new RunValues(0).shardCount()).isEqualTo(1);
    assertThat(new RunValues(RunValues.SHARD_ENTRIES).shardCount()).isEqualTo(1);
    assertThat(new RunValues(RunValues.SHARD_ENTRIES + 1).shardCount()).isEqualTo(2);
    assertThat(new RunValues(100_000).shardCount()).isEqualTo(8);
  }

  @Test
  void behavesLikeAMapAcrossShards() {
    for (int expected : new int[] {10, 100_000}) {
      RunValues values = new RunValues(expected);
      Map<String, Object> reference = new HashMap<>();
      for (int i = 0; i < 50_000; i++) {
        values.put("d" + i, i);
        reference.put("d" + i, i);
      }
      assertThat(values).hasSize(50_000).isEqualTo(reference);
      assertThat(reference).isEqualTo(values);
      assertThat(values.hashCode()).isEqualTo(reference.hashCode());
      assertThat(values.get("d49999")).isEqualTo(49_999);
      assertThat(values.get("absent")).isNull();
      assertThat(values.containsKey("d123")).isTrue();
      assertThat(values.containsKey("absent")).isFalse();
      assertThat(values.remove("d123")).isEqualTo(123);
      assertThat(values).hasSize(49_999).doesNotContainKey("d123");
      assertThat(values.entrySet()).contains(Map.entry("d7", 7)).doesNotContain(Map.entry("d7", 8));
      assertThat(values.entrySet().remove(Map.entry("d7", 7))).isTrue();
      assertThat(values).doesNotContainKey("d7");
    }
  }

  @Test
  void computesAbsentValuesOnce() {
    RunValues values = new RunValues(100_000);
    AtomicInteger calls = new AtomicInteger();
    assertThat(values.computeIfAbsent("d", k -> calls.incrementAndGet())).isEqualTo(1);
    assertThat(values.computeIfAbsent("d", k -> calls.incrementAndGet())).isEqualTo(1);
    assertThat(calls).hasValue(1);
  }

  @Test
  void iteratesEveryEntryOnceAndRemovesThroughTheIterator() {
    RunValues values = new RunValues(100_000);
    values.putAll(Map.of("a", 1, "b", 2, "c", 3));
    Map<String, Object> seen = new HashMap<>();
    for (Iterator<Map.Entry<String, Object>> it = values.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Object> e = it.next();
      assertThat(seen.put(e.getKey(), e.getValue())).isNull();
      if (e.getKey().equals("b")) {
        it.remove();
      }
    }
    assertThat(seen).isEqualTo(Map.of("a", 1, "b", 2, "c", 3));
    assertThat(values).isEqualTo(Map.of("a", 1, "c", 3));
    values.clear();
    assertThat(values).isEmpty();
    assertThat(values.entrySet().iterator().hasNext()).isFalse();
  }

  @Test
  void refusesNullsLikeAConcurrentMap() {
    RunValues values = new RunValues(10);
    assertThatThrownBy(() -> values.put("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> values.get(null)).isInstanceOf(NullPointerException.class);
  }
}
