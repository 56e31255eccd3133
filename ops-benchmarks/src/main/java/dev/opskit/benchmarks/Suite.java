package dev.opskit.benchmarks;

import java.util.List;

/**
 * A named group of measurements that {@link BenchMain} runs as one unit, for example {@code engine}. A suite measures
 * its figures and their baselines in the same run, so that every ratio compares numbers taken on the same machine at
 * the same time. Register a new suite in {@link Suites}.
 */
public interface Suite {
  /**
   * Returns the suite's name: the first argument of {@code bench/run} and the prefix of its figure names.
   *
   * @return the name, for example {@code "engine"}
   */
  String name();

  /**
   * Returns one line saying what the suite measures.
   *
   * @return the description
   */
  String description();

  /**
   * Measures the suite's figures.
   *
   * @param context the mode (quick or full), where to write files, and where to log progress
   * @return the figures, in the order they are reported
   * @throws Exception if a measurement could not be made at all
   */
  List<Figure> run(SuiteContext context) throws Exception;
}
