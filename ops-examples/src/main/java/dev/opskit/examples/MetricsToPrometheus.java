package dev.opskit.examples;

import dev.opskit.Workspace;
import dev.opskit.core.metrics.OpsMetrics;
import dev.opskit.data.Datasets;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.metrics.OpsMlMetrics;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.RetryPolicy;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * opskit's meters in the host's own Micrometer registry, here Prometheus's. {@link OpsMetrics} is a run listener
 * and {@link OpsMlMetrics} a registry listener: attach them once and every run, retry, cache lookup, promotion and
 * gate is counted and timed. The example runs a pipeline twice (the second time from cache), promotes a model, and
 * prints the scrape text a Prometheus server would read from the host's {@code /metrics} endpoint.
 *
 * <p>Run it with {@code ./mvnw -q -pl ops-examples -am package -DskipTests -Dexample=MetricsToPrometheus}.
 */
public final class MetricsToPrometheus {
  static final Dataset<String> RAW = Datasets.json("orders/raw", String.class);
  static final Dataset<Integer> COUNT = Datasets.json("orders/count", Integer.class);

  private MetricsToPrometheus() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  static void run(PrintStream out) {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicInteger calls = new AtomicInteger();
    Pipeline orders = Pipeline.builder("orders")
        .step("load", s -> s.writes(RAW).retry(RetryPolicy.fixed(3, Duration.ofMillis(10))).apply(() -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("the order service is warming up");
          }
          return "o1,o2,o3";
        }))
        .step("count", s -> s.reads(RAW).writes(COUNT).apply(raw -> raw.split(",").length))
        .build();

    try (Workspace ws = Workspace.builder().listener(OpsMetrics.of(prometheus)).openInMemory();
        ModelRegistry registry = ModelRegistry.builder(ws).listener(OpsMlMetrics.of(prometheus)).build()) {
      ws.runner().run(orders);
      ws.runner().run(orders); // unchanged: both steps come from cache

      Actor ci = Actor.of("ci");
      int version = registry.registration("orders-model", List.of(0.5, 1.5), ModelCodecs.json(List.class))
          .provenance(Provenance.builder().metric("accuracy", 0.91).build()).by(ci).register().number();
      registry.promote("orders-model", version).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("accuracy", 0.9)).execute();

      out.println("# The scrape text, opskit's meters only");
      prometheus.scrape().lines().filter(line -> line.contains("opskit")).forEach(out::println);
    }
  }
}
