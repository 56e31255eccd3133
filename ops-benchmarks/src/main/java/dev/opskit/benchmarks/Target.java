package dev.opskit.benchmarks;

import java.util.Locale;

/**
 * A budget a figure must meet: a bound on its value or on its ratio to its baseline. Most bounds are upper bounds (a
 * time, a heap size, an overhead factor); throughput figures have lower bounds ({@link #ratioAtLeast}).
 *
 * @param on what is compared: the figure's {@code value} or its {@code ratio}
 * @param bound the bound
 * @param inclusive whether the bound itself passes ({@code <=} or {@code >=}) or not ({@code <})
 * @param lower whether the bound is a lower bound (the figure must be at least it) rather than an upper one
 */
public record Target(On on, double bound, boolean inclusive, boolean lower) {
  /** What a target compares. */
  public enum On {
    /** The figure's value. */
    VALUE,
    /** The figure's value divided by its baseline. */
    RATIO
  }

  /**
   * An upper bound, as the factories {@link #ratioAtMost}, {@link #ratioBelow} and {@link #valueBelow} make.
   *
   * @param on what is compared
   * @param bound the bound
   * @param inclusive whether the bound itself passes
   */
  public Target(On on, double bound, boolean inclusive) {
    this(on, bound, inclusive, false);
  }

  /**
   * A ratio at least {@code bound}, for throughput compared with a baseline's.
   *
   * @param bound the smallest ratio that passes
   * @return the target
   */
  public static Target ratioAtLeast(double bound) {
    return new Target(On.RATIO, bound, true, true);
  }

  /**
   * A ratio at most {@code bound}.
   *
   * @param bound the largest ratio that passes
   * @return the target
   */
  public static Target ratioAtMost(double bound) {
    return new Target(On.RATIO, bound, true);
  }

  /**
   * A ratio below {@code bound}.
   *
   * @param bound the smallest ratio that fails
   * @return the target
   */
  public static Target ratioBelow(double bound) {
    return new Target(On.RATIO, bound, false);
  }

  /**
   * A value below {@code bound}.
   *
   * @param bound the smallest value that fails
   * @return the target
   */
  public static Target valueBelow(double bound) {
    return new Target(On.VALUE, bound, false);
  }

  /**
   * Tells whether a figure meets the target. A figure that could not be measured (NaN) never does.
   *
   * @param figure the figure
   * @return true if it passes
   */
  public boolean passes(Figure figure) {
    double x = on == On.VALUE ? figure.value() : figure.ratio();
    if (Double.isNaN(x)) {
      return false;
    }
    if (lower) {
      return inclusive ? x >= bound : x > bound;
    }
    return inclusive ? x <= bound : x < bound;
  }

  @Override
  public String toString() {
    String op = lower ? (inclusive ? " >= " : " > ") : (inclusive ? " <= " : " < ");
    return (on == On.VALUE ? "value" : "ratio") + op + Figure.format(bound);
  }

  /**
   * Returns the target in words, lower case, for reports.
   *
   * @return the description
   */
  public String describe() {
    return toString().toLowerCase(Locale.ROOT);
  }
}
