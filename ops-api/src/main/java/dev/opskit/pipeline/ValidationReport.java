package dev.opskit.pipeline;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Every check's result for one dataset version. It is stored with the version.
 *
 * @param dataset the dataset name
 * @param results one result per check, in the order the checks were declared
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record ValidationReport(String dataset, List<CheckResult> results) {
  /**
   * Copies the components.
   *
   * @param dataset the dataset name
   * @param results the results
   */
  public ValidationReport {
    java.util.Objects.requireNonNull(dataset, "dataset");
    results = List.copyOf(results);
  }

  /**
   * Tells whether a failed ERROR check blocks the version.
   *
   * @return true if the version must be quarantined
   */
  public boolean blocks() {
    return results.stream().anyMatch(CheckResult::blocks);
  }

  /**
   * Returns the failed checks of severity WARN.
   *
   * @return the warnings
   */
  public List<CheckResult> warnings() {
    return results.stream().filter(r -> !r.passed() && r.severity() == Severity.WARN).toList();
  }

  /**
   * Returns the failed checks.
   *
   * @return every failure, whatever its severity
   */
  public List<CheckResult> failures() {
    return results.stream().filter(r -> !r.passed()).toList();
  }

  /**
   * Describes the failures, one per line.
   *
   * @return the summary, or "all checks passed"
   */
  public String summary() {
    List<CheckResult> failed = failures();
    if (failed.isEmpty()) {
      return "all " + results.size() + " checks passed";
    }
    StringBuilder sb = new StringBuilder();
    for (CheckResult r : failed) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(r.severity()).append(' ').append(r.check()).append(": ").append(r.message());
      if (r.failingRows() > 0) {
        sb.append(" (").append(r.failingRows()).append(" rows");
        if (!r.samples().isEmpty()) {
          sb.append(", e.g. ").append(String.join(", ", r.samples()));
        }
        sb.append(')');
      }
    }
    return sb.toString();
  }
}
