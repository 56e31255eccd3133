package dev.opskit.ml.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.lifecycle.LifecycleReport.Outcome;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.StepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelLifecycleTest {
  /** A row: x and a label. */
  public record Point(double x, boolean label) {}

  /** A threshold model. */
  public record Threshold(double cut) {}

  static final Dataset<Rows<Point>> RAW = Datasets.jsonLines("points/raw", Point.class);
  static final Dataset<Rows<Point>> HOLDOUT = Datasets.jsonLines("points/holdout", Point.class);
  static final Dataset<Threshold> MODEL = Datasets.json("points/model", Threshold.class);

  final AtomicInteger trainings = new AtomicInteger();

  Pipeline training() {
    return Pipeline.builder("points-training")
        .external(RAW)
        .step("train", s -> s.reads(RAW).writes(MODEL).apply(rows -> {
          trainings.incrementAndGet();
          double sum = 0;
          long n = 0;
          for (Point p : rows) {
            sum += p.x();
            n++;
          }
          return new Threshold(sum / n);
        }))
        .build();
  }

  static double accuracy(Threshold model, Rows<Point> rows) {
    long right = 0;
    long all = 0;
    for (Point p : rows) {
      right += (p.x() > model.cut()) == p.label() ? 1 : 0;
      all++;
    }
    return (double) right / all;
  }

  static List<Point> points(int n, double shift) {
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x = (i % 100) / 100.0 + shift;
      out.add(new Point(x, x > 0.5));
    }
    return out;
  }

  ModelLifecycle<Threshold> lifecycle() {
    return ModelLifecycle.builder("points")
        .training(training(), MODEL, ModelCodecs.json(Threshold.class))
        .evaluation(HOLDOUT, Metric.of("accuracy", ModelLifecycleTest::accuracy))
        .stage(Stage.STAGING, Gates.metricAtLeast("accuracy", 0.8), Gates.datasetChecksPassed())
        .stage(Stage.PRODUCTION, Gates.beatsChampion("accuracy", 0.0))
        .serves(Stage.PRODUCTION)
        .build();
  }

  @Test
  void advanceTrainsEvaluatesRegistersAndPromotesThenDoesNothingNewWhenNothingChanged() {
    try (Workspace ws = Workspace.inMemory(); ModelRegistry registry = ModelRegistry.in(ws)) {
      Catalog catalog = Catalog.in(ws);
      catalog.commit(RAW, Rows.of(points(200, 0)));
      catalog.commit(HOLDOUT, Rows.of(points(100, 0)));
      ModelLifecycle<Threshold> lifecycle = lifecycle();

      LifecycleReport first = lifecycle.advance(ws, registry, Actor.of("scheduler"));
      assertThat(first.registered()).isTrue();
      assertThat(first.version()).isEqualTo(1);
      assertThat(first.metrics()).containsKey("accuracy");
      assertThat(first.stages()).extracting(LifecycleReport.StageOutcome::outcome)
          .containsExactly(Outcome.PROMOTED, Outcome.PROMOTED);
      assertThat(first.reached()).isEqualTo(Stage.PRODUCTION);
      ModelVersion v1 = registry.version("points", 1);
      assertThat(v1.provenance().datasets("training")).extracting(d -> d.dataset()).containsExactly("points/raw");
      assertThat(v1.provenance().datasets("evaluation")).extracting(d -> d.dataset())
          .containsExactly("points/holdout");
      assertThat(v1.provenance().codeVersion()).startsWith("fingerprint:");
      assertThat(lifecycle.live(registry).get()).isEqualTo(registry.load("models:/points/production",
          ModelCodecs.json(Threshold.class)));

      LifecycleReport again = lifecycle.advance(ws, registry, Actor.of("scheduler"));
      assertThat(trainings).hasValue(1);
      assertThat(ws.run(again.run()).orElseThrow().step("train").status()).isEqualTo(StepStatus.CACHED);
      assertThat(again.registered()).isFalse();
      assertThat(again.version()).isEqualTo(1);
      assertThat(again.stages()).extracting(LifecycleReport.StageOutcome::outcome)
          .containsExactly(Outcome.ALREADY_THERE, Outcome.ALREADY_THERE);
      assertThat(registry.versions("points", 10, 0).items()).hasSize(1);
    }
  }

  @Test
  void aWorseModelStopsAtTheGateThatRejectsIt() {
    try (Workspace ws = Workspace.inMemory(); ModelRegistry registry = ModelRegistry.in(ws)) {
      Catalog catalog = Catalog.in(ws);
      catalog.commit(RAW, Rows.of(points(200, 0)));
      catalog.commit(HOLDOUT, Rows.of(points(100, 0)));
      lifecycle().advance(ws, registry, Actor.of("scheduler"));
      catalog.commit(RAW, Rows.of(points(200, 0.3)));
      LifecycleReport worse = lifecycle().advance(ws, registry, Actor.of("scheduler"));
      assertThat(worse.registered()).isTrue();
      assertThat(worse.version()).isEqualTo(2);
      assertThat(worse.stages().get(worse.stages().size() - 1).outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(worse.stoppedBecause()).contains("rejected v2");
      assertThat(registry.resolve("models:/points/production").number()).isEqualTo(1);
      assertThat(worse.summary()).contains("REJECTED");
    }
  }

  @Test
  void advanceGoesThroughTheWorkspaceAuthorizerAndTheStoredPolicy() {
    Authorizer onlyAlice = (actor, action, model, version) -> action.movesStage()
        && !actor.principal().equals("alice") ? Optional.of("only alice moves stages") : Optional.empty();
    try (Workspace ws = Workspace.builder().attribute(Authorizer.KEY, onlyAlice).openInMemory()) {
      Catalog catalog = Catalog.in(ws);
      catalog.commit(RAW, Rows.of(points(200, 0)));
      catalog.commit(HOLDOUT, Rows.of(points(100, 0)));
      assertThatThrownBy(() -> lifecycle().advance(ws, Actor.of("scheduler")))
          .isInstanceOf(AccessDeniedException.class).hasMessageContaining("only alice moves stages");
      try (ModelRegistry registry = ModelRegistry.in(ws)) {
        assertThat(registry.version("points", 1).stage()).isEqualTo(Stage.NONE);
        registry.setPolicy("points", PromotionPolicy.builder()
            .gates(Stage.STAGING, Gates.metricAtLeast("accuracy", 1.01)).build(), Actor.of("alice"), "stricter");
      }
      LifecycleReport report = lifecycle().advance(ws, Actor.of("alice"));
      assertThat(report.stages()).extracting(LifecycleReport.StageOutcome::outcome)
          .containsExactly(Outcome.REJECTED);
      assertThat(report.stoppedBecause()).contains("metric(accuracy >= 1.010)");
    }
  }

  @Test
  void aDeclarationReportsEveryProblemAtOnce() {
    Dataset<Threshold> unversioned = Dataset.of("points/model", Threshold.class);
    Pipeline plain = Pipeline.builder("plain").external(RAW)
        .step("train", s -> s.reads(RAW).writes(unversioned).apply(rows -> new Threshold(0))).build();
    assertThatThrownBy(() -> ModelLifecycle.builder("points")
        .training(plain, unversioned, ModelCodecs.json(Threshold.class))
        .evaluation(HOLDOUT, Metric.of("accuracy", ModelLifecycleTest::accuracy))
        .stage(Stage.STAGING)
        .stage(Stage.PRODUCTION, Gates.metricAtLeast("auc", 0.8))
        .build())
        .isInstanceOfSatisfying(LifecycleDefinitionException.class, e -> assertThat(e.problems()).hasSize(3))
        .hasMessageContaining("model output 'points/model' is not versioned")
        .hasMessageContaining("stage STAGING has no policy")
        .hasMessageContaining("reads metric 'auc', which the evaluation never produces; it produces [accuracy]");
    assertThatThrownBy(() -> ModelLifecycle.builder("points")
        .training(training(), Datasets.json("points/other", Threshold.class), ModelCodecs.json(Threshold.class))
        .build())
        .isInstanceOf(LifecycleDefinitionException.class)
        .hasMessageContaining("model output 'points/other' is not produced by any step of pipeline 'points-training'")
        .hasMessageContaining("no evaluation")
        .hasMessageContaining("no stage to promote to");
  }
}
