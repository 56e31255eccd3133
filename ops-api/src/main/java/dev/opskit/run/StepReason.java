package dev.opskit.run;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Why a step runs, is reused, or does not run: the planner's answer, given by {@link RunRequest#explain()} before a
 * run and recorded on each step's {@link StepRecord#reason() record} during one.
 *
 * <p>The parts that say what changed depend on the {@link Kind}:
 *
 * <table>
 *   <caption>What subject, before and after hold</caption>
 *   <tr><th>kind</th><th>subject</th><th>before</th><th>after</th></tr>
 *   <tr><td>CACHED, FROZEN</td><td>the run whose execution is reused, or ""</td><td></td><td></td></tr>
 *   <tr><td>REUSED</td><td>the resumed run</td><td></td><td></td></tr>
 *   <tr><td>FORCED</td><td>"" or, for force downstream, the step forced</td><td></td><td></td></tr>
 *   <tr><td>CODE_CHANGED</td><td></td><td>old code version</td><td>new code version</td></tr>
 *   <tr><td>PARAMETER_CHANGED</td><td>the key</td><td>old value as canonical JSON, "" if absent</td>
 *       <td>new value, "" if absent</td></tr>
 *   <tr><td>INPUT_CHANGED</td><td>the dataset</td><td>old version id</td><td>new version id</td></tr>
 *   <tr><td>INPUT_PENDING</td><td>the dataset</td><td></td><td>the step of this run that produces it, or
 *       "input" for a value given to the run</td></tr>
 *   <tr><td>FRESHNESS_CHANGED</td><td></td><td>old token</td><td>new token</td></tr>
 *   <tr><td>OUTPUT_MISSING</td><td>the dataset whose earlier version is gone</td><td>that version id</td>
 *       <td></td></tr>
 *   <tr><td>NOT_CACHEABLE</td><td>the dataset that has no codec, or "" without a catalog</td><td></td><td></td></tr>
 *   <tr><td>PROBE_FAILED</td><td>the probe's failure</td><td></td><td></td></tr>
 * </table>
 *
 * <p>The other kinds have empty parts. Values are immutable; absent parts are empty strings.
 *
 * @param kind what kind of reason
 * @param subject the dataset, parameter key, run or step the reason is about, or ""
 * @param before the earlier value, or ""
 * @param after the new value, or ""
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record StepReason(Kind kind, String subject, String before, String after) {
  private static final Map<Kind, StepReason> PLAIN = new EnumMap<>(Kind.class);

  static {
    for (Kind k : Kind.values()) {
      PLAIN.put(k, new StepReason(k, "", "", ""));
    }
  }

  /**
   * The kinds of reason.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public enum Kind {
    /** Reused: an earlier execution with the same fingerprint left outputs that still exist. */
    CACHED(false),
    /** Reused: the step is {@link dev.opskit.pipeline.Freshness#frozen() frozen} and its last outputs exist. */
    FROZEN(false),
    /** Reused: a resumed run already completed it. */
    REUSED(false),
    /** Not part of the selection. */
    NOT_SELECTED(false),
    /** Runs: forced by {@code force}, {@code forceAll} or {@code forceDownstream}. */
    FORCED(true),
    /** Runs: it reads no dataset and declares no freshness rule, so it runs every time. */
    SOURCE(true),
    /** Runs: its freshness rule is {@link dev.opskit.pipeline.Freshness#always() always}. */
    ALWAYS(true),
    /** Runs: it writes no dataset (it is run for its side effects), so there is nothing to reuse. */
    NO_OUTPUTS(true),
    /** Runs: no earlier execution of the step is known. */
    NEVER_RAN(true),
    /** Runs: its code version changed. */
    CODE_CHANGED(true),
    /** Runs: a parameter was added, removed or changed. */
    PARAMETER_CHANGED(true),
    /** Runs: an input has another version than last time. */
    INPUT_CHANGED(true),
    /** Runs: an input is produced during this run, so its version is not known before. */
    INPUT_PENDING(true),
    /** Runs: its freshness probe returned another token. */
    FRESHNESS_CHANGED(true),
    /** Runs: its probe failed, so freshness cannot be judged. */
    PROBE_FAILED(true),
    /** Runs: the same fingerprint ran before, but an output it wrote is missing or was deleted. */
    OUTPUT_MISSING(true),
    /** Runs: the step cannot be cached (no catalog, or a dataset without a codec). */
    NOT_CACHEABLE(true),
    /** Runs: its fingerprint differs from the last execution's in a way the planner cannot name. */
    CHANGED(true);

    private final boolean runs;

    Kind(boolean runs) {
      this.runs = runs;
    }

    /**
     * Tells whether a step with this reason runs.
     *
     * @return true if the step runs
     */
    public boolean runs() {
      return runs;
    }
  }

  /**
   * Checks the components.
   *
   * @param kind what kind of reason
   * @param subject what the reason is about
   * @param before the earlier value
   * @param after the new value
   */
  public StepReason {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  /**
   * Returns a reason with no parts; the same instance for the same kind.
   *
   * @param kind the kind
   * @return the reason
   */
  public static StepReason of(Kind kind) {
    return PLAIN.get(Objects.requireNonNull(kind, "kind"));
  }

  /**
   * Returns a reason about something.
   *
   * @param kind the kind
   * @param subject what it is about
   * @return the reason
   */
  public static StepReason of(Kind kind, String subject) {
    return subject.isEmpty() ? of(kind) : new StepReason(kind, subject, "", "");
  }

  /**
   * Tells whether a step with this reason runs.
   *
   * @return true if it runs
   */
  public boolean runs() {
    return kind.runs();
  }

  /**
   * Says the reason in a sentence, for logs, reports and {@code explain()} output.
   *
   * @return the sentence
   */
  public String message() {
    switch (kind) {
      case CACHED:
        return subject.isEmpty() ? "cached: an earlier execution with the same fingerprint is reused"
            : "cached: reuses the execution of run " + subject;
      case FROZEN:
        return "frozen: reuses its last outputs" + (subject.isEmpty() ? "" : ", from run " + subject);
      case REUSED:
        return "reused from run " + subject;
      case NOT_SELECTED:
        return "not selected";
      case FORCED:
        return subject.isEmpty() ? "runs: forced" : "runs: forced downstream of step '" + subject + "'";
      case SOURCE:
        return "runs: a source (no dataset inputs, no freshness rule) runs every time";
      case ALWAYS:
        return "runs: its freshness rule is 'always'";
      case NO_OUTPUTS:
        return "runs: it writes no dataset, so there is nothing to reuse";
      case NEVER_RAN:
        return "runs: no earlier execution is known";
      case CODE_CHANGED:
        return "runs: code version changed from '" + before + "' to '" + after + "'";
      case PARAMETER_CHANGED:
        return "runs: parameter '" + subject + "' changed from " + (before.isEmpty() ? "(absent)" : before) + " to "
            + (after.isEmpty() ? "(absent)" : after);
      case INPUT_CHANGED:
        return "runs: input '" + subject + "' changed from version " + before + " to " + after;
      case INPUT_PENDING:
        return "runs: input '" + subject + "' is " + ("input".equals(after) ? "given to this run"
            : "produced in this run by step '" + after + "'") + ", so its version is not known yet";
      case FRESHNESS_CHANGED:
        return "runs: freshness token changed from '" + before + "' to '" + after + "'";
      case PROBE_FAILED:
        return "runs: its freshness probe failed: " + subject;
      case OUTPUT_MISSING:
        return "runs: output '" + subject + "' of the earlier execution is missing or was deleted"
            + (before.isEmpty() ? "" : " (version " + before + ")");
      case NOT_CACHEABLE:
        return subject.isEmpty() ? "runs: not cacheable without a catalog"
            : "runs: not cacheable, dataset '" + subject + "' has no codec";
      default:
        return "runs: its fingerprint changed";
    }
  }

  @Override
  public String toString() {
    return message();
  }
}
