package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.core.metrics.OpsMetrics;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.VersionStatus;
import dev.opskit.data.check.Check;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.ValidationReport;
import dev.opskit.run.DatasetEvent;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import dev.opskit.run.RunListener;
import dev.opskit.run.StepStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps that read and write versioned datasets: lineage, events, and incremental re-runs. */
class IncrementalRunTest {
  static final Dataset<Rows<Customer>> RAW = Datasets.jsonLines("crm/raw", Customer.class);
  static final Dataset<Rows<Customer>> CLEAN = Datasets.jsonLines("crm/clean", Customer.class);
  static final Dataset<Rows<Customer>> PRO = Datasets.jsonLines("crm/pro", Customer.class);
  static final Dataset<Double> SPEND = Datasets.json("crm/spend", Double.class);

  final List<String> ran = new CopyOnWriteArrayList<>();

  Pipeline pipeline(String plan, double minSpend) {
    return Pipeline.builder("crm")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(CLEAN).param("minSpend", minSpend)
            .apply(rows -> {
              ran.add("clean");
              return rows.filter(c -> c.spend() >= minSpend);
            }))
        .step("pro", s -> s.reads(CLEAN).writes(PRO).param("plan", plan).apply(rows -> {
          ran.add("pro");
          return rows.filter(c -> c.plan().equals(plan));
        }))
        .step("spend", s -> s.reads(PRO).writes(SPEND).apply(rows -> {
          ran.add("spend");
          double total = 0;
          for (Customer c : rows) {
            total += c.spend();
          }
          return total;
        }))
        .build();
  }

  static List<Customer> customers(int n) {
    List<Customer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Customer("c" + i, i % 40, 5.0 * (i % 20), i % 2 == 0 ? "pro" : "basic"));
    }
    return out;
  }

  @Test
  void outputsAreCommittedWithTheirLineage() {
    try (Workspace ws = Workspace.inMemory()) {
      Run run = ws.runner().plan(pipeline("pro", 10)).input(RAW, Rows.of(customers(40))).run();
      Catalog catalog = Catalog.in(ws);
      String cleanId = run.step("clean").outputs().get("crm/clean");
      String proId = run.step("pro").outputs().get("crm/pro");
      DatasetVersion pro = catalog.version("crm/pro", proId);
      assertThat(pro.run()).isEqualTo(run.id());
      assertThat(pro.step()).isEqualTo("pro");
      assertThat(pro.inputs()).containsOnly(Map.entry("crm/clean", cleanId));
      DatasetVersion raw = catalog.latest("crm/raw").orElseThrow();
      assertThat(catalog.version("crm/clean", cleanId).inputs()).containsOnly(Map.entry("crm/raw", raw.id()));
      assertThat(raw.step()).isEqualTo("input");
      assertThat(catalog.upstream("crm/spend", run.step("spend").outputs().get("crm/spend")).versions())
          .hasSize(4);
      assertThat(run.output(SPEND)).isEqualTo(expectedSpend(customers(40), 10, "pro"));
      assertThat(run.step("spend").fingerprint()).hasSize(64);
    }
  }

  private static double expectedSpend(List<Customer> all, double min, String plan) {
    return all.stream().filter(c -> c.spend() >= min && c.plan().equals(plan)).mapToDouble(Customer::spend).sum();
  }

  @Test
  void datasetCallbacksCarryVersionIdsAndValidationReports() {
    List<String> events = new CopyOnWriteArrayList<>();
    RunListener listener = new RunListener() {
      @Override
      public void beforeDatasetLoad(DatasetEvent e) {
        events.add("load " + e.dataset() + " " + (e.versionId() != null));
      }

      @Override
      public void afterDatasetSave(DatasetEvent e) {
        events.add("save " + e.dataset() + " " + (e.versionId() != null));
      }

      @Override
      public void onDatasetValidated(DatasetEvent e, ValidationReport report) {
        events.add("validated " + e.dataset() + " warnings=" + report.warnings().size());
      }
    };
    Dataset<Rows<Customer>> cleanChecked = CLEAN.withChecks(Check.inRange("tenure", 0, 10).warn());
    Pipeline p = Pipeline.builder("events")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(cleanChecked).apply(rows -> rows))
        .build();
    try (Workspace ws = Workspace.builder().listener(listener).openInMemory()) {
      ws.runner().plan(p).input(RAW, Rows.of(customers(20))).run();
    }
    assertThat(events).containsExactly("load crm/raw true", "save crm/clean true", "validated crm/clean warnings=1");
  }

  @Test
  void anUnchangedRerunIsCachedAndAChangeRerunsOnlyWhatDependsOnIt() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(meters)).openInMemory()) {
      Run first = ws.runner().plan(pipeline("pro", 10)).input(RAW, Rows.of(customers(40))).run();
      assertThat(ran).containsExactly("clean", "pro", "spend");

      ran.clear();
      Run second = ws.runner().run(pipeline("pro", 10));
      assertThat(ran).isEmpty();
      for (String step : List.of("clean", "pro", "spend")) {
        assertThat(second.step(step).status()).isEqualTo(StepStatus.CACHED);
        assertThat(second.step(step).outputs()).isEqualTo(first.step(step).outputs());
        assertThat(second.step(step).fingerprint()).isEqualTo(first.step(step).fingerprint());
      }
      assertThat(second.output(SPEND)).isEqualTo(first.output(SPEND));
      assertThat(second.summary()).contains("CACHED");

      ran.clear();
      Run changedParam = ws.runner().run(pipeline("basic", 10));
      assertThat(ran).containsExactly("pro", "spend");
      assertThat(changedParam.step("clean").status()).isEqualTo(StepStatus.CACHED);
      assertThat(changedParam.step("pro").status()).isEqualTo(StepStatus.SUCCEEDED);

      ran.clear();
      ws.runner().plan(pipeline("pro", 10)).input(RAW, Rows.of(customers(51))).run();
      assertThat(ran).containsExactly("clean", "pro", "spend");

      ran.clear();
      Run sameDataAgain = ws.runner().plan(pipeline("pro", 10)).input(RAW, Rows.of(customers(40))).run();
      assertThat(ran).as("the first run's outputs still exist").isEmpty();
      assertThat(sameDataAgain.step("spend").status()).isEqualTo(StepStatus.CACHED);
    }
    assertThat(meters.get(OpsMetrics.STEP_CACHE).tags("result", "hit").counters().stream()
        .mapToDouble(c -> c.count()).sum()).isEqualTo(3 + 1 + 3);
    assertThat(meters.get(OpsMetrics.STEP_CACHE).tags("result", "miss").counters().stream()
        .mapToDouble(c -> c.count()).sum()).isEqualTo(3 + 2 + 3);
  }

  @Test
  void aCleaningStepThatTurnsOutTheSameDataLetsDownstreamStepsStayCached() {
    try (Workspace ws = Workspace.inMemory()) {
      ws.runner().plan(pipeline("pro", 10)).input(RAW, Rows.of(customers(40))).run();
      List<Customer> withJunk = new ArrayList<>(customers(40));
      withJunk.add(new Customer("junk", 1, 0.0, "pro"));
      ran.clear();
      Run run = ws.runner().plan(pipeline("pro", 10)).input(RAW, Rows.of(withJunk)).run();
      // clean reruns (its input changed) but writes identical content, so pro's input version is unchanged.
      assertThat(ran).containsExactly("clean");
      assertThat(run.step("pro").status()).isEqualTo(StepStatus.CACHED);
    }
  }

  @Test
  void forceRunsChosenStepsOrAllAnyway() {
    try (Workspace ws = Workspace.inMemory()) {
      ws.runner().plan(pipeline("pro", 10)).input(RAW, Rows.of(customers(40))).run();
      ran.clear();
      Run forced = ws.runner().plan(pipeline("pro", 10)).force("pro").run();
      assertThat(ran).as("pro reruns; its output is identical, so spend stays cached").containsExactly("pro");
      assertThat(forced.step("clean").status()).isEqualTo(StepStatus.CACHED);
      assertThat(forced.step("pro").status()).isEqualTo(StepStatus.SUCCEEDED);
      ran.clear();
      ws.runner().plan(pipeline("pro", 10)).forceAll().run();
      assertThat(ran).containsExactly("clean", "pro", "spend");
      assertThatThrownBy(() -> ws.runner().plan(pipeline("pro", 10)).force("nope"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("force(...) names step 'nope'");
    }
  }

  @Test
  void aChangedCodeVersionReruns() {
    AtomicInteger runs = new AtomicInteger();
    try (Workspace ws = Workspace.inMemory()) {
      for (String version : List.of("v1", "v1", "v2")) {
        Pipeline p = Pipeline.builder("versioned")
            .external(RAW)
            .step("copy", s -> s.reads(RAW).writes(CLEAN).codeVersion(version).apply(rows -> {
              runs.incrementAndGet();
              return rows;
            }))
            .build();
        ws.runner().plan(p).input(RAW, Rows.of(customers(3))).run();
      }
    }
    assertThat(runs).hasValue(2);
  }

  @Test
  void externalInputsDefaultToTheirLatestVersion() {
    try (Workspace ws = Workspace.inMemory()) {
      Catalog.in(ws).commit(RAW, Rows.of(customers(10)));
      Run run = ws.runner().run(pipeline("pro", 0));
      assertThat(run.output(SPEND)).isEqualTo(expectedSpend(customers(10), 0, "pro"));
    }
  }

  @Test
  void anErrorCheckFailsTheProducingStepWithoutRetryAndQuarantinesItsOutput() {
    Dataset<Rows<Customer>> strict = CLEAN.withChecks(Check.rowCount(100, 1000));
    AtomicInteger attempts = new AtomicInteger();
    Pipeline p = Pipeline.builder("strict")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(strict).retries(3).apply(rows -> {
          attempts.incrementAndGet();
          return rows;
        }))
        .step("after", s -> s.reads(strict).writes(PRO).apply(rows -> rows))
        .build();
    try (Workspace ws = Workspace.inMemory()) {
      RunFailedException failure = null;
      try {
        ws.runner().plan(p).input(RAW, Rows.of(customers(10))).run();
      } catch (RunFailedException e) {
        failure = e;
      }
      assertThat(failure).isNotNull();
      assertThat(attempts).hasValue(1);
      assertThat(failure.getCause()).isInstanceOf(DatasetCheckException.class);
      DatasetCheckException cause = (DatasetCheckException) failure.getCause();
      assertThat(cause.report().blocks()).isTrue();
      assertThat(failure.run().step("after").status()).isEqualTo(StepStatus.SKIPPED);
      assertThat(Catalog.in(ws).version("crm/clean", cause.versionId()).status())
          .isEqualTo(VersionStatus.QUARANTINED);
      assertThat(Catalog.in(ws).latest("crm/clean")).isEmpty();
    }
  }

  @Test
  void aFailedRunResumedInAnotherWorkspaceReusesCommittedVersions(@TempDir Path dir) {
    AtomicInteger broken = new AtomicInteger(1);
    String failedId;
    try (Workspace ws = Workspace.local(dir)) {
      try {
        ws.runner().plan(flaky(broken)).input(RAW, Rows.of(customers(10))).run();
        throw new AssertionError("expected a failure");
      } catch (RunFailedException e) {
        failedId = e.run().id();
      }
    }
    broken.set(0);
    ran.clear();
    try (Workspace reopened = Workspace.local(dir)) {
      Run resumed = reopened.runner().resume(flaky(broken), failedId);
      assertThat(resumed.step("clean").status()).isEqualTo(StepStatus.REUSED);
      assertThat(ran).containsExactly("pro");
      assertThat(resumed.output(PRO).count()).isEqualTo(5);
    }
  }

  private Pipeline flaky(AtomicInteger broken) {
    return Pipeline.builder("flaky")
        .external(RAW)
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(rows -> {
          ran.add("clean");
          return rows;
        }))
        .step("pro", s -> s.reads(CLEAN).writes(PRO).apply(rows -> {
          if (broken.get() > 0) {
            throw new IllegalStateException("broken");
          }
          ran.add("pro");
          return rows.filter(c -> c.plan().equals("pro"));
        }))
        .build();
  }
}
