package dev.opskit.examples;

import dev.opskit.Workspace;
import dev.opskit.console.Report;
import dev.opskit.core.progress.ConsoleProgress;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.check.Check;
import dev.opskit.examples.Churn.Customer;
import dev.opskit.examples.Churn.Features;
import dev.opskit.examples.Churn.Model;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.ml.tracking.Autolog;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The README's quick start, on the embedded default workspace in {@code ./.opskit}: it ingests a generated customer
 * dataset, checks it, builds features, trains a logistic regression, tracks the run, registers the model, promotes it
 * through gates, and serves a prediction. Then a weaker challenger tries to beat the champion and is stopped by a gate.
 * Last, it writes a one-file HTML report of its run next to the workspace ({@code opskit-report.html}) and prints its
 * path.
 * Run it twice: the second time every unchanged step is CACHED and nothing new is registered.
 *
 * <p>Run it with {@code ./mvnw -q -pl ops-examples -am package -DskipTests -Dexample=QuickStart}.
 */
public final class QuickStart {
  static final Dataset<Rows<Customer>> RAW = Datasets.jsonLines("customers/raw", Customer.class)
      .withChecks(Check.notNull("id"), Check.unique("id"), Check.inRange("tenureMonths", 0, 120));
  static final Dataset<Rows<Customer>> CLEAN = Datasets.jsonLines("customers/clean", Customer.class)
      .withChecks(Check.notNull("monthlyCharges"), Check.rowCount(1000, 1_000_000));
  static final Dataset<Rows<Features>> TRAINING = Datasets.jsonLines("customers/training", Features.class);
  static final Dataset<Rows<Features>> HOLDOUT = Datasets.jsonLines("customers/holdout", Features.class)
      .withChecks(Check.rowCount(200, 1_000_000));
  static final Dataset<Model> MODEL = Datasets.json("churn/model", Model.class);
  static final Dataset<Double> AUC = Datasets.json("churn/auc", Double.class);
  static final ModelCodec<Model> CODEC = ModelCodecs.json(Model.class);

  private final PrintStream out;

  QuickStart(PrintStream out) {
    this.out = out;
  }

