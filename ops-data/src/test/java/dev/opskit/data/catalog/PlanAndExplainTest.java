package dev.opskit.data.catalog;

import static dev.opskit.data.catalog.IncrementalRunTest.CLEAN;
import static dev.opskit.data.catalog.IncrementalRunTest.PRO;
import static dev.opskit.data.catalog.IncrementalRunTest.RAW;
import static dev.opskit.data.catalog.IncrementalRunTest.SPEND;
import static dev.opskit.data.catalog.IncrementalRunTest.customers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Rows;
import dev.opskit.pipeline.Freshness;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Executor;
import dev.opskit.run.PlannedStep;
import dev.opskit.run.Run;
import dev.opskit.run.RunPlan;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepReason.Kind;
import dev.opskit.run.StepStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner with a catalog: explain() before a run, the reasons recorded during one, sources and freshness rules.
 * The pipeline: load (a source of crm/raw) -> clean(minSpend) -> pro(plan) -> spend.
 */
class PlanAndExplainTest {
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> token = new AtomicReference<>("etag-1");
  private final Workspace ws = Workspace.inMemory();
  private Executor executor = Executor.direct();

  @AfterEach
  void close() {
    ws.close();
  }

  private Pipeline pipeline(double minSpend, String plan, String code, Freshness loadRule, Freshness cleanRule) {
    return Pipeline.builder("crm")
        .step("load", s -> {
          var b = s.writes(RAW).apply(() -> {
            ran.add("load");
            return Rows.of(customers(40));
          });
          if (loadRule != null) {
            b.freshness(loadRule);
          }
        })
        .step("clean", s -> {
          var b = s.reads(RAW).writes(CLEAN).param("minSpend", minSpend).codeVersion(code).apply(rows -> {
            ran.add("clean");
            return rows.filter(c -> c.spend() >= minSpend);
          });
          if (cleanRule != null) {
            b.freshness(cleanRule);
          }
        })
        .step("pro", s -> s.reads(CLEAN).writes(PRO).param("plan", plan).apply(rows -> {
          ran.add("pro");
          return rows.filter(c -> c.plan().equals(plan));
        }))
        .step("spend", s -> s.reads(PRO).writes(SPEND).apply(rows -> {
          ran.add("spend");
          double total = 0;
          for (var c : rows) {
            total += c.spend();
          }
          return total;
        }))
        .build();
  }

  /** The source has a probe that stays the same, so that plans can see past it. */
  private Pipeline pipeline(double minSpend, String plan) {
    return pipeline(minSpend, plan, "v1", Freshness.probe(token::get), null);
  }

  /** The source has no freshness rule: it runs every time. */
  private Pipeline plainSource(double minSpend, String plan) {
    return pipeline(minSpend, plan, "v1", null, null);
  }

  private Run run(Pipeline p) {
    ran.clear();
    return ws.runner().plan(p).executor(executor).run();
  }

  private static StepReason reason(RunPlan plan, String step) {
    return plan.step(step).orElseThrow().reason();
  }

