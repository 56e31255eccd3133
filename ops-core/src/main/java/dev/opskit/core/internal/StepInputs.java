package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Step;
import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The inputs of a failed step, for the error hook: a read-only map by dataset name whose values are read only when
 * asked for, from memory or from their version, so a listener that does not look costs nothing. Not thread-safe.
 */
final class StepInputs extends AbstractMap<String, Object> {
  private final InputReader inputs;
  private final Step step;
  private @Nullable Set<Entry<String, Object>> entries;

  StepInputs(InputReader inputs, Step step) {
    this.inputs = inputs;
    this.step = step;
  }

  @Override
  public @Nullable Object get(Object key) {
    for (Dataset<?> in : step.inputs()) {
      if (in.name().equals(key)) {
        return inputs.valueOf(in);
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    Set<Entry<String, Object>> e = entries;
    if (e == null) {
      e = new LinkedHashSet<>();
      for (Dataset<?> in : step.inputs()) {
        Object value = inputs.valueOf(in);
        if (value != null) {
          e.add(new SimpleImmutableEntry<>(in.name(), value));
        }
      }
      e = java.util.Collections.unmodifiableSet(e);
      entries = e;
    }
    return e;
  }
}
