package dev.opskit.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.Executor;
import dev.opskit.run.PlannedStep;
import dev.opskit.run.Run;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunPlan;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepEvent;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepReason.Kind;
import dev.opskit.run.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Composition in runs: empty pipelines, steps without outputs, selections by namespace and dataset, order, hooks. */
class CompositionRunTest {
  private final Dataset<String> raw = Dataset.of("raw", String.class);
  private final Dataset<String> clean = Dataset.of("clean", String.class);
  private final Dataset<String> features = Dataset.of("features", String.class);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final Workspace ws = Workspace.inMemory();

  @AfterEach
  void close() {
    ws.close();
  }

  /** raw (external) -> clean -> features, included under "eu" and "us" with raw kept, plus a notifier. */
  private Pipeline regions() {
    Pipeline sub = Pipeline.builder("features")
        .external(raw)
        .step("clean", s -> s.reads(raw).writes(clean).apply(r -> log("clean", r + ">clean")))
        .step("featurize", s -> s.reads(clean).writes(features).apply(c -> log("featurize", c + ">features")))
        .build();
    return Pipeline.builder("regions")
        .include("eu", sub, raw)
        .include("us", sub, raw)
        .step("notify", s -> s.inputs(Dataset.of("eu/features", String.class), Dataset.of("us/features", String.class))
            .run(ctx -> ran.add("notify")))
        .build();
  }

  private String log(String step, String value) {
    ran.add(step);
    return value;
  }

