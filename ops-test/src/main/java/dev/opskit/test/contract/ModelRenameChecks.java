package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelAlreadyExistsException;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.test.contract.ModelAdminContract.Weights;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of renaming a model that {@link ModelAdminContract} runs: the versions, aliases, stages, policy and audit
 * trail go along, the old name fails naming the new one until it is created again, the copies of its versions name
 * it by its new name, a model is renamed only onto a name never used, and the authorizer is asked for both names.
 */
final class ModelRenameChecks extends ModelAdminChecks {
  ModelRenameChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    super(workspace, registry, clock);
  }

  void aRenamedModelTakesItsVersionsAliasesStagesPolicyAndAuditTrailAlong() {
    PromotionPolicy policy = PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.metricAtLeast("auc", 0.5))
        .fourEyes(false).build();
    registry.setPolicy("churn", policy, ALICE, "auc floor");
    servingChurn();
    registry.approve("churn", 3, Stage.PRODUCTION, ALICE, "looks good");
    Instant created = registry.model("churn").orElseThrow().createdAt();
    clock.advance(Duration.ofMinutes(1));

    RegisteredModel renamed = registry.renameModel("churn", "churn-v2", ALICE);

    assertThat(renamed.name()).isEqualTo("churn-v2");
    assertThat(renamed.createdAt()).isEqualTo(created);
    assertThat(renamed.updatedAt()).isEqualTo(clock.instant());
    assertThat(renamed.latestVersion()).isEqualTo(3);
    assertThat(registry.model("churn")).isEmpty();
    assertThat(registry.versions("churn-v2", 10, 0).items()).extracting(ModelVersion::number).containsExactly(3, 2, 1);
    assertThat(registry.versions("churn-v2", 10, 0).items()).extracting(ModelVersion::model).containsOnly("churn-v2");
    assertThat(registry.resolve("models:/churn-v2@champion").number()).isEqualTo(2);
    assertThat(registry.resolve("models:/churn-v2/production").number()).isEqualTo(2);
    assertThat(registry.resolve("models:/churn-v2/staging").number()).isEqualTo(3);
    assertThat(registry.resolve("models:/churn-v2/latest").number()).isEqualTo(3);
    assertThat(registry.aliases("churn-v2")).containsExactly(Map.entry("champion", 2));
    assertThat(registry.policy("churn-v2").gatesFor(Stage.PRODUCTION)).hasSize(1);
    assertThat(registry.load("models:/churn-v2/1", CODEC)).isEqualTo(new Weights(0.8, 1.0));
    assertThat(registry.search().model("churn-v2").count()).isEqualTo(3);
    assertThat(registry.search().model("churn").count()).isZero();

    // the trail follows: the old name's records, then the new name's, one verified chain
    List<AuditRecord> trail = registry.audit("churn-v2").records();
    assertThat(trail).extracting(AuditRecord::action).startsWith("SET_POLICY", "REGISTER", "REGISTER", "REGISTER")
        .containsSubsequence("RENAME_MODEL", "RENAME_MODEL", "SET_POLICY");
    AuditRecord rename = trail.stream().filter(r -> r.action().equals("RENAME_MODEL")).findFirst().orElseThrow();
    assertThat(rename.before()).containsEntry("model", "churn");
    assertThat(rename.after()).containsEntry("model", "churn-v2");
    assertThat(rename.actor()).isEqualTo("alice");
    assertThat(registry.audit("churn-v2").verify()).isEmpty();
    assertThat(registry.audit("churn").verify()).isEmpty();
    assertThat(registry.audit("churn").records()).last().extracting(AuditRecord::action).isEqualTo("RENAME_MODEL");

    // the stage history and rollbacks read the whole trail
    registry.promote("churn-v2", 3).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(registry.rollback("churn-v2", CI, "back").version()).isEqualTo(2);
    // approvals followed: four-eyes approval counted under the new name
    assertThat(registry.audit("churn-v2").verify()).isEmpty();
  }

  void theOldNameFailsNamingTheNewOneUntilItIsCreatedAgain() {
    register("churn", 0.8);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    registry.setAlias("churn", "champion", 1, CI);
    registry.renameModel("churn", "attrition", CI);

    for (String uri : List.of("models:/churn/1", "models:/churn@champion", "models:/churn/production",
        "models:/churn/latest")) {
      assertThatThrownBy(() -> registry.resolve(uri)).as(uri).isInstanceOf(ModelNotFoundException.class)
          .hasMessageContaining("renamed to 'attrition'").hasMessageContaining("models:/attrition/");
    }
    assertThatThrownBy(() -> registry.version("churn", 1)).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("renamed to 'attrition'");
    // a registration meant for the renamed model does not start another one under the old name
    assertThatThrownBy(() -> register("churn", 0.9)).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("renamed to 'attrition'");
    assertThat(register("attrition", 0.9).number()).isEqualTo(2);

    // the old name is free: created again, it is a new model whose numbers start at 1
    registry.createModel("churn", "a new churn model", Map.of(), CI);
    assertThat(register("churn", 0.5).number()).isEqualTo(1);
    assertThat(register("attrition", 0.95).number()).isEqualTo(3);
    assertThat(registry.audit("churn").verify()).isEmpty();
    assertThat(registry.audit("attrition").verify()).isEmpty();
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(1);
    assertThat(registry.resolve("models:/attrition/production").number()).isEqualTo(1);
  }

  /**
   * The cookbook's sequence: copy a version from a dev model to a prod model, then rename the dev model. The copy's
   * source follows the rename, resolves, is found by a search on the new URI, and does not move to the model created
   * again under the old name. A copy within the renamed model follows too; a deleted copy is no obstacle.
   */
  void theSourceOfACopyFollowsTheRenameOfItsModel() {
    register("dev-churn", 0.80);
    ModelVersion original = register("dev-churn", 0.85);
    ModelVersion prod = registry.copyVersion("dev-churn", 2, "prod-churn", CI);
    registry.copyVersion("dev-churn", 1, "prod-churn", CI);
    registry.deleteVersion("prod-churn", 2, CI, false);
    ModelVersion inside = registry.copyVersion("dev-churn", 1, "dev-churn", CI);
    register("dev-churn-2", 0.7);
    registry.copyVersion("dev-churn-2", 1, "prod-churn", CI);   // a name that only starts with the renamed one
    assertThat(prod.source()).contains("models:/dev-churn/2");
    clock.advance(Duration.ofMinutes(1));
    Instant copiedAt = registry.version("prod-churn", 1).updatedAt();

    registry.renameModel("dev-churn", "churn-experiments", CI);

    ModelVersion relinked = registry.version("prod-churn", 1);
    assertThat(relinked.source()).contains("models:/churn-experiments/2");
    assertThat(relinked.updatedAt()).as("nothing about the copy changed").isEqualTo(copiedAt);
    assertThat(registry.resolve(relinked.source().orElseThrow()).artifact()).isEqualTo(original.artifact());
    assertThat(registry.version("churn-experiments", inside.number()).source())
        .contains("models:/churn-experiments/1");
    assertThat(registry.version("prod-churn", 3).source()).contains("models:/dev-churn-2/1");
    assertThat(registry.search().filter("source = 'models:/churn-experiments/2'").list().items())
        .extracting(ModelVersion::uri).containsExactly("models:/prod-churn/1");
    assertThat(registry.search().filter("source like 'models:/churn-experiments/%'").count()).isEqualTo(2);
    assertThat(registry.search().filter("source like 'models:/dev-churn/%'").count()).isZero();
    // the copy's audit record keeps the URI it was made from, and every trail still verifies
    assertThat(registry.audit("prod-churn").records().get(0).after())
        .containsEntry("copied_from", "models:/dev-churn/2");
    assertThat(registry.audit("prod-churn").verify()).isEmpty();
    assertThat(registry.audit("churn-experiments").verify()).isEmpty();

    // a model created again under the old name does not take the link
    registry.createModel("dev-churn", "another model", Map.of(), CI);
    register("dev-churn", 0.1);
    register("dev-churn", 0.2);
    assertThat(registry.version("prod-churn", 1).source()).contains("models:/churn-experiments/2");
    assertThat(registry.search().filter("source = 'models:/dev-churn/2'").count()).isZero();
  }

  void aModelIsRenamedOnlyOntoANameNeverUsed() {
    register("churn", 0.8);
    register("taken", 0.8);
    assertThatThrownBy(() -> registry.renameModel("churn", "taken", CI))
        .isInstanceOfSatisfying(ModelAlreadyExistsException.class, e -> assertThat(e.model()).isEqualTo("taken"))
        .hasMessageContaining("model 'taken' already exists");
    registry.setPolicy("governed", PromotionPolicy.defaults(), CI, "ahead of time");
    assertThatThrownBy(() -> registry.renameModel("churn", "governed", CI))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'governed'")
        .hasMessageContaining("a promotion policy");
    registry.deleteModel("taken", CI, false);
    assertThatThrownBy(() -> registry.renameModel("churn", "taken", CI))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("versions of a deleted model");
    assertThatThrownBy(() -> registry.renameModel("nope", "other", CI)).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.renameModel("churn", "churn", CI)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.renameModel("churn", "bad name", CI)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad name");
    assertThat(registry.version("churn", 1).model()).isEqualTo("churn");
  }

  void renameIsAskedOfTheAuthorizerForBothNames() {
    register("churn", 0.8);
    List<String> asked = Collections.synchronizedList(new ArrayList<>());
    Authorizer authorizer = (actor, action, model, version) -> {
      if (action == Action.RENAME_MODEL) {
        asked.add(model);
      }
      return action == Action.RENAME_MODEL && model.equals("secret") ? Optional.of("not that name") : Optional.empty();
    };
    guarded(authorizer, r -> {
      assertThatThrownBy(() -> r.renameModel("churn", "secret", CI)).isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("not that name");
      return r.renameModel("churn", "open", CI);
    });
    assertThat(asked).containsExactly("churn", "secret", "churn", "open");
    assertThat(registry.model("open")).isPresent();
  }
}
