package dev.opskit.test;

import static dev.opskit.test.OpsAssertions.assertThat;
import static dev.opskit.test.OpsAssertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.VersionStatus;
import dev.opskit.data.check.Check;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dataset version assertions pass on the right version and fail with its check results. */
@OpsTest
class DatasetVersionAssertTest {
  record Customer(String id, int tenure) {}

  private final Dataset<Rows<Customer>> customers = Datasets.jsonLines("crm/customers", Customer.class)
      .withChecks(Check.notNull("id"), Check.inRange("tenure", 0, 59).warn());
  private final Dataset<Rows<Customer>> unchecked = Datasets.jsonLines("crm/unchecked", Customer.class);

  Workspace workspace;
  Catalog catalog;

  private DatasetVersion quarantined() {
    try {
      catalog.commit(customers, Rows.of(new Customer("a", 1), new Customer(null, 2)));
    } catch (DatasetCheckException e) {
      return catalog.version("crm/customers", e.versionId());
    }
    throw new AssertionError("the commit passed its checks");
  }

  @Test
  void aCleanVersionIsCommittedWithItsRowsAndPassedChecks() {
    DatasetVersion v = catalog.commit(customers, Rows.of(new Customer("a", 1), new Customer("b", 2)));
    assertThat(v).isCommitted().hasStatus(VersionStatus.COMMITTED).hasRows(2).passedChecks();
  }

  @Test
  void aQuarantinedVersionFailedItsBlockingCheck() {
    assertThat(quarantined()).isQuarantined().hasRows(2).failedCheck("not_null(id)");
  }

  @Test
  void statusAssertionsFailWithTheCheckResults() {
    DatasetVersion bad = quarantined();
    assertThatThrownBy(() -> assertThat(bad).isCommitted()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting version " + bad + " to be COMMITTED but it is QUARANTINED")
        .hasMessageContaining("checks: ERROR not_null(id): ");
    assertThatThrownBy(() -> assertThat(bad).passedChecks()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have passed its checks but 1 of 2 failed")
        .hasMessageContaining("not_null(id)");
    DatasetVersion good = catalog.commit(customers, Rows.of(new Customer("a", 1)));
    assertThatThrownBy(() -> assertThat(good).isQuarantined()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be QUARANTINED but it is COMMITTED").hasMessageContaining("all 2 checks passed");
  }

  @Test
  void aWarningIsAFailedCheckThoughTheVersionIsCommitted() {
    DatasetVersion warned = catalog.commit(customers, Rows.of(new Customer("a", 70)));
    assertThat(warned).isCommitted().failedCheck("in_range(tenure, 0, 59)");
    assertThatThrownBy(() -> assertThat(warned).passedChecks()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 of 2 failed").hasMessageContaining("WARN in_range(tenure");
  }

  @Test
  void checkAssertionsNameTheChecksThatRan() {
    DatasetVersion good = catalog.commit(customers, Rows.of(new Customer("a", 1)));
    assertThatThrownBy(() -> assertThat(good).failedCheck("not_null(id)")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have failed check 'not_null(id)' but it passed");
    assertThatThrownBy(() -> assertThat(good).failedCheck("unique(id)")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have failed check 'unique(id)' but no such check ran; its checks are "
            + "[not_null(id), in_range(tenure, 0, 59)]");
  }

  @Test
  void aVersionOfADatasetWithoutChecksNeitherPassesNorFailsThem() {
    DatasetVersion v = catalog.commit(unchecked, Rows.of(new Customer("a", 1)));
    assertThat(v).isCommitted().hasRows(1);
    assertThatThrownBy(() -> assertThat(v).passedChecks()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("but it was not checked: dataset 'crm/unchecked' declares no checks");
    assertThatThrownBy(() -> assertThat(v).failedCheck("not_null(id)")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("declares no checks");
  }

  @Test
  void rowsAndProducerAreCompared() {
    DatasetVersion v = catalog.commit(unchecked, Rows.of(new Customer("a", 1)));
    assertThatThrownBy(() -> assertThat(v).hasRows(2)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have 2 rows but it has 1");
    assertThatThrownBy(() -> assertThat(v).wasProducedBy("clean")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have been produced by step 'clean' but it was committed directly");
    Dataset<String> note = Datasets.json("note", String.class);
    DatasetVersion json = catalog.commit(note, "hello");
    assertThatThrownBy(() -> assertThat(json).hasRows(1)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("but it has none: its format 'json' has no rows");
  }

  @Test
  void aStepThatWritesBadDataFailsAndItsOutputIsQuarantined() {
    Pipeline p = Pipeline.builder("ingest")
        .step("ingest", s -> s.writes(customers).apply(() -> Rows.of(List.of(new Customer(null, 3)))))
        .build();
    Run run;
    try {
      run = workspace.runner().run(p);
    } catch (RunFailedException e) {
      run = e.run();
    }
    assertThat(run).failed().step("ingest").failedWith(DatasetCheckException.class);
    DatasetVersion v = catalog.history("crm/customers", 10, 0).items().get(0);
    assertThat(v).isQuarantined().failedCheck("not_null(id)").wasProducedBy("ingest");
  }
}
