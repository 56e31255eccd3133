package dev.opskit.data.catalog;

import static dev.opskit.data.catalog.IncrementalRunTest.CLEAN;
import static dev.opskit.data.catalog.IncrementalRunTest.RAW;
import static dev.opskit.data.catalog.IncrementalRunTest.customers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Rows;
import dev.opskit.data.VersionStatus;
import dev.opskit.data.check.Check;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.ValidationReport;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** onDatasetValidated announces a blocking (quarantining) report too, before the step's error. */
class BlockingCheckEventTest {
  @Test
  void aBlockingReportIsAnnouncedWithTheQuarantinedVersionBeforeTheError() {
    Dataset<Rows<Customer>> strict = CLEAN.withChecks(Check.rowCount(100, 1000));
    Pipeline p = Pipeline.builder("strict")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(strict).apply(rows -> rows))
        .build();
    List<String> events = new CopyOnWriteArrayList<>();
    List<ValidationReport> reports = new CopyOnWriteArrayList<>();
    RunListener listener = new RunListener() {
      @Override
      public void onDatasetValidated(DatasetEvent event, ValidationReport report) {
        events.add("validated " + event.dataset() + "@" + event.versionId());
        reports.add(report);
      }

      @Override
      public void onStepError(StepEvent event, Throwable error) {
        events.add("error " + event.step());
      }
    };
    try (Workspace ws = Workspace.inMemory()) {
      String quarantined = null;
      try {
        ws.runner().plan(p).input(RAW, Rows.of(customers(10))).listener(listener).run();
      } catch (RunFailedException e) {
        quarantined = ((dev.opskit.pipeline.DatasetCheckException) e.getCause()).versionId();
      }

      assertThat(quarantined).isNotNull();
      assertThat(events).containsExactly("validated crm/clean@" + quarantined, "error clean");
      assertThat(reports).singleElement().satisfies(r -> assertThat(r.blocks()).isTrue());
      assertThat(Catalog.in(ws).version("crm/clean", quarantined).status()).isEqualTo(VersionStatus.QUARANTINED);
    }
  }
}