  @Test
  void beforeTheFirstRunEveryStepRunsBecauseItNeverRan() {
    RunPlan plan = ws.runner().plan(plainSource(10, "pro")).explain();

    assertThat(reason(plan, "load")).isEqualTo(StepReason.of(Kind.SOURCE));
    assertThat(reason(plan, "clean")).isEqualTo(StepReason.of(Kind.NEVER_RAN));
    assertThat(plan.toRun()).containsExactly("load", "clean", "pro", "spend");
    assertThat(ran).as("explain runs nothing").isEmpty();
    assertThat(Catalog.in(ws).latest("crm/raw")).as("and writes nothing").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aSourceRunsEveryTimeAndItsUnchangedOutputLetsTheRestStayCached(boolean parallel) throws Exception {
    executor = parallel ? Executor.parallel(3) : Executor.direct();
    try {
      Run first = run(plainSource(10, "pro"));
      assertThat(first.step("load").why()).contains(StepReason.of(Kind.SOURCE));
      assertThat(first.step("clean").why()).contains(StepReason.of(Kind.NEVER_RAN));

      RunPlan plan = ws.runner().plan(plainSource(10, "pro")).explain();
      assertThat(reason(plan, "load")).isEqualTo(StepReason.of(Kind.SOURCE));
      assertThat(reason(plan, "clean")).isEqualTo(new StepReason(Kind.INPUT_PENDING, "crm/raw", "", "load"));
      assertThat(reason(plan, "clean").message())
          .isEqualTo("runs: input 'crm/raw' is produced in this run by step 'load', so its version is not known yet");
      Run second = run(plainSource(10, "pro"));

      assertThat(ran).containsExactly("load");
      assertThat(second.step("load").status()).isEqualTo(StepStatus.SUCCEEDED);
      for (String step : List.of("clean", "pro", "spend")) {
        assertThat(second.step(step).status()).isEqualTo(StepStatus.CACHED);
        assertThat(second.step(step).why()).contains(StepReason.of(Kind.CACHED, first.id()));
      }
    } finally {
      if (parallel) {
        ((AutoCloseable) executor).close();
      }
    }
  }

  @Test
  void aParameterChangeNamesTheKeyWithItsOldAndNewValues() {
    Run first = run(pipeline(10, "pro"));
    RunPlan plan = ws.runner().plan(pipeline(10, "basic")).explain();

    assertThat(reason(plan, "load")).isEqualTo(StepReason.of(Kind.CACHED, first.id()));
    assertThat(reason(plan, "clean")).isEqualTo(StepReason.of(Kind.CACHED, first.id()));
    assertThat(plan.step("clean").orElseThrow().outputs()).isEqualTo(first.step("clean").outputs());
    assertThat(reason(plan, "pro")).isEqualTo(new StepReason(Kind.PARAMETER_CHANGED, "plan", "\"pro\"", "\"basic\""));
    assertThat(reason(plan, "pro").message()).isEqualTo("runs: parameter 'plan' changed from \"pro\" to \"basic\"");
    assertThat(reason(plan, "spend")).isEqualTo(new StepReason(Kind.INPUT_PENDING, "crm/pro", "", "pro"));

    Run second = run(pipeline(10, "basic"));
    assertThat(second.step("pro").why()).contains(reason(plan, "pro"));
    StepReason spend = second.step("spend").why().orElseThrow();
    assertThat(spend.kind()).isEqualTo(Kind.INPUT_CHANGED);
    assertThat(spend.subject()).isEqualTo("crm/pro");
    assertThat(spend.before()).isEqualTo(first.step("pro").outputs().get("crm/pro"));
    assertThat(spend.after()).isEqualTo(second.step("pro").outputs().get("crm/pro"));
  }

  @Test
  void anAddedParameterIsNamedWithoutAnOldValue() {
    run(pipeline(10, "pro"));
    Pipeline withExtra = Pipeline.builder("crm")
        .step("load", s -> s.writes(RAW).freshness(Freshness.probe(token::get)).apply(() -> Rows.of(customers(40))))
        .step("clean", s -> s.reads(RAW).writes(CLEAN).param("minSpend", 10.0).param("strict", false).codeVersion("v1")
            .apply(rows -> rows.filter(c -> c.spend() >= 10)))
        .build();

    RunPlan plan = ws.runner().plan(withExtra).explain();

    assertThat(reason(plan, "clean")).isEqualTo(new StepReason(Kind.PARAMETER_CHANGED, "strict", "", "false"));
    assertThat(reason(plan, "clean").message()).isEqualTo("runs: parameter 'strict' changed from (absent) to false");
  }

  @Test
  void aCodeChangeNamesBothVersions() {
    run(pipeline(10, "pro"));

    RunPlan plan = ws.runner().plan(pipeline(10, "pro", "v2", Freshness.probe(token::get), null)).explain();

    assertThat(reason(plan, "clean")).isEqualTo(new StepReason(Kind.CODE_CHANGED, "", "v1", "v2"));
  }

  @Test
  void anInputVersionChangeNamesTheDatasetAndBothVersions() {
    Pipeline p = Pipeline.builder("crm2").external(RAW)
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(rows -> rows)).build();
    Catalog catalog = Catalog.in(ws);
    String v1 = catalog.commit(RAW, Rows.of(customers(5))).id();
    ws.runner().run(p);
    String v2 = catalog.commit(RAW, Rows.of(customers(6))).id();

    RunPlan plan = ws.runner().plan(p).explain();

    assertThat(reason(plan, "clean")).isEqualTo(new StepReason(Kind.INPUT_CHANGED, "crm/raw", v1, v2));
    Run run = ws.runner().run(p);
    assertThat(run.step("clean").why()).contains(reason(plan, "clean"));
  }

  @Test
  void aDeletedOutputMakesTheStepRunNamingTheOutput() {
    Run first = run(pipeline(10, "pro"));
    String proVersion = first.step("pro").outputs().get("crm/pro");
    ws.blobs().delete(proVersion);

    RunPlan plan = ws.runner().plan(pipeline(10, "pro")).explain();

    assertThat(reason(plan, "clean").kind()).isEqualTo(Kind.CACHED);
    assertThat(reason(plan, "pro")).isEqualTo(StepReason.of(Kind.OUTPUT_MISSING, "crm/pro"));
    assertThat(run(pipeline(10, "pro")).step("pro").why()).contains(StepReason.of(Kind.OUTPUT_MISSING, "crm/pro"));
    assertThat(ran).containsExactly("pro");
  }

  @Test
  void aProbeKeepsASourceCachedUntilItsTokenChanges() {
    Freshness probe = Freshness.probe(token::get);
    Run first = run(pipeline(10, "pro", "v1", probe, null));
    assertThat(first.step("load").why()).contains(StepReason.of(Kind.NEVER_RAN));

    Run second = run(pipeline(10, "pro", "v1", probe, null));
    assertThat(ran).isEmpty();
    assertThat(second.step("load").why()).contains(StepReason.of(Kind.CACHED, first.id()));

    token.set("etag-2");
    RunPlan plan = ws.runner().plan(pipeline(10, "pro", "v1", probe, null)).explain();
    assertThat(reason(plan, "load")).isEqualTo(new StepReason(Kind.FRESHNESS_CHANGED, "", "etag-1", "etag-2"));
    run(pipeline(10, "pro", "v1", probe, null));
    assertThat(ran).containsExactly("load");
  }