  @Test
  void anEmptyPipelineRunsAsANoOpThatRecordsARun() {
    Pipeline empty = Pipeline.builder("nothing").build();

    Run run = ws.runner().run(empty);

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.steps()).isEmpty();
    assertThat(ws.runs().pipeline("nothing").count()).isEqualTo(1);
    assertThat(ws.runner().plan(empty).explain().steps()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aStepWithoutOutputsRunsAfterItsInputsEveryTime(boolean parallel) {
    try (Executor executor = parallel ? Executor.parallel(3) : Executor.direct()) {
      Run run = ws.runner().plan(regions()).executor(executor).input(raw, "r").run();

      assertThat(ran.get(ran.size() - 1)).isEqualTo("notify");
      assertThat(run.step("notify").status().name()).isEqualTo("SUCCEEDED");
      assertThat(run.step("notify").outputs()).isEmpty();
      assertThat(run.step("notify").why()).contains(StepReason.of(Kind.NOT_CACHEABLE));
    }
  }

  @Test
  void selectByNamespace() {
    Run run = ws.runner().plan(regions()).inNamespace("eu").input(raw, "r").run();

    assertThat(run.steps()).extracting(StepRecord::step).containsExactly("eu.clean", "eu.featurize");
  }

  @Test
  void anUnknownNamespaceSuggestsTheClosest() {
    assertThatThrownBy(() -> ws.runner().plan(regions()).inNamespace("ue").run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inNamespace(...) names namespace 'ue', which pipeline 'regions' does not have; did you mean "
            + "'us' or 'eu'? known namespaces: [eu, us]");
  }

  @Test
  void selectFromInputsAndToOutputs() {
    Run from = ws.runner().plan(regions()).fromInputs("us/clean").input(Dataset.of("us/clean", String.class), "c")
        .input(Dataset.of("eu/features", String.class), "e").run();
    assertThat(from.steps()).extracting(StepRecord::step).containsExactly("us.featurize", "notify");

    Run to = ws.runner().plan(regions()).toOutputs("eu/features").input(raw, "r").run();
    assertThat(to.steps()).extracting(StepRecord::step).containsExactly("eu.clean", "eu.featurize");
  }

  @Test
  void anUnknownDatasetInASelectionSuggestsTheClosest() {
    assertThatThrownBy(() -> ws.runner().plan(regions()).toOutputs("eu/feature").run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("toOutputs(...) names dataset 'eu/feature', which pipeline 'regions' does not have; did you mean "
            + "'eu/features' or 'us/features'? known datasets: [eu/clean, eu/features, raw, us/clean, us/features]");
  }

  @Test
  void pipelineTagsSelectTheStepsOfAnIncludedPipeline() {
    Pipeline tagged = Pipeline.builder("tagged").tags("nightly")
        .step("a", s -> s.writes(raw).apply(() -> "a")).build();
    Pipeline outer = Pipeline.builder("outer").include(tagged)
        .step("b", s -> s.reads(raw).writes(clean).apply(x -> x)).build();

    Run run = ws.runner().plan(outer).withTags("nightly").run();

    assertThat(run.steps()).extracting(StepRecord::step).containsExactly("a");
  }

  @Test
  void withoutACatalogExplainSaysEveryStepRunsAndWhichAreLeftOut() {
    RunPlan plan = ws.runner().plan(regions()).inNamespace("us").force("us.clean").input(raw, "r").explain();

    assertThat(plan.steps()).extracting(PlannedStep::step).containsExactly(regions().steps().stream()
        .map(Step::name).toArray(String[]::new));
    assertThat(plan.step("eu.clean").orElseThrow().reason()).isEqualTo(StepReason.of(Kind.NOT_SELECTED));
    assertThat(plan.step("us.clean").orElseThrow().reason()).isEqualTo(StepReason.of(Kind.FORCED));
    assertThat(plan.step("us.featurize").orElseThrow().reason()).isEqualTo(StepReason.of(Kind.NOT_CACHEABLE));
    assertThat(plan.toRun()).containsExactly("us.clean", "us.featurize");
    assertThat(ran).isEmpty();
  }

  @Test
  void skippedStepsRecordNoReason() {
    Pipeline p = Pipeline.builder("p")
        .step("boom", s -> s.writes(raw).apply(() -> {
          throw new IllegalStateException("boom");
        }))
        .step("after", s -> s.reads(raw).writes(clean).apply(x -> x))
        .build();

    Run run = assertFails(p);

    assertThat(run.step("boom").why()).contains(StepReason.of(Kind.NOT_CACHEABLE));
    assertThat(run.step("after").why()).isEmpty();
  }

  private Run assertFails(Pipeline p) {
    try {
      ws.runner().run(p);
    } catch (dev.opskit.run.RunFailedException e) {
      return e.run();
    }
    throw new AssertionError("the run should have failed");
  }

  @Test
  void theErrorHookReceivesTheStepsInputs() {
    List<Map<String, Object>> seen = new ArrayList<>();
    Pipeline p = Pipeline.builder("p")
        .external(raw)
        .step("clean", s -> s.reads(raw).writes(clean).apply(r -> r + "!"))
        .step("fail", s -> s.reads(raw, clean).writes(features).apply((r, c) -> {
          throw new IllegalStateException("bad " + c);
        }))
        .build();
    RunListener hook = new RunListener() {
      @Override
      public void onStepError(StepEvent event, Throwable error, Map<String, Object> inputs) {
        seen.add(Map.copyOf(inputs));
      }
    };

    try {
      ws.runner().plan(p).input(raw, "r").listener(hook).run();
    } catch (dev.opskit.run.RunFailedException expected) {
      // the step fails on purpose
    }

    assertThat(seen).containsExactly(Map.of("raw", "r", "clean", "r!"));
  }

  @Test
  void theTwoArgumentErrorHookStillFires() {
    List<String> seen = new ArrayList<>();
    Pipeline p = Pipeline.builder("p").step("fail", s -> s.writes(raw).apply(() -> {
      throw new IllegalStateException("x");
    })).build();
    RunListener hook = new RunListener() {
      @Override
      public void onStepError(StepEvent event, Throwable error) {
        seen.add(event.step());
      }
    };

    try {
      ws.runner().plan(p).listener(hook).run();
    } catch (dev.opskit.run.RunFailedException expected) {
      // the step fails on purpose
    }

    assertThat(seen).containsExactly("fail");
  }

  /** Random DAGs: the direct executor starts steps in exactly the order of Pipeline.steps(). */
  @Test
  void theDirectExecutorRunsStepsInExactlyTheOrderOfSteps() {
    Random random = new Random(42);
    for (int trial = 0; trial < 30; trial++) {
      int n = 2 + random.nextInt(40);
      List<Dataset<String>> outs = new ArrayList<>();
      List<String> order = new CopyOnWriteArrayList<>();
      var builder = Pipeline.builder("dag" + trial);
      for (int i = 0; i < n; i++) {
        // Declared in reverse so that declaration order and the topological order differ.
        outs.add(Dataset.of("d" + i, String.class));
      }
      for (int i = n - 1; i >= 0; i--) {
        List<Dataset<?>> ins = new ArrayList<>();
        for (int j = 0; j < i; j++) {
          if (random.nextInt(4) == 0) {
            ins.add(outs.get(j));
          }
        }
        String name = "s" + i;
        Dataset<String> out = outs.get(i);
        builder.step(name, s -> s.inputs(ins.toArray(new Dataset<?>[0])).outputs(out).run(ctx -> {
          order.add(name);
          ctx.output(out, name);
        }));
      }
      Pipeline p = builder.build();

      ws.runner().run(p);

      assertThat(order).as("trial %d", trial).containsExactlyElementsOf(p.steps().stream().map(Step::name).toList());
    }
  }
}
