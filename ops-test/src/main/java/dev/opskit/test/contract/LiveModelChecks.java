package dev.opskit.test.contract;

import static dev.opskit.test.contract.ModelRegistryContract.CI;
import static dev.opskit.test.contract.ModelRegistryContract.CODEC;
import static dev.opskit.test.contract.ModelRegistryContract.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.test.contract.ModelRegistryContract.Weights;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The checks of {@link LiveModel} that {@link ModelRegistryContract} runs: a live model swaps on
 * promotion, keeps serving when a load fails and reports events, and one opened before its model exists serves the
 * first promotion.
 */
final class LiveModelChecks {
  private final Workspace workspace;
  private final ModelRegistry registry;

  LiveModelChecks(Workspace workspace, ModelRegistry registry) {
    this.workspace = workspace;
    this.registry = registry;
  }

  void aLiveModelSwapsOnPromotionKeepsServingWhenALoadFailsAndReportsEvents() {
    List<String> events = new CopyOnWriteArrayList<>();
    ModelRegistry observed = ModelRegistry.builder(workspace).listener(new RegistryListener() {
      @Override
      public void onLiveModelSwapped(String model, int from, int to) {
        events.add("swap " + from + "->" + to);
      }

      @Override
      public void onLiveModelLoadFailed(String model, int version, Throwable error) {
        events.add("failed " + version);
      }

      @Override
      public void onPromoted(PromotionReport report) {
        events.add("promoted " + report.version());
      }
    }).build();
    try {
      register(registry, "churn", 0.8);
      registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
      LiveModel<Weights> live = observed.live("churn", Stage.PRODUCTION, CODEC);
      Weights inFlight = live.get();
      assertThat(inFlight).isEqualTo(new Weights(0.8, 1.0));

      register(registry, "churn", 0.9);
      registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
      assertThat(live.version()).isEqualTo(2);
      assertThat(live.get()).isEqualTo(new Weights(0.9, 1.0));
      assertThat(inFlight).isEqualTo(new Weights(0.8, 1.0));

      // A version whose artifact is stored in another format cannot be loaded by this codec.
      registry.register("churn", "not weights".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          ModelCodecs.bytes(), CI);
      registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).execute();
      assertThat(live.version()).isEqualTo(2);
      assertThat(live.get()).isEqualTo(new Weights(0.9, 1.0));
      assertThat(events).containsSubsequence("swap 0->1", "promoted 2", "swap 1->2", "promoted 3", "failed 3");
      live.close();
    } finally {
      observed.close();
    }
  }

  void aLiveModelOpenedBeforeTheModelExistsServesItsFirstPromotion() {
    try (LiveModel<Weights> live = registry.live("not-yet", Stage.PRODUCTION, CODEC)) {
      assertThat(live.version()).isZero();
      assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("not-yet");

      register(registry, "not-yet", 0.7);
      assertThat(live.version()).as("registered, not promoted").isZero();
      registry.promote("not-yet", 1).to(Stage.PRODUCTION).as(CI).execute();

      assertThat(live.version()).isEqualTo(1);
      assertThat(live.get()).isEqualTo(new Weights(0.7, 1.0));
    }
  }
}
