package dev.opskit.data.check;

import dev.opskit.data.internal.stats.Values;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Severity;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Check#value}: the whole value of a non-tabular dataset satisfies a user's predicate. */
final class ValuePredicateCheck<T> extends Check {
  private static final Logger LOG = LoggerFactory.getLogger(ValuePredicateCheck.class);

  private final Class<T> type;
  private final Predicate<? super T> predicate;

  ValuePredicateCheck(String name, Severity severity, Class<T> type, Predicate<? super T> predicate) {
    super(name, severity);
    this.type = type;
    this.predicate = predicate;
  }

  @Override
  Check copy(String name, Severity severity) {
    return new ValuePredicateCheck<>(name, severity, type, predicate);
  }

  @Override
  public Evaluation begin() {
    return new Evaluation() {
      private boolean seen;
      private boolean passed;
      private @Nullable String problem;
      private @Nullable String sample;

      @Override
      public void value(Object value) {
        seen = true;
        sample = Values.render(value);
        if (!type.isInstance(value)) {
          passed = false;
          problem = "expected a " + type.getSimpleName() + ", found a " + value.getClass().getSimpleName();
          return;
        }
        try {
          passed = predicate.test(type.cast(value));
          problem = passed ? null : "expected the value to satisfy " + name() + ", it does not";
        } catch (RuntimeException e) {
          passed = false;
          problem = "expected the value to satisfy " + name() + ", the predicate threw " + Values.describe(e);
          LOG.debug("check '{}' threw", name(), e);
        }
      }

      @Override
      public CheckResult end(long rows) {
        if (!seen) {
          return new CheckResult(name(), severity(), false, 0, List.of(),
              "expected a whole value to check, but none was seen (value checks apply to datasets that are not "
                  + "tabular; use Check.rows for rows)");
        }
        String message = passed ? "the value satisfies " + name() : String.valueOf(problem);
        return new CheckResult(name(), severity(), passed, 0, passed || sample == null ? List.of() : List.of(sample),
            message);
      }
    };
  }
}
