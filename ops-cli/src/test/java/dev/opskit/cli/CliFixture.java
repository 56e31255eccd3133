package dev.opskit.cli;

import dev.opskit.Workspace;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.RunFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A populated workspace for the command line's tests: two runs of a tabular pipeline whose data shifts between them,
 * a failed run, and a model with two versions, one in PRODUCTION with an alias. Text that a terminal or a page must
 * not interpret sits in descriptions and reasons.
 */
public final class CliFixture {
  /** Markup and a line break, which no page or table may pass through unchanged. */
  public static final String HOSTILE = "<script>alert(1)</script>\nsecond line";

  /** A terminal escape sequence (red text), which the library keeps out of names and descriptions, not errors. */
  public static final String ESCAPE = "\u001b[31mred";

  /** One row of the orders dataset. */
  public record Order(String id, double amount, String country) {}

  public static final Dataset<Rows<Order>> ORDERS = Datasets.jsonLines("shop/orders", Order.class);
  public static final Dataset<Double> TOTAL = Datasets.json("shop/total", Double.class);

  /** The pipeline: generated orders, their amounts shifted by {@code shift}, then their total. */
  public static Pipeline shop(double shift) {
    return Pipeline.builder("shop")
        .step("ingest", s -> s.writes(ORDERS).param("shift", shift).apply(() -> orders(shift)))
        .step("totals", s -> s.reads(ORDERS).writes(TOTAL)
            .apply(rows -> rows.stream().mapToDouble(Order::amount).sum()))
        .build();
  }

  static final Pipeline BROKEN = Pipeline.builder("broken")
      .step("explode", s -> s.writes(TOTAL).apply(() -> {
        throw new IllegalStateException("boom: " + HOSTILE + ESCAPE);
      }))
      // skipped: its input never came
      .step("after", s -> s.reads(TOTAL).writes(Datasets.json("shop/after", Double.class)).apply(x -> x))
      .build();

  static Rows<Order> orders(double shift) {
    List<Order> rows = new ArrayList<>();
    String[] countries = {"fr", "de", "it", "es"};
    for (int i = 0; i < 400; i++) {
      rows.add(new Order("o" + i, (i % 50) + shift * (i % 7), countries[(int) ((i + shift * 3) % 4)]));
    }
    return Rows.of(rows);
  }

  /** What the fixture wrote, for the tests' expectations. */
  public record Populated(Run first, Run second, Run failed) {}

  private CliFixture() {}

  /**
   * Writes the fixture into a workspace.
   *
   * @param ws the workspace
   * @return the runs it made
   */
  public static Populated populate(Workspace ws) {
    Run first = ws.runner().run(shop(0));
    Run second = ws.runner().run(shop(4));
    Run failed;
    try {
      failed = ws.runner().run(BROKEN);
    } catch (RunFailedException e) {
      failed = e.run();
    }
    try (ModelRegistry models = ModelRegistry.in(ws)) {
      Actor ci = Actor.of("ci");
      models.createModel("churn", HOSTILE, Map.of("team", "growth"), ci);
      models.registration("churn", 1.5, ModelCodecs.json(Double.class))
          .provenance(Provenance.builder().metric("auc", 0.81).param("epochs", 25).pipelineRun(first).build())
          .description(HOSTILE).by(ci).register();
      models.registration("churn", 2.5, ModelCodecs.json(Double.class))
          .provenance(Provenance.builder().metric("auc", 0.86).param("epochs", 300).pipelineRun(second).build())
          .by(ci).register();
      models.promote("churn", 2).to(Stage.PRODUCTION).as(ci).reason("beats v1")
          .gates(Gates.metricAtLeast("auc", 0.8)).execute();
      models.setAlias("churn", "champion", 2, ci);
    }
    return new Populated(first, second, failed);
  }
}
