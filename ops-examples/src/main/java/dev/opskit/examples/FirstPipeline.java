package dev.opskit.examples;

import dev.opskit.Workspace;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.check.Check;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Trains a churn model in a pipeline, registers it, promotes it through gates and serves it: the README's sample. */
public class FirstPipeline {
  record Customer(String id, double spend, boolean churned) {}

  record Model(double threshold) {}

  /**
   * Runs the sample.
   *
   * @param args the workspace directory, {@code .opskit} if none is given
   */
  public static void main(String[] args) {
    Path opskit = Path.of(args.length > 0 ? args[0] : ".opskit");     // an H2 file and the blobs, created if absent

    Dataset<Rows<Customer>> customers = Datasets.jsonLines("customers", Customer.class)
        .withChecks(Check.notNull("id"), Check.unique("id"));
    Dataset<Model> model = Datasets.json("churn/model", Model.class);
    Dataset<Double> accuracy = Datasets.json("churn/accuracy", Double.class);

    Pipeline training = Pipeline.builder("churn-training")
        .step("load", s -> s.writes(customers).apply(FirstPipeline::load))
        .step("train", s -> s.reads(customers).writes(model)
            .retry(RetryPolicy.exponential(3, Duration.ofSeconds(1))).timeout(Duration.ofMinutes(10))
            .apply(FirstPipeline::fit))
        .step("evaluate", s -> s.reads(model, customers).writes(accuracy).apply(FirstPipeline::accuracy))
        .build();                                                         // every definition problem at once

    try (Workspace ws = Workspace.builder().executor(Executor.parallel(4)).openLocal(opskit);
         ModelRegistry registry = ModelRegistry.in(ws)) {
      Run run = ws.runner().run(training);                                // unchanged steps are CACHED next time
      System.out.print(run.summary());

      Actor ci = Actor.of("ci");
      ModelVersion v = registry.registration("churn", run.output(model), ModelCodecs.json(Model.class))
          .provenance(Provenance.builder().pipelineRun(run).metric("accuracy", run.output(accuracy)).build())
          .idempotencyKey(run.versionOf(model).orElseThrow())            // the same model again: the same version
          .by(ci).register();
      System.out.println(registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("accuracy", 0.9), Gates.beatsChampion("accuracy", 0.01))
          .execute());                                                    // or dryRun(); rejected with every gate's evidence

      try (LiveModel<Model> live = registry.live("churn", Stage.PRODUCTION, ModelCodecs.json(Model.class))) {
        System.out.println("serving v" + live.version() + ": " + live.get());
      }
    }
  }

  static Rows<Customer> load() {
    return Rows.of(List.of(new Customer("a", 10, false), new Customer("b", 90, true), new Customer("c", 20, false),
        new Customer("d", 80, true)));
  }

  static Model fit(Rows<Customer> rows) {
    return new Model(rows.stream().mapToDouble(Customer::spend).average().orElse(0));
  }

  static double accuracy(Model m, Rows<Customer> rows) {
    return rows.stream().filter(c -> c.spend() > m.threshold() == c.churned()).count() / (double) rows.count();
  }
}
