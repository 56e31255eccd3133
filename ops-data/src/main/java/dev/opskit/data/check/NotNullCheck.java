package dev.opskit.data.check;

import dev.opskit.data.internal.stats.Samples;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Severity;
import java.util.Map;

/** {@link Check#notNull}: a null value or a missing column fails the row. */
final class NotNullCheck extends Check {
  private final String column;

  NotNullCheck(String name, Severity severity, String column) {
    super(name, severity);
    this.column = column;
  }

  @Override
  Check copy(String name, Severity severity) {
    return new NotNullCheck(name, severity, column);
  }

  @Override
  public Evaluation begin() {
    return new Evaluation() {
      private final Samples samples = new Samples();
      private long row;
      private long failing;

      @Override
      public void row(Map<String, Object> values) {
        row++;
        if (values.get(column) == null) {
          failing++;
          if (samples.wanted()) {
            samples.add("row " + row + ": " + column + (values.containsKey(column) ? "=null" : " missing"));
          }
        }
      }

      @Override
      public CheckResult end(long rows) {
        String message = failing == 0
            ? "no nulls in " + column + " in " + rows + " rows"
            : "expected " + column + " in every row, found " + failing + " of " + rows
                + " rows with it null or missing";
        return new CheckResult(name(), severity(), failing == 0, failing, samples.toList(), message);
      }
    };
  }
}
