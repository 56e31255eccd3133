package dev.opskit.console;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.check.Check;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.Tracking;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A populated in-memory workspace: two runs of a three-step pipeline, a failed run, a model with two versions; two runs
 * of a tabular pipeline ({@link #SHOP}, whose second batch drifts), tracked, and a model with four versions trained on
 * it; and a dataset with a hostile column name and values.
 */
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

  /** A customer, as the shop's source writes it. */
  record Customer(int id, String segment, String region, double spend, int age, boolean active) {}

  /** The shop's features, one row per customer. */
  record Feature(int id, double spendPerYear, String ageBand, double score) {}

  static final Dataset<Rows<Customer>> CUSTOMERS = Datasets.jsonLines("shop/customers", Customer.class)
      .withChecks(Check.notNull("segment"), Check.inRange("age", 18, 90).warn());
  static final Dataset<Rows<Feature>> FEATURES = Datasets.jsonLines("shop/features", Feature.class);
  static final Dataset<Rows<Feature>> SCORES = Datasets.jsonLines("shop/scores", Feature.class);

  /** A table whose column name and values would run as script if a page did not escape them. */
  static final Dataset<Rows<Map<String, Object>>> HOSTILE_TABLE = Datasets.jsonLines("demo/hostile",
      new dev.opskit.pipeline.TypeRef<Map<String, Object>>() {});

  /** Which batch the shop's source writes next: the second one drifts (more spend, older, another segment mix). */
  private final AtomicInteger batch = new AtomicInteger();

  final Pipeline shop = Pipeline.builder("shop")
      .step("ingest", s -> s.writes(CUSTOMERS).apply(() -> Rows.of(customers(batch.incrementAndGet()))))
      .step("features", s -> s.reads(CUSTOMERS).writes(FEATURES).apply(rows -> {
        Tracking.current().ifPresent(t -> {
          t.logParam("band_width", 10);
          t.logParam("batch", batch.get());
          long n = 0;
          for (Customer c : rows) {
            n++;
          }
          t.logMetric("rows", n);
        });
        return rows.map(c -> new Feature(c.id(), c.spend() * 12, (c.age() / 10 * 10) + "s", 0));
      }))
      .step("score", s -> s.reads(FEATURES).writes(SCORES).apply(rows -> {
        Tracking.current().ifPresent(t -> {
          t.logMetric("auc", batch.get() == 1 ? 0.84 : 0.79);
          t.logMetric("mean_score", batch.get() == 1 ? 0.41 : 0.47);
        });
        return rows.map(f -> new Feature(f.id(), f.spendPerYear(), f.ageBand(),
            Math.min(1, f.spendPerYear() / 20_000)));
      }))
      .build();

  final Workspace workspace = Workspace.inMemory();
  final Run shopFirst;
  final Run shopSecond;
  final DatasetVersion hostileTable;
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
    Tracking tracking = Tracking.in(workspace);
    shopFirst = workspace.runner().plan(shop).listener(tracking.autolog("shop")).run();
    shopSecond = workspace.runner().plan(shop).listener(tracking.autolog("shop")).run();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(HOSTILE, HOSTILE);
    row.put("n", 1);
    hostileTable = catalog.commit(HOSTILE_TABLE, Rows.of(List.of(row)), Map.of("note", HOSTILE));
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

      models.createModel("ranker", "Ranks customers by their chance to churn", Map.of("team", "growth"), ci);
      String[] features = {featuresOf(shopFirst), featuresOf(shopFirst), featuresOf(shopSecond),
          featuresOf(shopSecond)};
      double[] auc = {0.78, 0.83, 0.85, 0.84};
      double[] f1 = {0.61, 0.66, 0.70, 0.71};
      for (int i = 0; i < 4; i++) {
        models.registration("ranker", (double) i, ModelCodecs.json(Double.class))
            .provenance(Provenance.builder().metric("auc", auc[i]).metric("f1", f1[i])
                .param("learning_rate", i < 2 ? 0.1 : 0.05).param("depth", 4 + i).param("loss", "logistic")
                .dataset(FEATURES.name(), features[i], DatasetInput.TRAINING)
                .pipelineRun(i < 2 ? shopFirst : shopSecond).codeVersion("git:" + (1000 + i)).build())
            .description("ranker " + (i + 1)).by(ci).register();
      }
      models.promote("ranker", 3).to(Stage.PRODUCTION).as(ci).reason("best auc on the May batch")
          .gates(Gates.metricAtLeast("auc", 0.8)).execute();
      models.setAlias("ranker", "champion", 3, ci);
    }
  }

  private static String featuresOf(Run run) {
    return run.step("features").outputs().get(FEATURES.name());
  }

  /** 600 customers of a batch; the second batch spends more, is older and leans to another segment. */
  private static List<Customer> customers(int batch) {
    Random random = new Random(41 + batch);
    String[] segments = {"retail", "smb", "enterprise", "public"};
    String[] regions = {"north", "south", "east", "west"};
    List<Customer> out = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      double shift = batch == 1 ? 0 : 0.35;
      double spend = Math.exp(6.2 + shift + 0.55 * random.nextGaussian());
      int age = (int) Math.max(18, Math.min(88, 41 + (batch == 1 ? 0 : 5) + 12 * random.nextGaussian()));
      int seg = random.nextDouble() < (batch == 1 ? 0.5 : 0.3) ? 0 : 1 + random.nextInt(3);
      out.add(new Customer(i, segments[seg], regions[random.nextInt(4)], Math.round(spend * 100) / 100.0, age,
          random.nextDouble() < 0.8));
    }
    return out;
  }
}
