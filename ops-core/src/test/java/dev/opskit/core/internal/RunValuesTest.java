package dev.opskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.PipelineBuilder;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunValuesTest {
  /** A chain of {@code n} steps: step {@code s<i>} writes {@code d<i>} and reads {@code d<i-1>}. */
  private static Pipeline chain(int n) {
    PipelineBuilder b = Pipeline.builder("chain");
    Dataset<Integer> previous = Dataset.of("d0", Integer.class);
    Dataset<Integer> first = previous;
    b.step("s0", s -> s.writes(first).apply(() -> 0));
    for (int i = 1; i < n; i++) {
      Dataset<Integer> in = previous;
      Dataset<Integer> out = Dataset.of("d" + i, Integer.class);
      b.step("s" + i, s -> s.reads(in).writes(out).apply(x -> x + 1));
      previous = out;
    }
    return b.build();
  }

  private static RunValues valuesOf(int steps) {
    return new RunValues(DatasetSlots.of(chain(steps)));
  }

  @Test
  void slotsComeInChunksThatNeverMakeAHumongousArray() {
    assertThat(valuesOf(1).chunkCount()).isEqualTo(1);
    assertThat(valuesOf(RunValues.CHUNK).chunkCount()).isEqualTo(1);
    assertThat(valuesOf(RunValues.CHUNK + 1).chunkCount()).isEqualTo(2);
  }

  @Test
  void eachStepsOutputIsTheSlotItsReaderReads() {
    Pipeline p = chain(RunValues.CHUNK + 10);
    DatasetSlots slots = DatasetSlots.of(p);
    assertThat(DatasetSlots.of(p)).isSameAs(slots);
    assertThat(slots.size()).isEqualTo(RunValues.CHUNK + 10);
    for (int position = 1; position < p.size(); position++) {
      assertThat(slots.inputSlot(position, 0)).isEqualTo(slots.outputSlot(position - 1, 0));
      assertThat(slots.nameOf(slots.outputSlot(position, 0))).isEqualTo(p.steps().get(position).outputs().get(0)
          .name());
    }
    RunValues values = new RunValues(slots);
    values.set(slots.outputSlot(RunValues.CHUNK + 3, 0), 42);
    assertThat(values.get("d" + (RunValues.CHUNK + 3))).isEqualTo(42);
    assertThat(values.get(slots.inputSlot(RunValues.CHUNK + 4, 0))).isEqualTo(42);
  }

  @Test
  void behavesLikeAMapForNamesInAndOutsideThePipeline() {
    RunValues values = valuesOf(RunValues.CHUNK + 10);
    Map<String, Object> reference = new HashMap<>();
    for (int i = 0; i < RunValues.CHUNK + 10; i += 3) {
      values.put("d" + i, i);
      reference.put("d" + i, i);
    }
    values.put("elsewhere", "x");
    reference.put("elsewhere", "x");
    assertThat(values).hasSize(reference.size()).isEqualTo(reference);
    assertThat(reference).isEqualTo(values);
    assertThat(values.hashCode()).isEqualTo(reference.hashCode());
    assertThat(values.get("d3")).isEqualTo(3);
    assertThat(values.get("d4")).isNull();
    assertThat(values.get("absent")).isNull();
    assertThat(values.containsKey("elsewhere")).isTrue();
    assertThat(values.containsKey("d4")).isFalse();
    assertThat(values.put("d3", 33)).isEqualTo(3);
    assertThat(values.remove("d3")).isEqualTo(33);
    assertThat(values.remove("elsewhere")).isEqualTo("x");
    assertThat(values).hasSize(reference.size() - 2).doesNotContainKeys("d3", "elsewhere");
    assertThat(values.entrySet()).contains(Map.entry("d6", 6)).doesNotContain(Map.entry("d6", 7));
    assertThat(values.entrySet().remove(Map.entry("d6", 7))).isFalse();
    assertThat(values.entrySet().remove(Map.entry("d6", Integer.valueOf(6)))).isTrue();
    assertThat(values).doesNotContainKey("d6");
  }

  @Test
  void computesAbsentValuesOnce() {
    RunValues values = valuesOf(10);
    AtomicInteger calls = new AtomicInteger();
    for (String key : new String[] {"d5", "elsewhere"}) {
      calls.set(0);
      assertThat(values.computeIfAbsent(key, k -> calls.incrementAndGet())).isEqualTo(1);
      assertThat(values.computeIfAbsent(key, k -> calls.incrementAndGet())).isEqualTo(1);
      assertThat(calls).hasValue(1);
    }
    assertThat(values.computeIfAbsent("d6", k -> null)).isNull();
    assertThat(values).doesNotContainKey("d6");
  }

  @Test
  void iteratesEveryEntryOnceAndRemovesThroughTheIterator() {
    RunValues values = valuesOf(100);
    values.putAll(Map.of("d1", 1, "d2", 2, "d99", 99, "x", 3));
    Map<String, Object> seen = new HashMap<>();
    for (Iterator<Map.Entry<String, Object>> it = values.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Object> e = it.next();
      assertThat(seen.put(e.getKey(), e.getValue())).isNull();
      if (e.getKey().equals("d2") || e.getKey().equals("x")) {
        it.remove();
      }
    }
    assertThat(seen).isEqualTo(Map.of("d1", 1, "d2", 2, "d99", 99, "x", 3));
    assertThat(values).isEqualTo(Map.of("d1", 1, "d99", 99));
    values.clear();
    assertThat(values).isEmpty();
    assertThat(values.entrySet().iterator().hasNext()).isFalse();
  }

  @Test
  void refusesNullsLikeAConcurrentMap() {
    RunValues values = valuesOf(10);
    assertThatThrownBy(() -> values.put("d1", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> values.put("x", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> values.get(null)).isInstanceOf(NullPointerException.class);
  }
}
