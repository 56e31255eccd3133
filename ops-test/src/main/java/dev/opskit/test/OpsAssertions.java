package dev.opskit.test;

import dev.opskit.data.DatasetVersion;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import org.apiguardian.api.API;
import org.assertj.core.api.Assertions;

/**
 * The entry point of opskit's AssertJ assertions. It extends AssertJ's {@link Assertions}, so one static import
 * brings both:
 *
 * <pre>{@code
 * import static dev.opskit.test.OpsAssertions.assertThat;
 *
 * assertThat(run).succeeded().step("train").hadAttempts(2);
 * assertThat(run).step("features").wasCached();
 * assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasVersion(3);
 * assertThat(registry.audit("churn")).verifies().hasActions("REGISTER", "PROMOTE");
 * assertThat(catalog.latest("customers/clean").orElseThrow()).isCommitted().hasRows(100).passedChecks();
 * assertThat(List.of(1, 2)).hasSize(2);            // AssertJ's own, inherited
 * }</pre>
 *
 * <p>Failure messages say what was expected and what was found, followed by the context a reader needs: a run's
 * summary, a model's versions, an audit trail's records, a version's check results.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public class OpsAssertions extends Assertions {
  /** Allows a test base class or a project's own entry point to extend this one, as AssertJ allows. */
  protected OpsAssertions() {}

  /**
   * Starts assertions on a run.
   *
   * @param run the run
   * @return the assertion
   */
  public static RunAssert assertThat(Run run) {
    return new RunAssert(run);
  }

  /**
   * Starts assertions on one step's record, for example from {@link Run#steps()}.
   *
   * @param record the record
   * @return the assertion
   */
  public static StepRecordAssert assertThat(StepRecord record) {
    return new StepRecordAssert(record, null, null);
  }

  /**
   * Starts assertions on a model registry.
   *
   * @param registry the registry
   * @return the assertion
   */
  public static RegistryAssert assertThat(ModelRegistry registry) {
    return new RegistryAssert(registry);
  }

  /**
   * Starts assertions on a model's audit trail.
   *
   * @param audit the trail, from {@link ModelRegistry#audit(String)}
   * @return the assertion
   */
  public static AuditLogAssert assertThat(AuditLog audit) {
    return new AuditLogAssert(audit);
  }

  /**
   * Starts assertions on a dataset version.
   *
   * @param version the version
   * @return the assertion
   */
  public static DatasetVersionAssert assertThat(DatasetVersion version) {
    return new DatasetVersionAssert(version);
  }
}
