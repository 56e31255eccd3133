package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.test.contract.ModelAdminContract.Weights;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of copying a version and of the stages of a model's versions that {@link ModelAdminContract} runs: a
 * copied version shares the artifact and records its source, {@code latestVersions} gives the newest version of each
 * stage in one call, and a demotion to NONE is an audited, authorized and gated stage move.
 */
final class ModelCopyAndStageChecks extends ModelAdminChecks {
  ModelCopyAndStageChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    super(workspace, registry, clock);
  }

  void aCopiedVersionSharesTheArtifactAndRecordsItsSource() {
    ModelVersion source = registry.registration("dev-churn", new Weights(0.5, 2.0), CODEC)
        .provenance(Provenance.builder().metric("auc", 0.83).build()).tags(Map.of("team", "risk"))
        .description("candidate").by(CI).register();
    register("prod-churn", 0.1);
    long blobs = blobCount();
    clock.advance(Duration.ofMinutes(1));

    ModelVersion copy = registry.copyVersion("dev-churn", 1, "prod-churn", ALICE);

    assertThat(copy.model()).isEqualTo("prod-churn");
    assertThat(copy.number()).isEqualTo(2);
    assertThat(copy.artifact()).isEqualTo(source.artifact());
    assertThat(copy.source()).contains("models:/dev-churn/1");
    assertThat(copy.stage()).isEqualTo(Stage.NONE);
    assertThat(copy.registeredBy()).isEqualTo("alice");
    assertThat(copy.metric("auc")).contains(0.83);
    assertThat(copy.tags()).containsEntry("team", "risk");
    assertThat(copy.description()).isEqualTo("candidate");
    assertThat(blobCount()).as("nothing uploaded again").isEqualTo(blobs);
    assertThat(registry.load("models:/prod-churn/2", CODEC)).isEqualTo(new Weights(0.5, 2.0));
    assertThat(registry.version("prod-churn", 2)).isEqualTo(copy);
    assertThat(registry.version("dev-churn", 1).source()).isEmpty();
    AuditRecord record = registry.audit("prod-churn").records().get(1);
    assertThat(record.action()).isEqualTo("REGISTER");
    assertThat(record.after()).containsEntry("copied_from", "models:/dev-churn/1")
        .containsEntry("artifact", source.artifact());
    assertThat(registry.model("prod-churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    assertThat(registry.audit("prod-churn").verify()).isEmpty();
    // into a model that does not exist yet, and from a version that is not READY
    assertThat(registry.copyVersion("dev-churn", 1, "staging-churn", CI).number()).isEqualTo(1);
    assertThatThrownBy(() -> registry.copyVersion("dev-churn", 9, "prod-churn", CI))
        .isInstanceOf(ModelVersionNotFoundException.class);
  }

  void latestVersionsGivesTheNewestOfEachStageInOneCall() {
    assertThatThrownBy(() -> registry.latestVersions("churn")).isInstanceOf(ModelNotFoundException.class);
    for (int i = 0; i < 6; i++) {
      register("churn", 0.5 + i / 100.0);
    }
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute(); // archives v1
    registry.promote("churn", 4).to(Stage.STAGING).as(CI).execute();
    registry.promote("churn", 3).to(Stage.ARCHIVED).as(CI).execute();
    registry.deleteVersion("churn", 6, CI, false);

    Map<Stage, ModelVersion> latest = registry.latestVersions("churn");
    assertThat(latest.keySet()).containsExactly(Stage.NONE, Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED);
    assertThat(latest.get(Stage.NONE).number()).isEqualTo(5);
    assertThat(latest.get(Stage.STAGING).number()).isEqualTo(4);
    assertThat(latest.get(Stage.PRODUCTION).number()).isEqualTo(2);
    assertThat(latest.get(Stage.ARCHIVED).number()).isEqualTo(3);
    registry.register("empty", new Weights(1, 1), CODEC, CI);
    registry.deleteVersion("empty", 1, CI, false);
    assertThat(registry.latestVersions("empty")).isEmpty();
  }

  void aDemotionToNoneIsAnAuditedAuthorizedGatedStageMove() {
    register("churn", 0.8);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    clock.advance(Duration.ofMinutes(1));

    PromotionReport report = registry.promote("churn", 1).to(Stage.NONE).as(ALICE).reason("pulled").execute();

    assertThat(report.approved()).isTrue();
    assertThat(report.from()).isEqualTo(Stage.PRODUCTION);
    assertThat(report.to()).isEqualTo(Stage.NONE);
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.NONE);
    assertThatThrownBy(() -> registry.resolve("models:/churn/production"))
        .isInstanceOf(ModelVersionNotFoundException.class);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    AuditRecord demotion = registry.audit("churn").records().get(2);
    assertThat(demotion.action()).isEqualTo("DEMOTE");
    assertThat(demotion.before()).containsEntry("stage", "PRODUCTION");
    assertThat(demotion.after()).containsEntry("stage", "NONE");
    assertThat(demotion.reason()).isEqualTo("pulled");
    assertThat(registry.audit("churn").verify()).isEmpty();

    // the policy's gates for NONE, none by default, guard demotions
    registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
    registry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.NONE, Gates.approvals(1)).build(), CI,
        "a demotion needs an approval");
    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.NONE).as(CI).execute())
        .isInstanceOf(PromotionRejectedException.class);
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.STAGING);
    Authorizer noDemotions = (actor, action, model, version) -> action == Action.DEMOTE
        ? Optional.of("no demotions") : Optional.empty();
    guarded(noDemotions, r -> {
      assertThatThrownBy(() -> r.promote("churn", 1).to(Stage.NONE).as(ALICE).execute())
          .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.action()).isEqualTo(Action.DEMOTE));
      return null;
    });
    registry.approve("churn", 1, Stage.NONE, ALICE, "ok to pull");
    assertThat(registry.promote("churn", 1).to(Stage.NONE).as(CI).execute().approved()).isTrue();
    assertThat(registry.audit("churn").verify()).isEmpty();
  }
}
