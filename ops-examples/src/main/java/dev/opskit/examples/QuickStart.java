package dev.opskit.examples;

import dev.opskit.Workspace;
import dev.opskit.examples.Churn.Customer;
import dev.opskit.examples.Churn.Features;
import dev.opskit.examples.Churn.Model;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.pipeline.TypeRef;
import dev.opskit.run.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The README's quick start: a churn-model training pipeline run on the embedded default workspace in
 * {@code ./.opskit}. Run it with {@code ./mvnw -q -pl ops-examples -am package -DskipTests -Dexample=QuickStart}.
 */
public final class QuickStart {
  static final Dataset<List<Customer>> RAW = Dataset.of("customers/raw", new TypeRef<List<Customer>>() {});
  static final Dataset<List<Customer>> CLEAN = Dataset.of("customers/clean", new TypeRef<List<Customer>>() {});
  static final Dataset<List<Features>> FEATURES = Dataset.of("customers/features", new TypeRef<List<Features>>() {});
  static final Dataset<Model> MODEL = Dataset.of("churn/model", Model.class);
  static final Dataset<Double> AUC = Dataset.of("churn/auc", Double.class);

  private QuickStart() {}

  static Pipeline training() {
    return Pipeline.builder("churn-training")
        .step("ingest", s -> s.writes(RAW).param("rows", 5000).param("seed", 42)
            .apply(() -> Churn.generate(5000, 42)))
        .step("clean", s -> s.reads(RAW).writes(CLEAN).apply(Churn::clean))
        .step("features", s -> s.reads(CLEAN).writes(FEATURES).apply(Churn::features))
        .step("train", s -> s.reads(FEATURES).writes(MODEL)
            .retry(RetryPolicy.exponential(3, Duration.ofMillis(100)))
            .timeout(Duration.ofMinutes(5))
            .apply(rows -> Churn.train(rows, 300, 0.5)))
        .step("evaluate", s -> s.reads(MODEL, FEATURES).writes(AUC).apply(Churn::auc))
        .build();
  }

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Pipeline training = training();
    try (Workspace ws = Workspace.local(Path.of(".opskit"))) {
      Run run = ws.runner().run(training);
      System.out.println(run.summary());
      System.out.printf("AUC on the training features: %.3f%n", run.output(AUC));
      System.out.println();
      System.out.println("Runs recorded in " + Path.of(".opskit").toAbsolutePath() + ":");
      for (Run past : ws.runs().pipeline("churn-training").limit(5).list().items()) {
        System.out.printf("  %s  %-9s  %s%n", past.id(), past.status(), past.startedAt());
      }
      System.out.println();
      System.out.println("The pipeline as Mermaid:");
      System.out.println(training.toMermaid());
    }
  }
}
