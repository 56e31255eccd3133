package dev.opskit.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.opskit.Workspace;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the registry logs under {@code dev.opskit.registry}: promotions, rejections and rollbacks, at INFO. */
class RegistryLoggingTest {
  record Weights(double bias) {}

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.opskit.registry");
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void attach() {
    logged.start();
    logger.addAppender(logged);
    logger.setLevel(Level.INFO);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logged);
    logger.setLevel(null);
  }

  @Test
  void promotionsRejectionsAndRollbacksAreLoggedOnceEachWithWhoAndWhy() {
    try (Workspace ws = Workspace.inMemory(); ModelRegistry registry = ModelRegistry.in(ws);
         ModelRegistry second = ModelRegistry.in(ws)) {     // two registries on one store: still one line per event
      ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
      Actor ci = Actor.of("ci");
      registry.registration("churn", new Weights(0.1), codec)
          .provenance(Provenance.builder().metric("auc", 0.81).build()).by(ci).register();
      registry.registration("churn", new Weights(0.2), codec)
          .provenance(Provenance.builder().metric("auc", 0.7).build()).by(ci).register();
      PromotionReport first = registry.promote("churn", 1).to(Stage.PRODUCTION).as(ci).execute();
      assertThatThrownBy(() -> second.promote("churn", 2).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("auc", 0.8)).execute()).isInstanceOf(PromotionRejectedException.class);
      PromotionReport hotfix = registry.promote("churn", 2).to(Stage.PRODUCTION).as(ci).reason("hotfix").execute();
      PromotionReport back = registry.rollback("churn", Actor.of("oncall"), "v2 doubles the false positives");

      assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
          "Promoted churn v1 to PRODUCTION (from NONE) by ci; audit record " + first.auditId(),
          "Rejected promotion of churn v2 to PRODUCTION by ci: FAIL metric(auc >= 0.8000): auc = 0.7000 does not "
              + "meet >= 0.8000",
          "Promoted churn v2 to PRODUCTION (from NONE) by ci: hotfix; archived v1; audit record "
              + hotfix.auditId(),
          "Rolled back churn v1 to PRODUCTION (from ARCHIVED) by oncall: v2 doubles the false positives; archived v2; "
              + "audit record " + back.auditId());
      assertThat(logged.list).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.INFO));
    }
  }
}