  @Test
  void aFailingProbeMakesTheStepRunSayingWhy() {
    Freshness broken = Freshness.probe(() -> {
      throw new java.io.IOException("export.csv is gone");
    });

    Run run = run(pipeline(10, "pro", "v1", broken, null));

    assertThat(run.step("load").why()).contains(StepReason.of(Kind.PROBE_FAILED, "export.csv is gone"));
  }

  @Test
  void alwaysRunsEvenAStepWithInputs() {
    run(pipeline(10, "pro", "v1", null, Freshness.always()));
    Run second = run(pipeline(10, "pro", "v1", null, Freshness.always()));

    assertThat(ran).containsExactly("load", "clean");
    assertThat(second.step("load").why()).contains(StepReason.of(Kind.SOURCE));
    assertThat(second.step("clean").why()).contains(StepReason.of(Kind.ALWAYS));
  }

  @Test
  void aFrozenStepKeepsItsOutputsWhateverChangesUntilUnfrozen() {
    Run first = run(pipeline(10, "pro", "v1", null, Freshness.frozen()));

    RunPlan plan = ws.runner().plan(pipeline(20, "pro", "v2", null, Freshness.frozen())).explain();
    assertThat(reason(plan, "clean")).isEqualTo(StepReason.of(Kind.FROZEN, first.id()));
    assertThat(reason(plan, "pro")).isEqualTo(StepReason.of(Kind.CACHED, first.id()));
    Run frozen = run(pipeline(20, "pro", "v2", null, Freshness.frozen()));
    assertThat(ran).containsExactly("load");
    assertThat(frozen.step("clean").status()).isEqualTo(StepStatus.CACHED);
    assertThat(frozen.step("clean").outputs()).isEqualTo(first.step("clean").outputs());

    Run unfrozen = run(pipeline(20, "pro", "v2", null, null));
    assertThat(unfrozen.step("clean").why()).contains(new StepReason(Kind.CODE_CHANGED, "", "v1", "v2"));
  }

  @Test
  void forcedStepsSayTheyAreForcedAndForceDownstreamNamesTheStep() {
    Run first = run(pipeline(10, "pro"));

    RunPlan plan = ws.runner().plan(pipeline(10, "pro")).forceDownstream("clean").explain();
    assertThat(plan.steps()).extracting(PlannedStep::reason).containsExactly(StepReason.of(Kind.CACHED, first.id()),
        StepReason.of(Kind.FORCED), StepReason.of(Kind.FORCED, "clean"), StepReason.of(Kind.FORCED, "clean"));
    ran.clear();
    Run run = ws.runner().plan(pipeline(10, "pro")).forceDownstream("clean").run();
    assertThat(ran).containsExactly("clean", "pro", "spend");
    assertThat(run.step("spend").why()).contains(StepReason.of(Kind.FORCED, "clean"));
  }

  @Test
  void stepsLeftOutOfTheSelectionAreNotSelected() {
    run(pipeline(10, "pro"));

    RunPlan plan = ws.runner().plan(pipeline(10, "pro")).from("pro").explain();

    assertThat(reason(plan, "load")).isEqualTo(StepReason.of(Kind.NOT_SELECTED));
    assertThat(reason(plan, "clean")).isEqualTo(StepReason.of(Kind.NOT_SELECTED));
    assertThat(reason(plan, "pro").kind()).isEqualTo(Kind.CACHED);
    assertThat(plan.toString()).contains("load: not selected\n");
  }

  @Test
  void explainDoesNotSpendTheRequest() {
    var request = ws.runner().plan(pipeline(10, "pro"));
    RunPlan plan = request.explain();
    Run run = request.run();

    for (PlannedStep step : plan.steps()) {
      if (step.reason().kind() != Kind.INPUT_PENDING) {
        assertThat(run.step(step.step()).why()).contains(step.reason());
      }
    }
  }

  @Test
  void reasonsAreStoredWithTheRunAndExplainedAgainInANewProcess(@TempDir java.nio.file.Path dir) {
    String firstId;
    try (Workspace local = Workspace.local(dir)) {
      firstId = local.runner().run(pipeline(10, "pro")).id();
    }
    try (Workspace reopened = Workspace.local(dir)) {
      Run stored = reopened.run(firstId).orElseThrow();
      assertThat(stored.step("load").why()).contains(StepReason.of(Kind.NEVER_RAN));
      RunPlan plan = reopened.runner().plan(pipeline(10, "basic")).explain();
      assertThat(reason(plan, "clean")).isEqualTo(StepReason.of(Kind.CACHED, firstId));
      assertThat(reason(plan, "pro")).isEqualTo(new StepReason(Kind.PARAMETER_CHANGED, "plan", "\"pro\"",
          "\"basic\""));
      Run second = reopened.runner().run(pipeline(10, "basic"));
      assertThat(reopened.run(second.id()).orElseThrow().step("pro").why()).contains(reason(plan, "pro"));
    }
  }
}
