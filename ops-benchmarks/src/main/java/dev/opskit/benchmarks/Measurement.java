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
 * @param iterations one score per measured iteration (for an average-time or sample-time benchmark, the mean time of
 *     the operations in that iteration)
 * @param percentiles for a sample-time benchmark, percentiles of every sampled operation of every measured iteration,
 *     in the score unit, keyed {@code p50}, {@code p90}, {@code p99}, {@code p99.9} and {@code max}; empty otherwise
 * @param samples how many operations the percentiles are taken over; 0 when there are none
 */
public record Measurement(String benchmark, Map<String, String> params, String unit, List<Double> iterations,
    Map<String, Double> percentiles, long samples) {
  /** Copies the collections and checks that there is a score. */
  public Measurement {
    params = Map.copyOf(params);
    iterations = List.copyOf(iterations);
    percentiles = Map.copyOf(percentiles);
    if (iterations.isEmpty()) {
      throw new IllegalArgumentException("benchmark " + benchmark + " " + params + " has no measured iteration");
    }
  }

  /**
   * A measurement without percentiles, as an average-time or throughput benchmark gives.
   *
   * @param benchmark the benchmark's simple name
   * @param params its parameters
   * @param unit the score unit
   * @param iterations one score per measured iteration
   */
  public Measurement(String benchmark, Map<String, String> params, String unit, List<Double> iterations) {
    this(benchmark, params, unit, iterations, Map.of(), 0);
  }

  /**
   * Returns one percentile of a sample-time benchmark.
   *
   * @param key {@code p50}, {@code p90}, {@code p99}, {@code p99.9} or {@code max}
   * @return the value in the score unit
   * @throws IllegalStateException if the benchmark did not sample single operations
   */
  public double percentile(String key) {
    Double v = percentiles.get(key);
    if (v == null) {
      throw new IllegalStateException("benchmark " + benchmark + " " + params + " has no " + key
          + "; only sample-time benchmarks have percentiles");
    }
    return v;
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
