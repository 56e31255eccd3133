package dev.opskit.benchmarks;

import java.util.List;

/**
 * How long JMH warms up and measures, and how its forked JVMs are started. Each benchmark configuration runs in
 * {@code forks} fresh JVMs; a figure is the median of all their measurement iterations.
 *
 * @param forks forked JVMs per configuration, at least 1
 * @param warmupIterations warm-up iterations per fork, at least 1
 * @param warmupMillis length of one warm-up iteration
 * @param measurementIterations measured iterations per fork; at least 3, so that a median exists
 * @param measurementMillis length of one measured iteration; an iteration always completes the invocation in progress
 * @param jvmArgs arguments of the forked JVMs
 */
public record JmhSettings(int forks, int warmupIterations, int warmupMillis, int measurementIterations,
    int measurementMillis, List<String> jvmArgs) {
  /**
   * Fixed heap, so that heap sizing does not move between configurations; G1, the default collector of a server JVM,
   * named explicitly so that a small container does not silently pick Serial.
   */
  static final List<String> JVM_ARGS = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC");

  /**
   * {@code --quick}: the engine suite in under a minute on 2 cores, even while other builds share them. Three measured
   * iterations are the fewest that still have a middle one.
   */
  public static final JmhSettings QUICK = new JmhSettings(1, 1, 300, 3, 100, JVM_ARGS);

  /** The full run: the engine suite in under five minutes on 2 cores. */
  public static final JmhSettings FULL = new JmhSettings(1, 5, 500, 10, 500, JVM_ARGS);

  private static final JmhSettings FULL_SLOW = new JmhSettings(1, 3, 500, 8, 500, JVM_ARGS);

  /**
   * Returns the settings for configurations whose single operation takes the better part of a second or more, such as
   * a 100,000-step run: every iteration is then one operation, so fewer iterations keep the suite in its time budget
   * while still giving a median.
   *
   * @return the settings for slow operations in the same mode
   */
  public JmhSettings slow() {
    return this == FULL ? FULL_SLOW : this;
  }

  /**
   * Returns these settings with more arguments for the forked JVMs, such as a system property naming a work directory.
   * Call {@link #slow()} first: it recognizes only the predefined settings.
   *
   * @param more the arguments to append
   * @return the new settings
   */
  public JmhSettings withJvmArgs(String... more) {
    List<String> args = new java.util.ArrayList<>(jvmArgs);
    args.addAll(List.of(more));
    return new JmhSettings(forks, warmupIterations, warmupMillis, measurementIterations, measurementMillis, args);
  }

  /**
   * Returns these settings with other iteration counts and lengths, for a benchmark whose figure needs more samples
   * than the mode's defaults give, such as a 99th percentile of operations that take tens of milliseconds.
   *
   * @param warmups warm-up iterations
   * @param warmupLength length of one warm-up iteration, in milliseconds
   * @param measured measured iterations
   * @param measuredLength length of one measured iteration, in milliseconds
   * @return the new settings
   */
  public JmhSettings withIterations(int warmups, int warmupLength, int measured, int measuredLength) {
    return new JmhSettings(forks, warmups, warmupLength, measured, measuredLength, jvmArgs);
  }

  /**
   * Returns these settings with another number of forks, for a figure whose run-to-run variance (the JIT's choices and
   * code layout, which differ from one JVM to the next) is larger than its iteration-to-iteration variance, such as an
   * operation of a nanosecond: the figure is then the median over the iterations of every fork.
   *
   * @param count forked JVMs per configuration, at least 1
   * @return the new settings
   */
  public JmhSettings withForks(int count) {
    return new JmhSettings(count, warmupIterations, warmupMillis, measurementIterations, measurementMillis, jvmArgs);
  }

  /** Checks the ranges. */
  public JmhSettings {
    if (forks < 1 || warmupIterations < 1 || measurementIterations < 3 || warmupMillis < 1 || measurementMillis < 1) {
      throw new IllegalArgumentException("JMH settings out of range: " + forks + " forks, " + warmupIterations
          + " warm-up and " + measurementIterations + " measured iterations");
    }
    jvmArgs = List.copyOf(jvmArgs);
  }
}
