package dev.opskit.test.contract;

import static dev.opskit.test.contract.ModelRegistryContract.CI;
import static dev.opskit.test.contract.ModelRegistryContract.CODEC;
import static dev.opskit.test.contract.ModelRegistryContract.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.RegistryListener;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.test.contract.ModelRegistryContract.Weights;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The checks of {@link LiveModel} that {@link ModelRegistryContract} runs: a live model swaps on
 * promotion, keeps serving when a load fails and reports events, and one opened before its model exists serves the
 * first promotion; it stops serving when nothing holds its stage or alias any more, follows its model across renames
 * (made in this process, or in another one and seen at its next refresh), and says why it serves nothing.
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

  void aLiveModelStopsServingWhenNoVersionHoldsItsStageOrAliasAnyMore() {
    List<String> withdrawn = new CopyOnWriteArrayList<>();
    ModelRegistry observed = ModelRegistry.builder(workspace).listener(new RegistryListener() {
      @Override
      public void onLiveModelWithdrawn(String model, int version, String reason) {
        withdrawn.add(model + " v" + version + ": " + reason);
      }
    }).build();
    try {
      register(registry, "churn", 0.8);
      register(registry, "churn", 0.9);
      registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
      registry.setAlias("churn", "champion", 2, CI);
      LiveModel<Weights> production = observed.live("churn", Stage.PRODUCTION, CODEC);
      LiveModel<Weights> champion = observed.live("churn", "champion", CODEC);
      assertThat(production.version()).isEqualTo(1);
      assertThat(champion.version()).isEqualTo(2);

      registry.promote("churn", 1).to(Stage.ARCHIVED).as(CI).execute();
      assertThat(production.version()).isZero();
      assertThatThrownBy(production::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("v1 is no longer in PRODUCTION");
      try (LiveModel<Weights> fresh = registry.live("churn", Stage.PRODUCTION, CODEC)) {
        assertThatThrownBy(fresh::get).as("a new handle agrees").isInstanceOf(ModelVersionNotFoundException.class);
      }

      assertThat(registry.removeAlias("churn", "champion", CI)).isTrue();
      assertThat(champion.version()).isZero();
      assertThatThrownBy(champion::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("alias 'champion' was removed");

      registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
      assertThat(production.get()).isEqualTo(new Weights(0.9, 1.0));
      registry.deleteModel("churn", CI, true);
      assertThat(production.version()).isZero();
      assertThatThrownBy(production::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("model 'churn' was deleted at " + workspace.clock().instant());
      assertThat(withdrawn).containsExactly("churn v1: v1 is no longer in PRODUCTION",
          "churn v2: alias 'champion' was removed", "churn v2: model 'churn' was deleted at "
              + workspace.clock().instant());
    } finally {
      observed.close();
    }
  }

  void aLiveModelFollowsItsModelAcrossRenamesInThisProcessAndInAnother() {
    register(registry, "churn", 0.8);
    register(registry, "churn", 0.9);
    register(registry, "churn", 0.7);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    // Another process: another workspace object on the same stores, which no event of this one reaches.
    try (ModelRegistry serving = ModelRegistry.builder(workspace).pollInterval(Duration.ofHours(1)).build();
        Workspace otherProcess = Workspace.builder().clock(workspace.clock())
            .open(workspace.metadata(), workspace.blobs());
        ModelRegistry other = ModelRegistry.builder(otherProcess).pollInterval(Duration.ofHours(1)).build()) {
      LiveModel<Weights> live = serving.live("churn", Stage.PRODUCTION, CODEC);

      registry.renameModel("churn", "attrition", CI);
      registry.promote("attrition", 2).to(Stage.PRODUCTION).as(CI).execute();
      assertThat(live.version()).isEqualTo(2);
      assertThat(live).hasToString("LiveModel[models:/attrition/production v2]");

      other.renameModel("attrition", "retention", CI);
      other.promote("retention", 3).to(Stage.PRODUCTION).as(CI).execute();
      assertThat(live.version()).as("not refreshed yet").isEqualTo(2);
      assertThat(live.refresh()).isTrue();
      assertThat(live.get()).isEqualTo(new Weights(0.7, 1.0));
      assertThat(live).hasToString("LiveModel[models:/retention/production v3]");

      other.promote("retention", 3).to(Stage.NONE).as(CI).execute();
      assertThat(live.refresh()).isTrue();
      assertThat(live.version()).isZero();
      assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("v3 is no longer in PRODUCTION");
      assertThat(live.refresh()).isFalse();
    }
  }

  void aLiveModelWhoseCodecCannotReadTheVersionSaysSo() {
    register(registry, "churn", 0.8); // stored as json
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    try (LiveModel<byte[]> live = registry.live("churn", Stage.PRODUCTION, ModelCodecs.bytes())) {
      assertThat(live.version()).isZero();
      assertThatThrownBy(live::get).isInstanceOf(OpsException.class)
          .isNotInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("churn v1 was stored as json but is loaded with a bytes codec");
    }
  }

  void aLiveModelOnANameNoModelHasNamesTheClosestModels() {
    register(registry, "churn", 0.8);
    try (LiveModel<Weights> live = registry.live("chrun", Stage.PRODUCTION, CODEC)) {
      assertThatThrownBy(live::get).isInstanceOf(ModelVersionNotFoundException.class)
          .hasMessageContaining("there is no registered model 'chrun' (did you mean 'churn'?)");
    }
  }
}
