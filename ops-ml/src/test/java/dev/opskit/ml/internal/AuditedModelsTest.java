package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelTimeline.Change;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditedModel;
import dev.opskit.ml.audit.AuditedModel.State;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link AuditedModels}: which names have a trail to read, a deleted model's included, and which have none. */
class AuditedModelsTest {
  private static final ModelCodec<String> CODEC = ModelCodecs.json(String.class);
  private static final Actor CI = Actor.of("ci");

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private final Workspace workspace = Workspace.builder().clock(clock).openInMemory();
  private final ModelRegistry registry = ModelRegistry.in(workspace);

  @AfterEach
  void close() {
    registry.close();
    workspace.close();
  }

  /** prod-churn served v2 and was deleted with force; dev-churn was renamed; fraud has only a policy. */
  private Instant populate() {
    registry.register("prod-churn", "a", CODEC, CI);
    registry.register("prod-churn", "b", CODEC, CI);
    registry.promote("prod-churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.setAlias("prod-churn", "champion", 2, CI);
    registry.register("dev-churn", "c", CODEC, CI);
    registry.renameModel("dev-churn", "churn-experiments", CI);
    registry.setPolicy("fraud", PromotionPolicy.defaults(), CI, "ahead of the model");
    clock.advance(Duration.ofHours(1));
    registry.deleteModel("prod-churn", CI, true);
    return clock.instant();
  }

  @Test
  void aNameNeverUsedHasNoTrailToReadAndTheErrorSuggestsTheClosestNames() {
    populate();

    assertThatThrownBy(() -> registry.audit("prod-chrun")).isInstanceOf(ModelNotFoundException.class)
        .hasMessage("no registered model 'prod-chrun', and none was deleted or renamed away under that name: it has "
            + "no audit trail; did you mean 'prod-churn'? known names with an audit trail: [churn-experiments, "
            + "dev-churn, fraud, prod-churn]");
    assertThatThrownBy(() -> registry.timeline("prod-chrun")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("did you mean 'prod-churn'?");
    assertThat(registry.auditedModel("prod-chrun")).isEmpty();
    try (Workspace empty = Workspace.inMemory(); ModelRegistry none = ModelRegistry.in(empty)) {
      assertThatThrownBy(() -> none.audit("nope")).isInstanceOf(ModelNotFoundException.class)
          .hasMessageEndingWith("it has no audit trail; the registry has no models yet");
    }
  }

  @Test
  void aDeletedModelsTrailAndTimelineStayReadable() {
    Instant deletedAt = populate();

    assertThat(registry.audit("prod-churn").verify()).isEmpty();
    ModelTimeline timeline = registry.timeline("prod-churn");
    assertThat(timeline.model()).isEqualTo("prod-churn");
    assertThat(timeline.changes())
        .extracting(Change::action, Change::version, Change::alias, Change::from, Change::to)
        .containsExactly(tuple("PROMOTE", 2, null, "NONE", "PRODUCTION"), tuple("SET_ALIAS", 2, "champion", "", "2"),
            tuple("REMOVE_ALIAS", 2, "champion", "2", ""),
            tuple("DELETE_MODEL", 2, null, "PRODUCTION", "ARCHIVED"));
    assertThat(timeline.changes().get(3).at()).isEqualTo(deletedAt);

    assertThat(registry.auditedModel("prod-churn"))
        .hasValue(new AuditedModel("prod-churn", State.DELETED, null, deletedAt));
  }

  @Test
  void aNameRenamedAwayKeepsItsTrailAndItsTimelinePointsToTheNewName() {
    populate();

    assertThat(registry.audit("dev-churn").records()).last().satisfies(r -> {
      assertThat(r.action()).isEqualTo("RENAME_MODEL");
      assertThat(r.after()).containsEntry("model", "churn-experiments");
    });
    assertThatThrownBy(() -> registry.timeline("dev-churn")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("renamed to 'churn-experiments'");
    assertThat(registry.timeline("churn-experiments").changes()).isEmpty();
    // a name with a trail but no model has no timeline, but its trail reads
    assertThatThrownBy(() -> registry.timeline("fraud")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("no registered model 'fraud'");
    assertThat(registry.audit("fraud").records()).extracting(r -> r.action()).containsExactly("SET_POLICY");
  }

  @Test
  void everyNameWithATrailIsListedInNameOrderWithWhatBecameOfItsModel() {
    Instant deletedAt = populate();
    Instant renamedAt = deletedAt.minus(Duration.ofHours(1));

    Page<AuditedModel> first = registry.auditedModels(3, 0);
    assertThat(first.items()).containsExactly(
        new AuditedModel("churn-experiments", State.REGISTERED, null, null),
        new AuditedModel("dev-churn", State.RENAMED, "churn-experiments", renamedAt),
        new AuditedModel("fraud", State.NO_MODEL, null, null));
    assertThat(first.hasMore()).isTrue();
    Page<AuditedModel> rest = registry.auditedModels(3, first.nextOffset());
    assertThat(rest.items()).containsExactly(new AuditedModel("prod-churn", State.DELETED, null, deletedAt));
    assertThat(rest.hasMore()).isFalse();
    assertThat(registry.models(10, 0).items()).hasSize(1);

    // created again, the name is a registered model's, whose trail continues the deleted one's
    registry.createModel("prod-churn", "again", Map.of(), CI);
    assertThat(registry.auditedModel("prod-churn")).map(AuditedModel::state).hasValue(State.REGISTERED);
    assertThatThrownBy(() -> registry.auditedModels(0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> registry.auditedModels(10, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
  }

  @Test
  void aDeletedModelsTrailThatWasTamperedWithFailsVerification() {
    populate();
    workspace.metadata().transact(tx -> {
      StoredRecord promote = tx.require(AuditTrail.COLLECTION, AuditTrail.key("prod-churn", 3));
      return tx.update(promote, promote.body().replace("\"ci\"", "\"mallory\""), promote.attributes());
    });

    assertThat(registry.audit("prod-churn").verify()).hasValueSatisfying(problem ->
        assertThat(problem).contains("audit record 3 of model 'prod-churn' was edited"));
  }

  @Test
  void theStateOfANameChecksItsParts() {
    assertThatThrownBy(() -> new AuditedModel("m", State.RENAMED, null, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("renamedTo");
    assertThatThrownBy(() -> new AuditedModel("m", State.DELETED, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("since");
    assertThatThrownBy(() -> new AuditedModel("m", State.REGISTERED, null, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("since");
    AuditedModel renamed = new AuditedModel("m", State.RENAMED, "n", Instant.EPOCH);
    assertThat(renamed.newName()).hasValue("n");
    assertThat(renamed.goneAt()).hasValue(Instant.EPOCH);
    assertThat(new AuditedModel("m", State.NO_MODEL, null, null).goneAt()).isEmpty();
  }
}
