package dev.opskit.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The scores of one JMH benchmark configuration: every measured iteration of every fork, in the benchmark's unit.
 *
 * @param benchmark the benchmark's simple name, {@code Class.method}
 * @param params the configuration's {@code @Param} values
 * @param unit the score unit, for example {@code us/op}
 * @param iterations one score per measured iteration (for an average-time benchmark, the mean time of the operations
 *     in that iteration)
 */
public record Measurement(String benchmark, Map<String, String> params, String unit, List<Double> iterations) {
  /** Copies the collections and checks that there is a score. */
  public Measurement {
    params = Map.copyOf(params);
    iterations = List.copyOf(iterations);
    if (iterations.isEmpty()) {
      throw new IllegalArgumentException("benchmark " + benchmark + " " + params + " has no measured iteration");
    }
  }

  /**
   * Returns the median of the iteration scores: the middle one, or the mean of the two middle ones.
   *
   * @return the median
   */
  public double median() {
    List<Double> sorted = new ArrayList<>(iterations);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * Returns the smallest iteration score.
   *
   * @return the minimum
   */
  public double min() {
    return Collections.min(iterations);
  }

  /**
   * Returns the largest iteration score.
   *
   * @return the maximum
   */
  public double max() {
    return Collections.max(iterations);
  }

  /**
   * Returns one parameter's value.
   *
   * @param key the {@code @Param} field name
   * @return the value, or an empty string if the benchmark has no such parameter
   */
  public String param(String key) {
    return params.getOrDefault(key, "");
  }

  /**
   * Tells whether every given parameter has the given value.
   *
   * @param keyValues alternating keys and values
   * @return true if all match
   */
  public boolean matches(String... keyValues) {
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (!param(keyValues[i]).equals(keyValues[i + 1])) {
        return false;
      }
    }
    return true;
  }
}
