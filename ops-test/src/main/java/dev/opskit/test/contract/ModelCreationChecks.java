package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelAlreadyExistsException;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The checks of creating and updating a model that {@link ModelAdminContract} runs: {@code createModel} creates only
 * and names the model that exists, a model's {@code updatedAt} advances on every change of it or its versions, and
 * {@code updateModel} changes the description, advances {@code updatedAt} and is audited.
 */
final class ModelCreationChecks extends ModelAdminChecks {
  ModelCreationChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    super(workspace, registry, clock);
  }

  void createModelCreatesOnlyAndNamesTheModelThatExists() {
    RegisteredModel created = registry.createModel("churn", "first", Map.of("team", "risk"), CI);
    assertThat(created.description()).isEqualTo("first");
    assertThat(created.tags()).containsEntry("team", "risk");
    clock.advance(Duration.ofMinutes(1));

    assertThatThrownBy(() -> registry.createModel("churn", "second", Map.of(), CI))
        .isInstanceOfSatisfying(ModelAlreadyExistsException.class, e -> assertThat(e.model()).isEqualTo("churn"))
        .hasMessageContaining("model 'churn' already exists").hasMessageContaining("updateModel");
    RegisteredModel unchanged = registry.model("churn").orElseThrow();
    assertThat(unchanged.description()).isEqualTo("first");
    assertThat(unchanged.tags()).containsEntry("team", "risk");
    assertThat(unchanged.updatedAt()).isEqualTo(created.updatedAt());
  }

  void updatedAtAdvancesOnEveryChangeOfTheModelOrItsVersions() {
    registry.createModel("churn", "", Map.of(), CI);
    List<Runnable> changes = List.of(
        () -> register("churn", 0.8),
        () -> registry.setAlias("churn", "champion", 1, CI),
        () -> registry.removeAlias("churn", "champion", CI),
        () -> registry.approve("churn", 1, Stage.PRODUCTION, ALICE, "fine"),
        () -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute(),
        () -> registry.promote("churn", 1).to(Stage.NONE).as(CI).execute(),
        () -> registry.setVersionTag("churn", 1, "k", "v", CI),
        () -> registry.deleteVersionTag("churn", 1, "k", CI),
        () -> registry.setModelTag("churn", "k", "v", CI),
        () -> registry.deleteModelTag("churn", "k", CI),
        () -> registry.updateModel("churn", "described", CI),
        () -> registry.setPolicy("churn", PromotionPolicy.defaults(), CI, "reset"),
        () -> registry.copyVersion("churn", 1, "churn", CI),
        () -> registry.deleteVersion("churn", 2, CI, false));
    for (int i = 0; i < changes.size(); i++) {
      clock.advance(Duration.ofMinutes(1));
      changes.get(i).run();
      assertThat(registry.model("churn").orElseThrow().updatedAt()).as("change %d", i).isEqualTo(clock.instant());
    }
    clock.advance(Duration.ofMinutes(1));
    assertThat(registry.renameModel("churn", "attrition", CI).updatedAt()).isEqualTo(clock.instant());
  }

  void updateModelChangesTheDescriptionAdvancesUpdatedAtAndIsAudited() {
    RegisteredModel created = registry.createModel("churn", "first", Map.of(), CI);
    clock.advance(Duration.ofMinutes(1));
    RegisteredModel updated = registry.updateModel("churn", "who churns next month", ALICE);
    assertThat(updated.description()).isEqualTo("who churns next month");
    assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    assertThat(updated.updatedAt()).isEqualTo(clock.instant()).isAfter(created.updatedAt());
    assertThat(registry.model("churn").orElseThrow()).isEqualTo(updated);
    AuditRecord last = registry.audit("churn").records().get(1);
    assertThat(last.action()).isEqualTo("UPDATE_MODEL");
    assertThat(last.before()).containsEntry("description", "first");
    assertThat(last.after()).containsEntry("description", "who churns next month");
    assertThatThrownBy(() -> registry.updateModel("nope", "x", CI)).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("'nope'");
  }
}