  /** The training pipeline; {@code epochs} is the one knob the challenger turns. */
  static Pipeline training(int epochs) {
    return Pipeline.builder("churn-training")
        .step("ingest", s -> s.writes(RAW).param("rows", 5000).param("seed", 42)
            .apply(() -> Churn.generate(5000, 42)))
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(Churn::clean))
        .step("features", s -> s.inputs(CLEAN).outputs(TRAINING, HOLDOUT).run(ctx -> {
          Rows<Features> all = Churn.features(ctx.input(CLEAN));
          ctx.output(TRAINING, all.filter(f -> !f.holdout()));
          ctx.output(HOLDOUT, all.filter(Features::holdout));
        }))
        .step("train", s -> s.reads(TRAINING).writes(MODEL).param("epochs", epochs).param("learningRate", 0.5)
            .apply(rows -> {
              Tracking.current().ifPresent(t -> t.logParams(Map.of("epochs", epochs, "learningRate", 0.5)));
              return Churn.train(rows, epochs, 0.5);
            }))
        .step("evaluate", s -> s.reads(MODEL, HOLDOUT).writes(AUC).apply((model, rows) -> {
          double auc = Churn.auc(model, rows);
          Tracking.current().ifPresent(t -> t.logMetric("auc", auc));
          return auc;
        }))
        .build();
  }

  /**
   * Runs the example.
   *
   * @param args the workspace directory, {@code .opskit} if none is given
   */
  public static void main(String[] args) {
    new QuickStart(System.out).run(Path.of(args.length > 0 ? args[0] : ".opskit"));
  }

  /**
   * Runs the example on a workspace directory, printing to a stream.
   *
   * @param directory the workspace directory
   */
  void run(Path directory) {
    Actor ci = Actor.of("quickstart");
    PromotionGate[] gates = {Gates.metricAtLeast("auc", 0.75), Gates.beatsChampion("auc", 0.005),
        Gates.datasetChecksPassed()};
    // Each run shows its progress on standard error: redrawn in place on a terminal, plain lines in a log.
    try (Workspace ws = Workspace.builder().listener(ConsoleProgress.toStderr()).openLocal(directory);
         ModelRegistry registry = ModelRegistry.in(ws)) {
      Tracking tracking = Tracking.in(ws);
      Catalog catalog = Catalog.in(ws);
      // Every dataset a step loads is logged as a training input, except the holdout set, which is for evaluation.
      Autolog autolog = tracking.autolog("churn").context(HOLDOUT.name(), DatasetInput.EVALUATION);

      section("1-5. Ingest, check, build features, train and evaluate, tracked");
      Run run = ws.runner().plan(training(300)).listener(autolog).run();
      out.print(run.summary());
      ModelVersion champion = register(ws, registry, tracking, run, ci);

      section("6-7. Register and promote through gates");
      promote(registry, champion, ci, gates);

      section("A challenger trained for fewer epochs tries to beat the champion");
      Run challengerRun = ws.runner().plan(training(25)).listener(autolog).run();
      out.print(challengerRun.summary());
      ModelVersion challenger = register(ws, registry, tracking, challengerRun, ci);
      promote(registry, challenger, ci, gates);

      section("8. Serve a prediction through the live production model");
      try (LiveModel<Model> live = registry.live("churn", Stage.PRODUCTION, CODEC)) {
        Features loyal = new Features("c90001", 1.2, -0.3, -0.5, false, true);
        Features unhappy = new Features("c90002", -0.6, 0.4, 0.6, false, true);
        out.printf(Locale.ROOT, "v%d predicts churn probability %.3f for a loyal customer, %.3f for a new one"
            + " who calls support often%n", live.version(), live.get().predict(loyal), live.get().predict(unhappy));
      }

      section("Versions and lineage");
      for (ModelVersion v : registry.versions("churn", 10, 0).items()) {
        out.printf(Locale.ROOT, "  churn v%-3d %-10s auc=%.4f  epochs=%s  aliases=%s%n", v.number(), v.stage(),
            v.metric("auc").orElse(Double.NaN), v.provenance().params().getOrDefault("epochs", "?"),
            v.aliases());
      }
      String modelVersion = run.step("train").outputs().get("churn/model");
      DatasetVersion trained = catalog.version("churn/model", modelVersion);
      out.println("  churn/model@" + trained.shortId() + " was made from:");
      out.print(catalog.upstream("churn/model", modelVersion).toMermaid().indent(4));
      out.println("Audit trail intact: " + registry.audit("churn").verify().isEmpty());

      section("A one-file HTML report of the run, to attach to a CI job or open offline");
      Path report = Report.of(ws).pipelines(training(300)).run(run.id())
          .writeTo(directory.toAbsolutePath().resolveSibling("opskit-report.html"));
      out.println("Report: " + report);
    }
  }

  /** Registers the model a run trained, with the tracking run's provenance; idempotent for the same training. */
  ModelVersion register(Workspace ws, ModelRegistry registry, Tracking tracking, Run run, Actor actor) {
    String modelVersion = run.step("train").outputs().get("churn/model");
    ModelVersion v = registry.registration("churn", run.output(MODEL), CODEC)
        .provenance(Provenance.builder().trackingRun(tracking.findByPipelineRun(run.id()).orElseThrow())
            .pipelineRun(run).build())
        .idempotencyKey("churn-model-" + modelVersion)
        .by(actor).register();
    out.printf(Locale.ROOT, "registered churn v%d (auc %.4f, tracking run %s)%n", v.number(),
        v.metric("auc").orElse(Double.NaN), v.provenance().trackingRun());
    return v;
  }

  void promote(ModelRegistry registry, ModelVersion v, Actor actor, PromotionGate... gates) {
    if (v.stage() == Stage.PRODUCTION) {
      out.println("churn v" + v.number() + " is already the champion in PRODUCTION; nothing to promote");
      return;
    }
    try {
      PromotionReport report = registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(actor)
          .reason("quick start").gates(gates).execute();
      print(report);
      registry.setAlias("churn", "champion", v.number(), actor);
    } catch (PromotionRejectedException e) {
      print(e.report());
    }
  }

  void print(PromotionReport report) {
    out.println(report.summary().lines().findFirst().orElse(""));
    for (GateResult g : report.gates()) {
      out.println("  " + (g.passed() ? "PASS " : "FAIL ") + g.gate() + ": " + g.message());
    }
  }

  void section(String title) {
    out.println();
    out.println("== " + title);
  }
}
