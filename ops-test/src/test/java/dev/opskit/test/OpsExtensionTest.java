package dev.opskit.test;

import static dev.opskit.test.OpsAssertions.assertThat;
import static dev.opskit.test.OpsAssertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.StepReason;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The extension gives every test a fresh, injected environment on a manual clock, and closes it after. */
@OpsTest
class OpsExtensionTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final List<Workspace> EARLIER = new ArrayList<>();

  /** A record of the tests: one number. */
  record Score(double value) {}

  Workspace workspace;
  ManualClock clock;
  RecordingListener recorder;
  Executor executor;
  ModelRegistry registry;
  Catalog catalog;
  private final ManualClock mine = ManualClock.at(Instant.parse("2000-01-01T00:00:00Z"));
  private Workspace seenInBeforeEach;

  @BeforeEach
  void lifecycleMethodsReceiveParametersToo(Workspace ws) {
    seenInBeforeEach = ws;
  }

  @Test
  void fieldsAndParametersHoldTheSameInstancesOfTheTest(Workspace ws, ManualClock c, RecordingListener r, Executor e,
      ModelRegistry reg, Catalog cat) {
    assertThat(ws).isSameAs(workspace).isSameAs(seenInBeforeEach);
    assertThat(c).isSameAs(clock);
    assertThat(r).isSameAs(recorder);
    assertThat(e).isSameAs(executor).isSameAs(Executor.direct());
    assertThat(reg).isSameAs(registry);
    assertThat(cat).isSameAs(catalog);
    assertThat(workspace.clock()).as("the manual clock is the workspace's clock").isSameAs(clock);
    assertThat(clock.instant()).isEqualTo(Instant.parse(OpsTest.DEFAULT_START));
  }

  @Test
  void finalFieldsAreLeftAlone() {
    assertThat(mine).isNotSameAs(clock);
    assertThat(mine.instant()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
  }

  @RepeatedTest(3)
  void everyTestStartsFromAFreshEnvironment(RepetitionInfo repetition) {
    if (repetition.getCurrentRepetition() == 1) {
      EARLIER.clear();
    }
    assertThat(clock.instant()).isEqualTo(Instant.parse(OpsTest.DEFAULT_START));
    assertThat(clock.pending()).isEmpty();
    assertThat(recorder.events()).isEmpty();
    assertThat(workspace.runs().list().items()).isEmpty();
    assertThat(registry.models(10, 0).items()).isEmpty();
    assertThat(catalog.latest("scores")).isEmpty();
    for (Workspace earlier : EARLIER) {
      assertThat(earlier).isNotSameAs(workspace);
      assertThatThrownBy(earlier::runner).as("an earlier test's workspace is closed")
          .isInstanceOf(OpsException.class).hasMessageContaining("the workspace is closed");
    }
    EARLIER.add(workspace);

    Dataset<Score> scores = Datasets.json("scores", Score.class);
    workspace.runner().run(Pipeline.builder("leave-traces").step("score", s -> s.writes(scores)
        .apply(() -> new Score(repetition.getCurrentRepetition()))).build());
    registry.register("churn", new Score(1), ModelCodecs.json(Score.class), Actor.of("ci"));
    clock.advance(Duration.ofHours(1));
    assertThat(catalog.latest("scores")).isPresent();
  }

  @Test
  void theClockDrivesARetryBackoffWithoutSleeping() throws Exception {
    Dataset<Integer> model = Dataset.of("model", Integer.class);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p = Pipeline.builder("training")
        .step("train", s -> s.writes(model).retry(RetryPolicy.exponential(3, Duration.ofMinutes(1))).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            throw new IOException("the GPU went away");
          }
          return 7;
        }))
        .build();
    RunHandle handle = workspace.runner().start(p);
    assertThat(clock.awaitPending(1, BOUND)).as("the retry waits on the clock").isTrue();
    assertThat(clock.pending()).containsExactly(Instant.parse(OpsTest.DEFAULT_START).plus(Duration.ofMinutes(1)));
    clock.advance(Duration.ofSeconds(59));
    assertThat(calls).hasValue(1);
    assertThat(handle.isDone()).isFalse();
    clock.advance(Duration.ofSeconds(1));

    Run run = handle.await(BOUND).orElseThrow();
    assertThat(run).succeeded().hasOutput(model, 7)
        .step("train").hadAttempts(2).hasDuration(Duration.ofMinutes(1));
    assertThat(recorder.eventsNamed("onStepRetry")).singleElement()
        .satisfies(e -> assertThat(e.delay()).contains(Duration.ofMinutes(1)));
  }

  @Test
  void theRecorderSeesEveryCallbackOfEveryRun() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Dataset<Integer> b = Dataset.of("b", Integer.class);
    Pipeline p = Pipeline.builder("two-steps")
        .step("first", s -> s.writes(a).apply(() -> 1))
        .step("second", s -> s.reads(a).writes(b).apply(x -> x + 1))
        .build();
    Run run = workspace.runner().run(p);

    assertThat(recorder.names()).first().isEqualTo("beforePipelineRun");
    assertThat(recorder.names()).last().isEqualTo("afterPipelineRun");
    assertThat(recorder.namesOf("second")).containsExactly("beforeStepRun", "beforeDatasetLoad", "afterDatasetLoad",
        "afterStepRun", "beforeDatasetSave", "afterDatasetSave", "afterStepCommitted", "onStepFinished");
    assertThat(recorder.eventsOf("second")).allSatisfy(e -> {
      assertThat(e.runId()).isEqualTo(run.id());
      assertThat(e.pipeline()).isEqualTo("two-steps");
      assertThat(e.time()).isEqualTo(clock.instant());
    });
    assertThat(recorder.eventsNamed("beforeDatasetLoad")).singleElement()
        .satisfies(e -> assertThat(e.dataset()).contains("a"));
    assertThat(recorder.eventsNamed("onStepFinished")).extracting(e -> e.record().orElseThrow().step())
        .containsExactly("first", "second");
    assertThat(recorder.eventsNamed("beforePipelineRun")).singleElement()
        .satisfies(e -> assertThat(e.info().orElseThrow().steps()).containsExactly("first", "second"));
    assertThat(recorder.count("beforeStepRun")).isEqualTo(2);
    assertThat(recorder.runs()).containsExactly(run);
    assertThat(recorder.lastRun()).containsSame(run);
    assertThat(recorder.toString()).contains("onStepFinished second#1 SUCCEEDED", "afterPipelineRun two-steps");

    recorder.clear();
    assertThat(recorder.events()).isEmpty();
    assertThat(recorder.lastRun()).isEmpty();
  }

  @Test
  void theRecorderSeesFailuresWithTheirErrors() {
    Dataset<Integer> a = Dataset.of("a", Integer.class);
    Pipeline p = Pipeline.builder("broken")
        .step("boom", s -> s.writes(a).apply(() -> {
          throw new IllegalStateException("boom");
        }))
        .build();
    assertThatThrownBy(() -> workspace.runner().run(p)).isInstanceOf(OpsException.class);
    assertThat(recorder.namesOf("boom")).containsExactly("beforeStepRun", "onStepError", "onStepFinished");
    assertThat(recorder.eventsNamed("onStepError")).singleElement()
        .satisfies(e -> assertThat(e.error()).containsInstanceOf(IllegalStateException.class));
    assertThat(recorder.names()).endsWith("onPipelineError", "afterPipelineRun");
  }

  @Test
  void versionedOutputsGoThroughTheCatalogSoAnUnchangedStepIsCached() {
    Dataset<Score> raw = Datasets.json("raw", Score.class);
    Dataset<Score> features = Datasets.json("features", Score.class);
    AtomicInteger featureRuns = new AtomicInteger();
    Pipeline p = Pipeline.builder("incremental")
        .step("load", s -> s.writes(raw).apply(() -> new Score(2)))
        .step("features", s -> s.reads(raw).writes(features).apply(r -> {
          featureRuns.incrementAndGet();
          return new Score(r.value() * 10);
        }))
        .build();
    Run first = workspace.runner().run(p);
    Run second = workspace.runner().run(p);

    assertThat(first).succeeded().step("features").succeeded().committed("features");
    // load is a source, which runs every time; its output is the same, so features stays cached.
    assertThat(second).succeeded().step("load").succeeded().ranBecause(StepReason.Kind.SOURCE)
        .step("features").wasCached().ranBecause(StepReason.Kind.CACHED);
    assertThat(featureRuns).hasValue(1);
    assertThat(catalog.latest("features").orElseThrow()).isCommitted().wasProducedBy("features");
    assertThat(catalog.read(features, first.step("features").outputs().get("features"))).isEqualTo(new Score(20));
  }

  @Test
  void theRegistryIsBuiltOnTheTestWorkspace() {
    registry.register("churn", new Score(0.9), ModelCodecs.json(Score.class), Actor.of("ci"));
    try (ModelRegistry other = ModelRegistry.in(workspace)) {
      assertThat(other).model("churn").hasVersions(1);
    }
  }

  @Nested
  class InANestedClass {
    Workspace nestedWorkspace;
    RecordingListener nestedRecorder;

    @Test
    void fieldsOfTheNestedAndTheEnclosingInstanceAreInjected(ManualClock c) {
      assertThat(nestedWorkspace).isSameAs(workspace);
      assertThat(nestedRecorder).isSameAs(recorder);
      assertThat(c).isSameAs(clock);
    }
  }
}
