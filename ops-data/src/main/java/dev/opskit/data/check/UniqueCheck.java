package dev.opskit.data.check;

import dev.opskit.data.internal.stats.Hash128Set;
import dev.opskit.data.internal.stats.Samples;
import dev.opskit.data.internal.stats.ValueHasher;
import dev.opskit.data.internal.stats.Values;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.Severity;
import java.util.Map;

/** {@link Check#unique}: a row repeating a key seen in an earlier row fails; keys with a null are skipped. */
final class UniqueCheck extends Check {
  private final String[] columns;

  UniqueCheck(String name, Severity severity, String[] columns) {
    super(name, severity);
    this.columns = columns;
  }

  @Override
  Check copy(String name, Severity severity) {
    return new UniqueCheck(name, severity, columns);
  }

  @Override
  public Evaluation begin() {
    return new Evaluation() {
      private final Hash128Set seen = new Hash128Set();
      private final ValueHasher hasher = new ValueHasher();
      private final Samples samples = new Samples();
      private long row;
      private long failing;
      private long nullKeys;

      @Override
      public void row(Map<String, Object> values) {
        row++;
        hasher.reset();
        for (String column : columns) {
          Object v = values.get(column);
          if (v == null) {
            nullKeys++;
            return;
          }
          hasher.putValue(v);
        }
        hasher.finish();
        if (!seen.add(hasher.high(), hasher.low())) {
          failing++;
          if (samples.wanted()) {
            samples.add("row " + row + ": " + key(values));
          }
        }
      }

      private String key(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        for (String column : columns) {
          if (sb.length() > 0) {
            sb.append(", ");
          }
          sb.append(column).append('=');
          Values.render(values.get(column), sb);
        }
        return sb.toString();
      }

      @Override
      public CheckResult end(long rows) {
        String what = columns.length == 1 ? columns[0] : "(" + String.join(", ", columns) + ")";
        String skipped = nullKeys == 0 ? "" : " (" + nullKeys + " rows with a null key skipped)";
        String message = failing == 0
            ? "no repeated " + what + " in " + rows + " rows" + skipped
            : "expected each " + what + " to be unique, found " + failing + " of " + rows
                + " rows repeating an earlier key, " + seen.size() + " distinct keys" + skipped;
        return new CheckResult(name(), severity(), failing == 0, failing, samples.toList(), message);
      }
    };
  }
}
