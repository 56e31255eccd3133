package dev.opskit.data.check;

import dev.opskit.data.internal.stats.Samples;
import dev.opskit.data.internal.stats.Values;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Severity;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Check#rows}: every row satisfies a user's predicate; one that throws fails the row. */
final class RowPredicateCheck extends Check {
  private static final Logger LOG = LoggerFactory.getLogger(RowPredicateCheck.class);

  private final Predicate<? super Map<String, Object>> predicate;

  RowPredicateCheck(String name, Severity severity, Predicate<? super Map<String, Object>> predicate) {
    super(name, severity);
    this.predicate = predicate;
  }

  @Override
  Check copy(String name, Severity severity) {
    return new RowPredicateCheck(name, severity, predicate);
  }

  @Override
  public Evaluation begin() {
    return new Evaluation() {
      private final Samples samples = new Samples();
      private long row;
      private long failing;
      private long thrown;

      @Override
      public void row(Map<String, Object> values) {
        row++;
        boolean ok;
        String why = "";
        try {
          ok = predicate.test(values);
        } catch (RuntimeException e) {
          ok = false;
          why = " (threw " + Values.describe(e) + ")";
          if (thrown++ == 0) {
            LOG.debug("check '{}' threw on row {}", name(), row, e);
          }
        }
        if (!ok) {
          failing++;
          if (samples.wanted()) {
            samples.add("row " + row + ": " + Values.renderRow(values) + why);
          }
        }
      }

      @Override
      public CheckResult end(long rows) {
        String threw = thrown == 0 ? "" : " (the predicate threw on " + thrown + ")";
        String message = failing == 0
            ? "all " + rows + " rows satisfy " + name()
            : "expected every row to satisfy " + name() + ", found " + failing + " of " + rows + " rows that do not"
                + threw;
        return new CheckResult(name(), severity(), failing == 0, failing, samples.toList(), message);
      }
    };
  }
}
