package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The classes behind models as a whole: {@link ModelAdmin}, {@link Tags}, the head marks and the renamed trail. */
class ModelAdminTest {
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

  private Optional<StoredRecord> record(String collection, String key) {
    return workspace.metadata().transact(tx -> tx.get(collection, key));
  }

  @Test
  void aNullDescriptionOrNullTagsMeanNoneWhenAModelIsCreatedOrUpdated() {
    RegisteredModel bare = registry.createModel("bare", null, null, CI);
    assertThat(bare.description()).isEmpty();
    assertThat(bare.tags()).isEmpty();
    assertThat(registry.createModel("tagged", null, Map.of("team", "risk"), CI).tags()).containsEntry("team", "risk");
    assertThat(registry.createModel("described", "who churns", null, CI).description()).isEqualTo("who churns");

    clock.advance(Duration.ofMinutes(1));
    RegisteredModel cleared = registry.updateModel("described", null, CI);
    assertThat(cleared.description()).isEmpty();
    assertThat(cleared.updatedAt()).isEqualTo(clock.instant());
    AuditRecord update = registry.audit("described").records().get(1);
    assertThat(update.before()).containsEntry("description", "who churns");
    assertThat(update.after()).containsEntry("description", "");
    assertThat(registry.audit("bare").records().get(0).after()).containsEntry("description", "");
    assertThat(registry.audit("bare").verify()).isEmpty();
    assertThat(registry.audit("described").verify()).isEmpty();
    // a null actor is still a mistake, named
    assertThatThrownBy(() -> registry.createModel("other", null, null, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("actor");
  }

  @Test
  void aDeletedModelLeavesItsCounterAndARenamedOneTakesItAlong() {
    registry.register("churn", "a", CODEC, CI);
    registry.register("churn", "b", CODEC, CI);
    registry.deleteModel("churn", CI, false);
    Docs.FormerDoc deleted = Docs.former(record(ModelAdmin.FORMER, "churn").orElseThrow().body());
    assertThat(deleted.renamedTo()).isNull();
    assertThat(deleted.counter()).isEqualTo("model-version:churn");
    assertThat(record(ModelHeads.COLLECTION, "churn").orElseThrow().body()).endsWith(" deleted");

    registry.register("churn", "c", CODEC, CI); // created again, implicitly: the counter continues
    assertThat(record(ModelAdmin.FORMER, "churn")).isEmpty();
    assertThat(record(ModelHeads.COLLECTION, "churn").orElseThrow().body()).startsWith("3 ");

    registry.renameModel("churn", "attrition", CI);
    Docs.ModelDoc renamed = Docs.model(record(RegistryImpl.MODELS, "attrition").orElseThrow().body());
    assertThat(renamed.counterName()).isEqualTo("model-version:churn");
    assertThat(record(ModelHeads.COLLECTION, "churn").orElseThrow().body()).endsWith(" renamed:attrition");
    assertThat(Docs.former(record(ModelAdmin.FORMER, "churn").orElseThrow().body()).renamedTo())
        .isEqualTo("attrition");

    registry.createModel("churn", "", Map.of(), CI);
    Docs.ModelDoc fresh = Docs.model(record(RegistryImpl.MODELS, "churn").orElseThrow().body());
    assertThat(fresh.counterName()).startsWith("model-version:churn~").isNotEqualTo(renamed.counterName());
    assertThat(registry.register("churn", "d", CODEC, CI).number()).isEqualTo(1);
    assertThat(registry.register("attrition", "e", CODEC, CI).number()).isEqualTo(4);
  }

  @Test
  void aRenameRelinksEveryCopyOfTheModelsVersionsDeletedOnesIncludedAndACopyWritesItsSourceModel() {
    registry.register("dev", "a", CODEC, CI);
    registry.register("dev", "b", CODEC, CI);
    long before = record(RegistryImpl.MODELS, "dev").orElseThrow().version();
    registry.copyVersion("dev", 2, "prod", CI);
    // the copy wrote the source's model record, which a rename deletes: the later of the two to commit conflicts
    assertThat(record(RegistryImpl.MODELS, "dev").orElseThrow().version()).isEqualTo(before + 1);
    registry.copyVersion("dev", 1, "prod", CI);
    registry.deleteVersion("prod", 2, CI, false);
    registry.register("develop", "c", CODEC, CI);
    registry.copyVersion("develop", 1, "prod", CI);

    registry.renameModel("dev", "research", CI);

    assertThat(registry.version("prod", 1).source()).contains("models:/research/2");
    Docs.VersionDoc deleted = Docs.version(record(RegistryImpl.VERSIONS, VersionRecords.versionKey("prod", 2))
        .orElseThrow().body());
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.version().source()).contains("models:/research/1");
    assertThat(record(RegistryImpl.VERSIONS, VersionRecords.versionKey("prod", 2)).orElseThrow().attributes())
        .containsEntry("source", "models:/research/1");
    assertThat(registry.version("prod", 3).source()).contains("models:/develop/1");
    assertThat(registry.search().filter("source = 'models:/research/2'").list().items())
        .extracting(ModelVersion::uri).containsExactly("models:/prod/1");
    assertThat(registry.search().filter("source = 'models:/dev/2'").count()).isZero();
  }

  @Test
  void aVersionWrittenUnderANameWhoseModelIsGoneIsAConflictToRetry() {
    registry.register("churn", "a", CODEC, CI);
    ModelVersion v = registry.version("churn", 1);
    workspace.metadata().transact(tx -> {
      ModelHeads.cleared(tx, "churn", clock.instant());
      return null;
    });
    assertThatThrownBy(() -> workspace.metadata().transact(tx -> {
      ModelHeads.versionWritten(tx, v, false, clock.instant());
      return null;
    })).isInstanceOf(StoreConflictException.class).hasMessageContaining("model 'churn' was deleted");
    workspace.metadata().transact(tx -> {
      ModelHeads.revived(tx, "churn", clock.instant());
      ModelHeads.versionWritten(tx, v, false, clock.instant());
      return null;
    });
    assertThat(workspace.metadata().transact(tx -> ModelHeads.read(tx, "churn")).orElseThrow().gone()).isNull();
  }

  @Test
  void aRenamedTrailReadsAsOneChainAndAnEditedLinkIsFound() {
    registry.register("churn", "a", CODEC, CI);
    registry.renameModel("churn", "attrition", CI);
    registry.renameModel("attrition", "retention", CI);
    registry.register("retention", "b", CODEC, CI);

    List<AuditRecord> trail = registry.audit("retention").records();
    assertThat(trail).extracting(AuditRecord::model)
        .containsExactly("churn", "churn", "attrition", "attrition", "retention", "retention");
    assertThat(trail).extracting(AuditRecord::action).containsExactly("REGISTER", "RENAME_MODEL", "RENAME_MODEL",
        "RENAME_MODEL", "RENAME_MODEL", "REGISTER");
    for (int i = 1; i < trail.size(); i++) {
      assertThat(trail.get(i).previousHash()).as("record %s", i).isEqualTo(trail.get(i - 1).hash());
    }
    assertThat(registry.audit("retention").verify()).isEmpty();
    assertThat(registry.audit("attrition").records()).hasSize(4);

    // a record of the old name's trail, edited, breaks the new name's verification too
    workspace.metadata().transact(tx -> {
      StoredRecord first = tx.require(AuditTrail.COLLECTION, "churn/000000000001");
      return tx.update(first, first.body().replace("\"ci\"", "\"cj\""), first.attributes());
    });
    assertThat(registry.audit("retention").verify()).hasValueSatisfying(problem ->
        assertThat(problem).contains("audit record 1 of model 'churn' was edited"));
  }

  @Test
  void tagsThatDoNotChangeWriteAndRecordNothing() {
    registry.createModel("churn", "", Map.of("team", "risk"), CI);
    registry.register("churn", "a", CODEC, CI);
    Instant before = registry.model("churn").orElseThrow().updatedAt();
    clock.advance(Duration.ofMinutes(1));
    assertThat(registry.setModelTag("churn", "team", "risk", CI)).contains("risk");
    assertThat(registry.deleteModelTag("churn", "absent", CI)).isFalse();
    assertThat(registry.deleteVersionTag("churn", 1, "absent", CI)).isFalse();
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(before);
    assertThat(registry.audit("churn").records()).extracting(AuditRecord::action)
        .containsExactly("CREATE_MODEL", "REGISTER");
    registry.deleteVersion("churn", 1, CI, false);
    assertThatThrownBy(() -> registry.setVersionTag("churn", 1, "k", "v", CI))
        .hasMessageContaining("has no version 1 (it was deleted)");
  }

  @Test
  void aDemotionOfAVersionInNoneChangesNothingAndLatestVersionsReadsPointersFirst() {
    registry.register("churn", "a", CODEC, CI);
    assertThat(registry.promote("churn", 1).to(Stage.NONE).as(CI).execute().auditId()).isNull();
    registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
    registry.register("churn", "b", CODEC, CI);
    registry.promote("churn", 2).to(Stage.STAGING).as(CI).execute(); // maxStaging 1: archives v1
    assertThat(registry.latestVersions("churn")).containsOnlyKeys(Stage.STAGING, Stage.ARCHIVED);
    assertThatThrownBy(() -> registry.latestVersions("other")).isInstanceOf(ModelNotFoundException.class);
  }
}
