package dev.opskit.examples;

import static dev.opskit.test.OpsAssertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.examples.Churn.Customer;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.test.OpsTest;
import dev.opskit.test.RecordingListener;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a user tests their own pipeline with ops-test: {@code @OpsTest} gives each test a fresh in-memory workspace on a
 * manual clock, with a recording listener, a registry and a catalog; {@code OpsAssertions} reads like the run report.
 * This is the {@code TestingYourPipeline} example the README links to.
 */
@OpsTest(start = "2026-03-01T09:00:00Z")
class TestingYourPipelineTest {
  Workspace workspace;
  ManualClock clock;
  ModelRegistry registry;
  Catalog catalog;

  @Test
  void theTrainingPipelineSucceedsAndItsDataPassesItsChecks() {
    Run run = workspace.runner().run(QuickStart.training(20));

    assertThat(run).succeeded().hasSteps("ingest", "clean", "features", "train", "evaluate")
        .step("train").succeeded().hadAttempts(1).committed("churn/model");
    assertThat(catalog.latest("customers/raw").orElseThrow()).isCommitted().passedChecks().wasProducedBy("ingest")
        .hasRows(5000);
  }

  @Test
  void aSecondRunOfTheSamePipelineIsServedFromCache(RecordingListener events) {
    workspace.runner().run(QuickStart.training(20));
    events.clear();

    Run again = workspace.runner().run(QuickStart.training(20));

    // ingest is a source, which runs every time; it writes the same data, so every step after it is cached.
    assertThat(again).succeeded().step("ingest").succeeded().step("clean").wasCached().step("train").wasCached()
        .step("evaluate").wasCached();
    assertThat(events.count("beforeStepRun")).isEqualTo(1);
  }

  @Test
  void changingAParameterRerunsOnlyTheStepsItReaches() {
    workspace.runner().run(QuickStart.training(20));

    Run retrained = workspace.runner().run(QuickStart.training(40));

    assertThat(retrained).succeeded().step("features").wasCached().step("train").succeeded()
        .step("evaluate").succeeded();
  }

  @Test
  void duplicateIdsAreQuarantinedAndStopThePipeline() {
    Dataset<Rows<Customer>> raw = Datasets.jsonLines("customers/raw", Customer.class)
        .withChecks(dev.opskit.data.check.Check.unique("id"));
    Dataset<Rows<Customer>> clean = Datasets.jsonLines("customers/clean", Customer.class);
    Pipeline pipeline = Pipeline.builder("ingest-twice")
        .step("ingest", s -> s.writes(raw).apply(() -> Rows.of(List.of(new Customer("c1", 3, 20.0, 0, false),
            new Customer("c1", 5, 30.0, 1, true)))))
        .step("clean", s -> s.reads(raw).writes(clean).apply(Churn::clean))
        .build();

    Run run = runExpectingFailure(pipeline);

    assertThat(run).failed().step("ingest").failed().hasErrorMessageContaining("unique(id)")
        .step("clean").wasSkipped();
    assertThat(catalog.latest("customers/raw")).isEmpty();
  }

  @Test
  void aFlakySourceIsRetriedAfterItsBackoffOnTheTestsClock() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Dataset<Integer> prices = Dataset.of("prices", Integer.class);
    Pipeline pipeline = Pipeline.builder("prices")
        .step("fetch", s -> s.writes(prices).retry(RetryPolicy.fixed(3, Duration.ofMinutes(5))).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("price service unavailable");
          }
          return 42;
        }))
        .build();

    RunHandle handle = workspace.runner().start(pipeline);
    assertThat(clock.awaitPending(1, Duration.ofSeconds(10))).as("the retry is scheduled on the clock").isTrue();
    assertThat(calls).hasValue(1);
    clock.advance(Duration.ofMinutes(5));

    assertThat(handle.await()).succeeded().hasOutput(prices, 42).step("fetch").hadAttempts(2);
  }

  @Test
  void aModelPromotedThroughItsGatesIsInProductionAndAudited() {
    Run run = workspace.runner().run(QuickStart.training(100));
    Actor ci = Actor.of("ci");
    double auc = run.output(QuickStart.AUC);
    ModelVersion v = registry.registration("churn", run.output(QuickStart.MODEL), QuickStart.CODEC)
        .provenance(Provenance.builder().pipelineRun(run).metric("auc", auc).build()).by(ci).register();

    registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(ci).gates(Gates.metricAtLeast("auc", 0.75))
        .execute();

    assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasVersion(1);
    assertThat(registry.audit("churn")).verifies().containsAction("PROMOTE");
  }

  @Test
  void aModelBelowTheThresholdIsRejectedWithTheGatesEvidence() {
    Actor ci = Actor.of("ci");
    ModelVersion v = registry.registration("churn", new Churn.Model(List.of(0.0, 0.0, 0.0, 0.0)), QuickStart.CODEC)
        .provenance(Provenance.builder().metric("auc", 0.5).build()).by(ci).register();

    PromotionRejectedException rejected = org.assertj.core.api.Assertions.catchThrowableOfType(
        PromotionRejectedException.class, () -> registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(ci)
            .gates(Gates.metricAtLeast("auc", 0.75)).execute());

    assertThat(rejected.report().gates()).singleElement()
        .satisfies(g -> assertThat(g.message()).contains("auc = 0.5000"));
    assertThat(registry).model("churn").inStage(Stage.PRODUCTION).hasNoVersion();
  }

  private Run runExpectingFailure(Pipeline pipeline) {
    try {
      return workspace.runner().start(pipeline).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
