package dev.opskit.data.check;

import dev.opskit.data.internal.stats.Samples;
import dev.opskit.data.internal.stats.Values;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Severity;
import java.util.Map;

/** A check of each non-null value of one column: {@link Check#inRange}, {@link Check#matches}, {@link Check#inSet}. */
final class ColumnValueCheck extends Check {
  /** Makes the test of one evaluation, which may hold state such as a reusable matcher. */
  interface Rule {
    Test newTest();
  }

  /** Tells whether a non-null value is acceptable. */
  interface Test {
    boolean accepts(Object value);
  }

  private final String column;
  private final String expected;
  private final String satisfied;
  private final Rule rule;

  // expected completes "expected age ...", as in "to be in [0, 10]"; satisfied completes "all 9 non-null values of
  // age ...", as in "are in [0, 10]".
  ColumnValueCheck(String name, Severity severity, String column, String expected, String satisfied, Rule rule) {
    super(name, severity);
    this.column = column;
    this.expected = expected;
    this.satisfied = satisfied;
    this.rule = rule;
  }

  @Override
  Check copy(String name, Severity severity) {
    return new ColumnValueCheck(name, severity, column, expected, satisfied, rule);
  }

  @Override
  public Evaluation begin() {
    Test test = rule.newTest();
    return new Evaluation() {
      private final Samples samples = new Samples();
      private long row;
      private long checked;
      private long failing;

      @Override
      public void row(Map<String, Object> values) {
        row++;
        Object v = values.get(column);
        if (v == null) {
          return;
        }
        checked++;
        if (!test.accepts(v)) {
          failing++;
          if (samples.wanted()) {
            samples.add("row " + row + ": " + column + "=" + Values.render(v));
          }
        }
      }

      @Override
      public CheckResult end(long rows) {
        String message = failing == 0
            ? "all " + checked + " non-null values of " + column + " " + satisfied
            : "expected " + column + " " + expected + ", found " + failing + " of " + checked
                + " non-null values that do not";
        return new CheckResult(name(), severity(), failing == 0, failing, samples.toList(), message);
      }
    };
  }
}
