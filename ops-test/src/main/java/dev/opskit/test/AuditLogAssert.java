package dev.opskit.test;

import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a model's {@link AuditLog}. Obtain one with {@link OpsAssertions#assertThat(AuditLog)}:
 *
 * <pre>{@code
 * assertThat(registry.audit("churn"))
 *     .verifies()
 *     .hasActions("REGISTER", "PROMOTE");
 * }</pre>
 *
 * <p>Failure messages list the trail's records, the latest 50 of a long one. Not thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class AuditLogAssert extends AbstractAssert<AuditLogAssert, AuditLog> {
  private static final int MAX_LISTED = 50;

  AuditLogAssert(AuditLog actual) {
    super(actual, AuditLogAssert.class);
  }

  /**
   * Verifies that the hash chain is intact: {@link AuditLog#verify()} finds nothing wrong. The failure message is the
   * description of the first bad record.
   *
   * @return this assertion
   */
  public AuditLogAssert verifies() {
    isNotNull();
    Optional<String> problem = actual.verify();
    if (problem.isPresent()) {
      failWithMessage("%s", "Expecting the audit trail to verify but " + problem.get());
    }
    return this;
  }

  /**
   * Verifies that the chain is broken: {@link AuditLog#verify()} reports a problem containing a text.
   *
   * @param text a part of the expected problem, such as {@code "was edited"}
   * @return this assertion
   */
  public AuditLogAssert failsVerificationWith(String text) {
    Objects.requireNonNull(text, "text");
    isNotNull();
    Optional<String> problem = actual.verify();
    if (problem.isEmpty() || !problem.get().contains(text)) {
      fail("Expecting the audit trail to fail verification with \"" + text + "\" but "
          + problem.map(p -> "it reported: " + p).orElse("it verified"));
    }
    return this;
  }

  /**
   * Verifies the actions of the trail: exactly these, oldest first, such as {@code "REGISTER"}, {@code "PROMOTE"} or
   * {@code "DENIED:PROMOTE"}.
   *
   * @param actions the actions
   * @return this assertion
   */
  public AuditLogAssert hasActions(String... actions) {
    Objects.requireNonNull(actions, "actions");
    isNotNull();
    List<String> actual = actions();
    if (!actual.equals(Arrays.asList(actions))) {
      fail("Expecting the audit trail's actions to be " + Arrays.toString(actions) + " but they are " + actual);
    }
    return this;
  }

  /**
   * Verifies that the trail holds an action, among others.
   *
   * @param action the action
   * @return this assertion
   */
  public AuditLogAssert containsAction(String action) {
    Objects.requireNonNull(action, "action");
    isNotNull();
    if (!actions().contains(action)) {
      fail("Expecting the audit trail to contain the action " + action + " but its actions are " + actions());
    }
    return this;
  }

  /**
   * Verifies how many records the trail holds.
   *
   * @param count the number of records
   * @return this assertion
   */
  public AuditLogAssert hasRecords(int count) {
    isNotNull();
    int size = actual.records().size();
    if (size != count) {
      fail("Expecting the audit trail to hold " + count + " records but it holds " + size);
    }
    return this;
  }

  private List<String> actions() {
    return actual.records().stream().map(AuditRecord::action).toList();
  }

  private void fail(String message) {
    StringBuilder sb = new StringBuilder(message);
    List<AuditRecord> records = actual.records();
    sb.append(records.isEmpty() ? "\nthe trail is empty" : "\nthe trail:");
    int hidden = Math.max(0, records.size() - MAX_LISTED);
    if (hidden > 0) {
      sb.append("\n  ... ").append(hidden).append(" earlier records, then");
    }
    for (AuditRecord r : records.subList(hidden, records.size())) {
      sb.append("\n  #").append(r.sequence()).append(' ').append(r.action()).append(" by ").append(r.actor())
          .append(" at ").append(r.at());
      if (r.version() > 0) {
        sb.append(" v").append(r.version());
      }
      if (!r.reason().isEmpty()) {
        sb.append(" (").append(r.reason()).append(')');
      }
    }
    failWithMessage("%s", sb.toString());
  }
}
