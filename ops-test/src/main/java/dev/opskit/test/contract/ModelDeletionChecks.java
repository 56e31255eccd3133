package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.audit.AuditedModel;
import dev.opskit.time.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of deleting a model that {@link ModelAdminContract} runs: a model serving a version is deleted only with
 * force and its trail stays listed, readable and verifiable (while a name never used has no trail), a deleted model is
 * created again by a registration that continues its numbers, and a forced delete asks the authorizer to demote each
 * serving version.
 */
final class ModelDeletionChecks extends ModelAdminChecks {
  ModelDeletionChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    super(workspace, registry, clock);
  }

  void aModelServingAVersionIsDeletedOnlyWithForceAndItsTrailStaysVerifiable() {
    servingChurn();

    assertThatThrownBy(() -> registry.deleteModel("churn", CI, false)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model 'churn'").hasMessageContaining("[v2, v3]").hasMessageContaining("force");
    assertThat(registry.model("churn")).isPresent();

    registry.deleteModel("churn", CI, true);
    assertThat(registry.model("churn")).isEmpty();
    assertThat(registry.models(10, 0).items()).extracting(RegisteredModel::name).doesNotContain("churn");
    assertThatThrownBy(() -> registry.version("churn", 1)).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("'churn': it was deleted");
    assertThatThrownBy(() -> registry.resolve("models:/churn/production")).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.resolve("models:/churn@champion")).isInstanceOf(ModelNotFoundException.class);
    assertThat(registry.search().model("churn").count()).isZero();
    List<String> actions = actions("churn");
    assertThat(actions).endsWith("REMOVE_ALIAS", "DELETE_MODEL");
    AuditRecord deletion = registry.audit("churn").records().get(actions.size() - 1);
    assertThat(deletion.after()).containsEntry("archived", "2,3");
    assertThat(registry.audit("churn").verify()).isEmpty();

    // created again, its numbers continue after the deleted model's: never reused
    registry.createModel("churn", "again", Map.of(), CI);
    assertThat(register("churn", 0.6).number()).isEqualTo(4);
    assertThat(registry.versions("churn", 10, 0).items()).extracting(ModelVersion::number).containsExactly(4);
    assertThat(registry.audit("churn").verify()).isEmpty();
    assertThat(registry.audit("churn").records()).extracting(AuditRecord::action).contains("DELETE_MODEL");
  }

  void aDeletedModelsTrailIsListedAndReadableAndANameNeverUsedHasNone() {
    servingChurn();
    register("fraud", 0.5);
    registry.renameModel("fraud", "fraud-v2", CI);
    clock.advance(java.time.Duration.ofMinutes(5));
    registry.deleteModel("churn", CI, true);
    java.time.Instant deletedAt = clock.instant();

    // deleted, the model's trail is still listed with the others, said to be deleted, and reads and verifies
    assertThat(registry.auditedModels(10, 0).items()).containsExactly(
        new AuditedModel("churn", AuditedModel.State.DELETED, null, deletedAt),
        new AuditedModel("fraud", AuditedModel.State.RENAMED, "fraud-v2", deletedAt.minusSeconds(300)),
        new AuditedModel("fraud-v2", AuditedModel.State.REGISTERED, null, null));
    assertThat(registry.auditedModel("churn")).hasValue(registry.auditedModels(1, 0).items().get(0));
    assertThat(registry.audit("churn").records()).last().extracting(AuditRecord::action).isEqualTo("DELETE_MODEL");
    assertThat(registry.audit("churn").verify()).isEmpty();

    // a name nothing was recorded under is an error, not an empty trail that verifies
    assertThat(registry.auditedModel("chrun")).isEmpty();
    assertThatThrownBy(() -> registry.audit("chrun")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("no registered model 'chrun'").hasMessageContaining("did you mean 'churn'?");
    assertThatThrownBy(() -> registry.timeline("chrun")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("did you mean 'churn'?");
  }

  void aDeletedModelIsCreatedAgainByARegistrationContinuingItsNumbers() {
    register("churn", 0.8);
    register("churn", 0.8);
    registry.deleteModel("churn", CI, false);
    assertThat(register("churn", 0.9).number()).isEqualTo(3);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(3);
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  void aForcedDeleteAsksTheAuthorizerToDemoteEachServingVersion() {
    register("churn", 0.8);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    Authorizer noDemotions = (actor, action, model, version) -> action == Action.DEMOTE
        ? Optional.of("production is frozen") : Optional.empty();
    guarded(noDemotions, r -> {
      assertThatThrownBy(() -> r.deleteModel("churn", CI, true)).isInstanceOfSatisfying(AccessDeniedException.class,
          e -> assertThat(e.action()).isEqualTo(Action.DEMOTE)).hasMessageContaining("production is frozen");
      return null;
    });
    assertThat(registry.resolve("models:/churn/production").number()).isEqualTo(1);
    Authorizer noDeletes = (actor, action, model, version) -> action == Action.DELETE_MODEL
        ? Optional.of("no deletes") : Optional.empty();
    guarded(noDeletes, r -> {
      assertThatThrownBy(() -> r.deleteModel("churn", CI, true)).isInstanceOf(AccessDeniedException.class);
      return null;
    });
    assertThat(registry.model("churn")).isPresent();
    assertThat(registry.audit("churn").verify()).isEmpty();
  }
}
