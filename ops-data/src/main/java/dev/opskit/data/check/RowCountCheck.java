package dev.opskit.data.check;

import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Severity;
import java.util.List;

/** {@link Check#rowCount}: the version's row count lies between two bounds. */
final class RowCountCheck extends Check {
  private final long min;
  private final long max;

  RowCountCheck(String name, Severity severity, long min, long max) {
    super(name, severity);
    this.min = min;
    this.max = max;
  }

  @Override
  Check copy(String name, Severity severity) {
    return new RowCountCheck(name, severity, min, max);
  }

  @Override
  public Evaluation begin() {
    return rows -> {
      boolean passed = rows >= min && rows <= max;
      String range = min == max ? "exactly " + min : "between " + min + " and " + max;
      String message = passed ? rows + " rows, " + range : "expected " + range + " rows, found " + rows;
      return new CheckResult(name(), severity(), passed, 0, List.of(), message);
    };
  }
}
