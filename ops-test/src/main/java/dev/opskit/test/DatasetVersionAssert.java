package dev.opskit.test;

import dev.opskit.data.DatasetVersion;
import dev.opskit.data.VersionStatus;
import dev.opskit.pipeline.CheckResult;
import dev.opskit.pipeline.ValidationReport;
import java.util.Objects;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link DatasetVersion}. Obtain one with {@link OpsAssertions#assertThat(DatasetVersion)}:
 *
 * <pre>{@code
 * assertThat(catalog.latest("customers/clean").orElseThrow()).isCommitted().hasRows(1_000).passedChecks();
 * assertThat(quarantined).isQuarantined().failedCheck("not_null(id)");
 * }</pre>
 *
 * <p>Failure messages include the version's validation summary. Not thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public final class DatasetVersionAssert extends AbstractAssert<DatasetVersionAssert, DatasetVersion> {
  DatasetVersionAssert(DatasetVersion actual) {
    super(actual, DatasetVersionAssert.class);
  }

  /**
   * Verifies that the version is committed, and so usable.
   *
   * @return this assertion
   */
  public DatasetVersionAssert isCommitted() {
    return hasStatus(VersionStatus.COMMITTED);
  }

  /**
   * Verifies that the version is quarantined: an ERROR check failed.
   *
   * @return this assertion
   */
  public DatasetVersionAssert isQuarantined() {
    return hasStatus(VersionStatus.QUARANTINED);
  }

  /**
   * Verifies the version's status.
   *
   * @param expected the status
   * @return this assertion
   */
  public DatasetVersionAssert hasStatus(VersionStatus expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    if (actual.status() != expected) {
      fail("Expecting version " + actual + " to be " + expected + " but it is " + actual.status());
    }
    return this;
  }

  /**
   * Verifies the row count of a tabular version.
   *
   * @param expected the number of rows
   * @return this assertion
   */
  public DatasetVersionAssert hasRows(long expected) {
    isNotNull();
    if (actual.rows() != expected) {
      fail("Expecting version " + actual + " to have " + expected + " rows but it has "
          + (actual.rows() < 0 ? "none: its format '" + actual.format() + "' has no rows" : actual.rows()));
    }
    return this;
  }

  /**
   * Verifies that the version was checked and every check passed, warnings included. A version of a dataset without
   * checks fails this assertion, since nothing was checked.
   *
   * @return this assertion
   */
  public DatasetVersionAssert passedChecks() {
    ValidationReport report = requireReport("to have passed its checks");
    if (!report.failures().isEmpty()) {
      fail("Expecting version " + actual + " to have passed its checks but " + report.failures().size() + " of "
          + report.results().size() + " failed");
    }
    return this;
  }

  /**
   * Verifies that a check, named as in its results such as {@code not_null(id)}, ran on the version and failed.
   *
   * @param name the check's name
   * @return this assertion
   */
  public DatasetVersionAssert failedCheck(String name) {
    Objects.requireNonNull(name, "name");
    ValidationReport report = requireReport("to have failed check '" + name + "'");
    CheckResult found = null;
    for (CheckResult r : report.results()) {
      if (r.check().equals(name)) {
        found = r;
      }
    }
    if (found == null) {
      fail("Expecting version " + actual + " to have failed check '" + name + "' but no such check ran; its checks are "
          + report.results().stream().map(CheckResult::check).toList());
    } else if (found.passed()) {
      fail("Expecting version " + actual + " to have failed check '" + name + "' but it passed");
    }
    return this;
  }

  /**
   * Verifies which step produced the version.
   *
   * @param step the step name
   * @return this assertion
   */
  public DatasetVersionAssert wasProducedBy(String step) {
    Objects.requireNonNull(step, "step");
    isNotNull();
    if (!step.equals(actual.step())) {
      fail("Expecting version " + actual + " to have been produced by step '" + step + "' but "
          + (actual.step() == null ? "it was committed directly" : "step '" + actual.step() + "' produced it"));
    }
    return this;
  }

  private ValidationReport requireReport(String what) {
    isNotNull();
    ValidationReport report = actual.validation();
    if (report == null) {
      fail("Expecting version " + actual + " " + what + " but it was not checked: dataset '" + actual.dataset()
          + "' declares no checks");
      throw new AssertionError("unreachable");
    }
    return report;
  }

  private void fail(String message) {
    ValidationReport report = actual.validation();
    String checks = report == null ? "" : "\nchecks: " + report.summary().replace("\n", "\n  ");
    failWithMessage("%s", message + checks);
  }
}
