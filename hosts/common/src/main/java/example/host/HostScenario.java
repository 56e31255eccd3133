package example.host;

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
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every host project does with opskit, as the README shows it: run a pipeline that writes JSON Lines, CSV and
 * JSON datasets, register the model it trained, promote it through gates, serve it from a live handle, and run the
 * pipeline again to find every step cached. Each host calls {@link #run(Path)} in its own way (a main, a test, a web
 * endpoint) and asserts on the {@link Result}; {@link #jackson()} tells which Jackson the host itself has.
 *
 * <p>Shared by the host projects under {@code hosts/}; each compiles it with its own code.
 */
public final class HostScenario {
  private HostScenario() {}

  /** A customer row. */
  public record Customer(String id, double spend, boolean churned) {}

  /** A one-feature threshold model. */
  public record Model(double threshold) {}

  /** What the scenario did, for the host to assert on (and, in the web hosts, to serialize with its own Jackson). */
  public record Result(String runStatus, List<String> steps, boolean cachedOnSecondRun, int modelVersion,
      String stage, double accuracy, boolean promoted, int servedVersion, double servedThreshold, long csvRows) {}

  static Rows<Customer> load() {
    return Rows.of(List.of(new Customer("a", 10, false), new Customer("b", 90, true), new Customer("c", 20, false),
        new Customer("d", 80, true)));
  }

  static Rows<Customer> export(Rows<Customer> rows) {
    return Rows.of(rows.stream().toList());
  }

  static Model fit(Rows<Customer> rows) {
    return new Model(rows.stream().mapToDouble(Customer::spend).average().orElse(0));
  }

  static double accuracy(Model m, Rows<Customer> rows) {
    return rows.stream().filter(c -> c.spend() > m.threshold() == c.churned()).count() / (double) rows.count();
  }

  /**
   * Runs the scenario on a local workspace in {@code directory}.
   *
   * @param directory where the workspace lives; a new directory gives a fresh workspace
   * @return what happened
   */
  public static Result run(Path directory) {
    Dataset<Rows<Customer>> customers = Datasets.jsonLines("customers", Customer.class)
        .withChecks(Check.notNull("id"), Check.unique("id"));
    Dataset<Rows<Customer>> table = Datasets.csv("customers-table", Customer.class);
    Dataset<Model> model = Datasets.json("churn/model", Model.class);
    Dataset<Double> accuracy = Datasets.json("churn/accuracy", Double.class);

    Pipeline training = Pipeline.builder("churn-training")
        .step("load", s -> s.writes(customers).apply(HostScenario::load))
        .step("export", s -> s.reads(customers).writes(table).apply(HostScenario::export))
        .step("train", s -> s.reads(table).writes(model).apply(HostScenario::fit))
        .step("evaluate", s -> s.reads(model, customers).writes(accuracy).apply(HostScenario::accuracy))
        .build();

    try (Workspace ws = Workspace.local(directory); ModelRegistry registry = ModelRegistry.in(ws)) {
      Run run = ws.runner().run(training);
      Actor ci = Actor.of("ci");
      ModelVersion registered = registry.registration("churn", run.output(model), ModelCodecs.json(Model.class))
          .provenance(Provenance.builder().pipelineRun(run).metric("accuracy", run.output(accuracy)).build())
          .by(ci).register();
      PromotionReport promotion = registry.promote("churn", registered.number()).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("accuracy", 0.9), Gates.beatsChampion("accuracy", 0.01))
          .execute();
      int servedVersion;
      double servedThreshold;
      try (LiveModel<Model> live = registry.live("churn", Stage.PRODUCTION, ModelCodecs.json(Model.class))) {
        servedVersion = live.version();
        servedThreshold = live.get().threshold();
      }
      Run again = ws.runner().run(training);
      // load reads no dataset: a source, which runs every time; its output is unchanged, so the rest is cached.
      boolean cached = again.step("load").status() == StepStatus.SUCCEEDED && again.steps().stream()
          .filter(s -> !s.step().equals("load")).allMatch(s -> s.status() == StepStatus.CACHED);
      long csvRows = run.output(table).count();
      return new Result(run.status().name(), run.steps().stream().map(StepRecord::step).toList(), cached,
          registered.number(), registry.version("churn", registered.number()).stage().name(),
          run.output(accuracy), promotion.approved(), servedVersion, servedThreshold, csvRows);
    }
  }

  /**
   * Checks a result against what the scenario must give on a fresh workspace, naming every difference.
   *
   * @param result the result of {@link #run(Path)}
   * @return the differences, empty when the result is right
   */
  public static List<String> problems(Result result) {
    Result expected = new Result(RunStatus.SUCCEEDED.name(), List.of("load", "export", "train", "evaluate"), true, 1,
        Stage.PRODUCTION.name(), 1.0, true, 1, 50.0, 4);
    return expected.equals(result) ? List.of() : List.of("expected " + expected + " but got " + result);
  }

  /**
   * Tells which Jackson artifacts the host has on its class path (not opskit's, which is relocated), by the jar each
   * one's classes come from.
   *
   * @return for each Jackson part, the jar it comes from or {@code absent}
   */
  public static Map<String, String> jackson() {
    Map<String, String> found = new TreeMap<>();
    found.put("jackson-annotations", jarOf("com.fasterxml.jackson.annotation.JsonProperty"));
    found.put("jackson-databind 2", jarOf("com.fasterxml.jackson.databind.ObjectMapper"));
    found.put("jackson-databind 3", jarOf("tools.jackson.databind.ObjectMapper"));
    found.put("opskit's relocated Jackson", jarOf("dev.opskit.shaded.tools.jackson.databind.ObjectMapper"));
    return found;
  }

  /**
   * Returns the file name of the jar a class comes from, or {@code absent}.
   *
   * @param className the class
   * @return the jar's file name
   */
  public static String jarOf(String className) {
    try {
      Class<?> type = Class.forName(className, false, HostScenario.class.getClassLoader());
      var source = type.getProtectionDomain().getCodeSource();
      return source == null ? "unknown" : Path.of(source.getLocation().toURI()).getFileName().toString();
    } catch (ClassNotFoundException e) {
      return "absent";
    } catch (URISyntaxException e) {
      return "unknown";
    }
  }

  /**
   * Writes one line for the host matrix to {@code target/host-report.txt}, which {@code hosts/run} prints: the host,
   * the Java it ran on, where each Jackson part came from, and the problems found (none when it passed).
   *
   * @param host the host's name
   * @param problems what was wrong
   */
  public static void report(String host, List<String> problems) {
    String line = host + " | Java " + Runtime.version().feature() + " | " + jackson() + " | "
        + (problems.isEmpty() ? "PASS" : "FAIL " + problems);
    System.out.println("opskit host " + line);
    try {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "host-report.txt"), line + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
