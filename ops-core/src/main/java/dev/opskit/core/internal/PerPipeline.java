package dev.opskit.core.internal;

import dev.opskit.pipeline.Pipeline;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * Something worked out once per pipeline and kept while the pipeline is reachable. Pipelines compare by identity, so
 * the weak map keys on the very object the caller holds. Two threads that ask at once may both work it out; both
 * results are equal and either is kept. Thread-safe.
 *
 * @param <T> what is worked out
 */
final class PerPipeline<T> {
  private final Map<Pipeline, T> cache = Collections.synchronizedMap(new WeakHashMap<>());
  private final Function<Pipeline, T> make;

  PerPipeline(Function<Pipeline, T> make) {
    this.make = make;
  }

  /** Returns the pipeline's value, working it out on first use. */
  T of(Pipeline pipeline) {
    T value = cache.get(pipeline);
    if (value == null) {
      value = make.apply(pipeline);
      cache.put(pipeline, value);
    }
    return value;
  }
}
