package dev.opskit.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class RegistrySmokeTest {
  record Weights(double bias, double slope) {}

  @Test
  void registerPromoteServe() {
    try (Workspace ws = Workspace.inMemory(); ModelRegistry registry = ModelRegistry.in(ws)) {
      ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
      Actor ci = Actor.of("ci");
      ModelVersion v1 = registry.registration("churn", new Weights(0.1, 2.0), codec)
          .provenance(Provenance.builder().metric("auc", 0.81).build()).by(ci).register();
      assertThat(v1.number()).isEqualTo(1);
      assertThat(v1.status()).isEqualTo(ModelVersionStatus.READY);
      LiveModel<Weights> live = registry.live("churn", Stage.PRODUCTION, codec);
      assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class);
      PromotionReport report = registry.promote("churn", 1).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("auc", 0.8)).execute();
      assertThat(report.approved()).isTrue();
      assertThat(live.get()).isEqualTo(new Weights(0.1, 2.0));
      ModelVersion v2 = registry.registration("churn", new Weights(0.2, 3.0), codec)
          .provenance(Provenance.builder().metric("auc", 0.7).build()).by(ci).register();
      assertThatThrownBy(() -> registry.promote("churn", v2.number()).to(Stage.PRODUCTION).as(ci)
          .gates(Gates.metricAtLeast("auc", 0.8)).execute()).isInstanceOf(PromotionRejectedException.class)
          .hasMessageContaining("auc = 0.7000 does not meet >= 0.8000");
      registry.promote("churn", 2).to(Stage.PRODUCTION).as(ci).execute();
      assertThat(live.version()).isEqualTo(2);
      assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.ARCHIVED);
      registry.rollback("churn", ci, "bad release");
      assertThat(live.version()).isEqualTo(1);
      assertThat(registry.resolve("models:/churn/production").number()).isEqualTo(1);
      assertThat(registry.audit("churn").verify()).isEmpty();
      assertThat(registry.audit("churn").records()).extracting(AuditRecord::action)
          .containsExactly("REGISTER", "PROMOTE", "REGISTER", "PROMOTE", "ROLLBACK");
    }
  }

  @Test
  void theServingCallIsBoundAtCompileTime() throws NoSuchMethodException {
    // get() must stay final on a class: an interface method, or an overridable one, would cost serving code a type
    // check or a dispatch as soon as a second implementation (a mock, a test double) is loaded.
    assertThat(LiveModel.class.isInterface()).isFalse();
    assertThat(Modifier.isFinal(LiveModel.class.getMethod("get").getModifiers())).isTrue();
    try (Workspace ws = Workspace.inMemory(); ModelRegistry registry = ModelRegistry.in(ws)) {
      ModelCodec<Weights> codec = ModelCodecs.json(Weights.class);
      registry.registration("churn", new Weights(0.1, 2.0), codec).by(Actor.of("ci")).register();
      try (LiveModel<Weights> live = registry.live("churn", "champion", codec)) {
        assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
            .hasMessage("no version of model 'churn' holds models:/churn@champion yet; promote one, or wait for the "
                + "live model to see it");
        assertThat(live).hasToString("LiveModel[models:/churn@champion v0]");
        registry.setAlias("churn", "champion", 1, Actor.of("ci"));
        assertThat(live.get()).isEqualTo(new Weights(0.1, 2.0));
        assertThat(live).hasToString("LiveModel[models:/churn@champion v1]");
      }
    }
  }
}
