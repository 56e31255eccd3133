package dev.opskit.console;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.check.Check;
import dev.opskit.ml.ModelCodecs;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.Actor;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import java.util.Map;

/** A populated in-memory workspace: two runs of a three-step pipeline, a failed run, and a model with two versions. */
final class ConsoleFixture {
  /** Text that would run or break out of an attribute if a page did not escape it. */
  static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"";

  static final Dataset<Integer> A = Datasets.json("demo/a", Integer.class);
  static final Dataset<Integer> B = Datasets.json("demo/b", Integer.class);
  static final Dataset<Integer> C = Datasets.json("demo/c", Integer.class);

  static final Pipeline DEMO = Pipeline.builder("demo")
      .step("make", s -> s.writes(A).apply(() -> 21))
      .step("double", s -> s.reads(A).writes(B).apply(a -> a * 2))
      .step("report", s -> s.reads(A, B).writes(C).apply((a, b) -> a + b))
      .build();

  static final Pipeline BROKEN = Pipeline.builder("broken")
      .step("make", s -> s.writes(A).apply(() -> 1))
      .step("explode", s -> s.reads(A).writes(B).apply(a -> {
        throw new IllegalStateException(HOSTILE);
      }))
      .step("after", s -> s.reads(B).writes(C).apply(b -> b))
      .build();

  /** A dataset committed directly, whose ERROR check quarantines a negative value. */
  static final Dataset<Integer> CHECKED = Datasets.json("demo/checked", Integer.class)
      .withChecks(Check.value("positive", Integer.class, v -> v > 0));

  final Workspace workspace = Workspace.inMemory();
  final DatasetVersion good;
  final DatasetVersion quarantined;
  final Run first;
  final Run cached;
  final Run failed;

  ConsoleFixture() {
    first = workspace.runner().run(DEMO);
    cached = workspace.runner().run(DEMO);
    Run broken;
    try {
      broken = workspace.runner().run(BROKEN);
    } catch (RunFailedException e) {
      broken = e.run();
    }
    failed = broken;
    Catalog catalog = Catalog.in(workspace);
    good = catalog.commit(CHECKED, 5);
    DatasetVersion bad;
    try {
      bad = catalog.commit(CHECKED, -1);
    } catch (DatasetCheckException e) {
      bad = catalog.history(CHECKED.name(), 1, 0).items().get(0);
    }
    quarantined = bad;
    try (ModelRegistry models = ModelRegistry.in(workspace)) {
      Actor ci = Actor.of("ci");
      models.createModel("churn", HOSTILE, Map.of("owner", "<b>data-science</b>"), ci);
      models.registration("churn", 1.5, ModelCodecs.json(Double.class))
          .provenance(Provenance.builder().metric("auc", 0.81).build()).description(HOSTILE).by(ci).register();
      models.registration("churn", 2.5, ModelCodecs.json(Double.class))
          .provenance(Provenance.builder().metric("auc", 0.86).pipelineRun(first).codeVersion("git:3f2a9c1 <i>")
              .build()).by(ci).register();
      models.promote("churn", 2).to(Stage.PRODUCTION).as(ci).reason(HOSTILE)
          .gates(Gates.metricAtLeast("auc", 0.8)).execute();
      models.setAlias("churn", "champion", 2, ci);
    }
  }
}
