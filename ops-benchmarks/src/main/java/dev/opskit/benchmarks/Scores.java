package dev.opskit.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Converts JMH scores, which come in the unit of their benchmark, and describes measurements for reports. */
public final class Scores {
  private Scores() {}

  /**
   * Converts a time score to microseconds per operation.
   *
   * @param m the measurement the score belongs to, for its unit
   * @param score the score
   * @return microseconds
   * @throws IllegalStateException if the unit is not a time per operation
   */
  public static double micros(Measurement m, double score) {
    TimeUnit unit = switch (m.unit()) {
      case "ns/op" -> TimeUnit.NANOSECONDS;
      case "us/op" -> TimeUnit.MICROSECONDS;
      case "ms/op" -> TimeUnit.MILLISECONDS;
      case "s/op" -> TimeUnit.SECONDS;
      default -> throw new IllegalStateException("unexpected score unit " + m.unit() + " of " + m.benchmark());
    };
    return score * TimeUnit.NANOSECONDS.convert(1, unit) / 1_000.0;
  }

  /**
   * Returns the median over the measured iterations of operations per second, from each iteration's mean time per
   * operation: one thread, so throughput is the inverse of the mean time.
   *
   * @param m an average-time or sample-time measurement
   * @return operations per second
   */
  public static double opsPerSecond(Measurement m) {
    List<Double> rates = new ArrayList<>();
    for (double score : m.iterations()) {
      rates.add(1e6 / micros(m, score));
    }
    return Stats.median(rates);
  }

  /**
   * Returns the median time per operation in microseconds.
   *
   * @param m the measurement
   * @return microseconds
   */
  public static double medianMicros(Measurement m) {
    return micros(m, m.median());
  }

  /**
   * Returns a percentile of a sample-time measurement in microseconds.
   *
   * @param m the measurement
   * @param key {@code p50}, {@code p99}, ...
   * @return microseconds
   */
  public static double percentileMicros(Measurement m, String key) {
    return micros(m, m.percentile(key));
  }

  /**
   * Describes a measurement for a figure's details: which benchmark, how many iterations and samples, the median and
   * range of the iteration means, and the percentiles if it sampled single operations.
   *
   * @param prefix put before each key, for example {@code baseline}; empty for the figure's own measurement
   * @param m the measurement, or null to add nothing
   * @return the details
   */
  public static Map<String, Object> describe(String prefix, @Nullable Measurement m) {
    Map<String, Object> d = new LinkedHashMap<>();
    if (m == null) {
      return d;
    }
    d.put(key(prefix, "benchmark"), m.benchmark() + " " + m.params());
    d.put(key(prefix, "iterations"), m.iterations().size());
    d.put(key(prefix, "medianMicrosPerOp"), medianMicros(m));
    d.put(key(prefix, "minMaxMicrosPerOp"), List.of(micros(m, m.min()), micros(m, m.max())));
    if (!m.percentiles().isEmpty()) {
      d.put(key(prefix, "samples"), m.samples());
      Map<String, Object> p = new LinkedHashMap<>();
      for (String k : List.of("p50", "p90", "p99", "p99.9", "max")) {
        p.put(k, percentileMicros(m, k));
      }
      d.put(key(prefix, "percentilesMicros"), p);
    }
    return d;
  }

  private static String key(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
