package dev.opskit.ml.metrics;

import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.PromotionReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Records registry meters in the host's Micrometer registry. It is a {@link RegistryListener}: add it with
 * {@link ModelRegistry.Builder#listener(RegistryListener)}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #PROMOTIONS}</td><td>counter</td><td>model, stage, outcome ({@code promoted}, {@code rejected},
 *       {@code rolled_back})</td></tr>
 *   <tr><td>{@value #GATES}</td><td>counter</td><td>gate, outcome ({@code pass}, {@code fail})</td></tr>
 *   <tr><td>{@value #LIVE_SWAPS}</td><td>counter</td><td>model</td></tr>
 *   <tr><td>{@value #LIVE_LOAD_FAILURES}</td><td>counter</td><td>model</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class OpsMlMetrics implements RegistryListener {
  /** Counter of promotion outcomes. */
  public static final String PROMOTIONS = "opskit.registry.promotions";
  /** Counter of gate verdicts. */
  public static final String GATES = "opskit.registry.gate";
  /** Counter of live model switches. */
  public static final String LIVE_SWAPS = "opskit.model.live.swaps";
  /** Counter of versions a live model failed to load. */
  public static final String LIVE_LOAD_FAILURES = "opskit.model.live.load.failures";

  private final MeterRegistry registry;

  private OpsMlMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Creates the listener.
   *
   * @param registry the host's meter registry
   * @return the listener
   */
  public static OpsMlMetrics of(MeterRegistry registry) {
    return new OpsMlMetrics(Objects.requireNonNull(registry, "registry"));
  }

  private void promotion(PromotionReport report, String outcome) {
    Counter.builder(PROMOTIONS).description("Promotion outcomes")
        .tags("model", report.model(), "stage", report.to().name(), "outcome", outcome)
        .register(registry).increment();
    for (GateResult gate : report.gates()) {
      Counter.builder(GATES).description("Gate verdicts")
          .tags("gate", gate.gate(), "outcome", gate.passed() ? "pass" : "fail")
          .register(registry).increment();
    }
  }

  @Override
  public void onPromoted(PromotionReport report) {
    promotion(report, "promoted");
  }

  @Override
  public void onRejected(PromotionReport report) {
    promotion(report, "rejected");
  }

  @Override
  public void onRolledBack(PromotionReport report) {
    promotion(report, "rolled_back");
  }

  @Override
  public void onLiveModelSwapped(String model, int from, int to) {
    Counter.builder(LIVE_SWAPS).description("Live model switches").tag("model", model).register(registry).increment();
  }

  @Override
  public void onLiveModelLoadFailed(String model, int version, Throwable error) {
    Counter.builder(LIVE_LOAD_FAILURES).description("Versions a live model failed to load").tag("model", model)
        .register(registry).increment();
  }
}
