package dev.opskit.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.check.Check;
import dev.opskit.ml.Actor;
import dev.opskit.ml.Gates;
import dev.opskit.ml.LiveModel;
import dev.opskit.ml.ModelCodecs;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import dev.opskit.run.Executor;
import dev.opskit.run.Run;
import dev.opskit.run.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's code sample, run as written, and a check that the README shows exactly this code. */
class ReadmeSampleTest {
  private static final Path SOURCE = Path.of("src/test/java/dev/opskit/examples/readme/ReadmeSampleTest.java");
  private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");

  /**
   * A customer row.
   *
   * @param id the id
   * @param spend monthly spend
   * @param churned the label
   */
  record Customer(String id, double spend, boolean churned) {}

  /**
   * A one-feature threshold model.
   *
   * @param threshold spend above which a customer churns
   */
  record Model(double threshold) {}

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

  @Test
  void theReadmeSampleRuns(@TempDir Path dir) throws Exception {
    Path opskit = dir.resolve(".opskit");
    // readme:start
    Dataset<Rows<Customer>> customers = Datasets.jsonLines("customers", Customer.class)
        .withChecks(Check.notNull("id"), Check.unique("id"));
    Dataset<Model> model = Datasets.json("churn/model", Model.class);
    Dataset<Double> accuracy = Datasets.json("churn/accuracy", Double.class);

    Pipeline training = Pipeline.builder("churn-training")
        .step("load", s -> s.writes(customers).apply(ReadmeSampleTest::load))
        .step("train", s -> s.reads(customers).writes(model)
            .retry(RetryPolicy.exponential(3, Duration.ofSeconds(1))).timeout(Duration.ofMinutes(10))
            .apply(ReadmeSampleTest::fit))
        .step("evaluate", s -> s.reads(model, customers).writes(accuracy).apply(ReadmeSampleTest::accuracy))
        .build();                                  // every definition problem at once

    try (Workspace ws = Workspace.builder().executor(Executor.parallel(4)).openLocal(opskit);
         ModelRegistry registry = ModelRegistry.in(ws)) {
      Run run = ws.runner().run(training);         // unchanged steps are CACHED next time
      System.out.print(run.summary());

      Actor ci = Actor.of("ci");
      ModelVersion v = registry.registration("churn", run.output(model), ModelCodecs.json(Model.class))
          .provenance(Provenance.builder().pipelineRun(run).metric("accuracy", run.output(accuracy)).build())
          .by(ci).register();
      registry.promote("churn", v.number()).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("accuracy", 0.9), Gates.beatsChampion("accuracy", 0.01))
          .execute();                              // or dryRun(); rejected with every gate's evidence

      try (LiveModel<Model> live = registry.live("churn", Stage.PRODUCTION, ModelCodecs.json(Model.class))) {
        System.out.println("serving v" + live.version() + ": " + live.get());
      }
    }
    // readme:end

    try (Workspace ws = Workspace.local(opskit); ModelRegistry registry = ModelRegistry.in(ws)) {
      assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.PRODUCTION);
      assertThat(ws.runner().run(training).steps()).allSatisfy(s -> assertThat(s.status()).isEqualTo(StepStatus.CACHED));
    }
  }

  @Test
  void theReadmeShowsThisSample() throws Exception {
    String source = Files.readString(SOURCE);
    String code = source.substring(source.indexOf("// readme:start") + "// readme:start".length(),
        source.indexOf("    // readme:end"));
    Matcher block = Pattern.compile("<!-- sample -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(README));

    assertThat(block.find()).as("README.md has a ```java block after <!-- sample -->").isTrue();
    assertThat(normalized(block.group(1))).isEqualTo(normalized(code));
  }

  /** Removes the common indentation of the non-blank lines, trailing spaces, and leading and trailing blank lines. */
  private static String normalized(String text) {
    List<String> lines = text.lines().map(String::stripTrailing).toList();
    int indent = lines.stream().filter(l -> !l.isEmpty()).mapToInt(l -> l.length() - l.stripLeading().length()).min()
        .orElse(0);
    return String.join("\n", lines.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList()).strip();
  }
}
