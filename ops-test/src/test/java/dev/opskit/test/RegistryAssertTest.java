package dev.opskit.test;

import static dev.opskit.ml.Stage.PRODUCTION;
import static dev.opskit.ml.Stage.STAGING;
import static dev.opskit.test.OpsAssertions.assertThat;
import static dev.opskit.test.OpsAssertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registry, model, stage and audit assertions pass on the right registry and fail listing what is there. */
@OpsTest
class RegistryAssertTest {
  private static final Actor CI = Actor.of("ci");
  private static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);

  record Weights(double bias) {}

  Workspace workspace;
  ModelRegistry registry;

  @BeforeEach
  void registerThreeVersionsAndPromoteTheLast() {
    for (int i = 1; i <= 3; i++) {
      registry.register("churn", new Weights(i), CODEC, CI);
    }
    registry.promote("churn", 2).to(PRODUCTION).as(CI).execute();
    registry.promote("churn", 3).to(PRODUCTION).as(CI).execute();
    registry.setAlias("churn", "champion", 3, CI);
    registry.register("fraud", new Weights(0), CODEC, CI);
  }

  @Test
  void theExampleOfTheBriefWorks() {
    assertThat(registry).model("churn").inStage(PRODUCTION).hasVersion(3);
  }

  @Test
  void modelAndStageAssertionsPassOnTheRightRegistry() {
    assertThat(registry).hasModels("fraud", "churn").doesNotHaveModel("pricing")
        .model("churn").hasVersions(3).hasLatestVersion(3).hasAlias("champion", 3).hasNoAlias("challenger")
        .inStage(PRODUCTION).hasVersion(3).includesVersion(3).hasExactlyVersions(3)
        .returnToModel().inStage(Stage.ARCHIVED).hasVersion(2)
        .returnToModel().inStage(Stage.NONE).hasExactlyVersions(1)
        .returnToModel().inStage(STAGING).hasNoVersion()
        .returnToModel().returnToRegistry().model("fraud").hasVersions(1);
  }

  @Test
  void aMissingModelIsReportedWithTheModelsThatExist() {
    assertThatThrownBy(() -> assertThat(registry).model("pricing")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting the registry to have a model 'pricing' but its models are [churn, fraud]");
    assertThatThrownBy(() -> assertThat(registry).hasModels("churn")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have exactly the models [churn] but its models are [churn, fraud]");
    assertThatThrownBy(() -> assertThat(registry).doesNotHaveModel("fraud")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have no model 'fraud' but it has one");
  }

  @Test
  void stageAssertionsFailListingEveryVersion() {
    assertThatThrownBy(() -> assertThat(registry).model("churn").inStage(PRODUCTION).hasVersion(2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting PRODUCTION of model 'churn' to hold version 2 but it holds version 3")
        .hasMessageContaining("versions of model 'churn':\n  v1  NONE  READY\n  v2  ARCHIVED  READY\n"
            + "  v3  PRODUCTION  READY  aliases [champion]");
    assertThatThrownBy(() -> assertThat(registry).model("churn").inStage(STAGING).hasVersion(1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to hold version 1 but no version is in STAGING");
    assertThatThrownBy(() -> assertThat(registry).model("churn").inStage(Stage.NONE).includesVersion(2))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to include version 2 but it holds version 1");
    assertThatThrownBy(() -> assertThat(registry).model("churn").inStage(PRODUCTION).hasNoVersion())
        .isInstanceOf(AssertionError.class).hasMessageContaining("to hold no version but it holds version 3");
  }

  @Test
  void severalStagingVersionsAreAssertedTogether() {
    try (ModelRegistry lenient = ModelRegistry.in(workspace)) {
      lenient.setPolicy("churn", PromotionPolicy.builder().maxStaging(2).build(), CI, "two in staging");
      lenient.register("churn", new Weights(4), CODEC, CI);
      lenient.promote("churn", 1).to(STAGING).as(CI).execute();
      lenient.promote("churn", 4).to(STAGING).as(CI).execute();
      assertThat(lenient).model("churn").inStage(STAGING).hasExactlyVersions(4, 1).includesVersion(4);
      assertThatThrownBy(() -> assertThat(lenient).model("churn").inStage(STAGING).hasVersion(4))
          .isInstanceOf(AssertionError.class).hasMessageContaining("to hold version 4 but it holds versions [1, 4]");
    }
  }

  @Test
  void versionCountsAndAliasesFailWithWhatIsThere() {
    assertThatThrownBy(() -> assertThat(registry).model("churn").hasVersions(4)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting model 'churn' to have 4 versions but it has 3");
    assertThatThrownBy(() -> assertThat(registry).model("churn").hasLatestVersion(2))
        .isInstanceOf(AssertionError.class).hasMessageContaining("latest version of model 'churn' to be 2 but it is 3");
    assertThatThrownBy(() -> assertThat(registry).model("churn").hasAlias("champion", 2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting alias 'champion' of model 'churn' to point at version 2 but it points at "
            + "version 3; its aliases are {champion=3}");
    assertThatThrownBy(() -> assertThat(registry).model("churn").hasAlias("challenger", 2))
        .isInstanceOf(AssertionError.class).hasMessageContaining("but there is no such alias");
    assertThatThrownBy(() -> assertThat(registry).model("churn").hasNoAlias("champion"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to have no alias 'champion' but it points at version 3");
  }

  @Test
  void anIntactAuditTrailVerifiesAndListsItsActions() {
    assertThat(registry.audit("churn")).verifies()
        .hasActions("REGISTER", "REGISTER", "REGISTER", "PROMOTE", "PROMOTE", "SET_ALIAS")
        .containsAction("SET_ALIAS").hasRecords(6);
  }

  @Test
  void auditAssertionsFailListingTheTrail() {
    assertThatThrownBy(() -> assertThat(registry.audit("fraud")).hasActions("CREATE_MODEL", "REGISTER"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting the audit trail's actions to be [CREATE_MODEL, REGISTER] but they are "
            + "[REGISTER]")
        .hasMessageContaining("the trail:\n  #1 REGISTER by ci at 2026-01-01T00:00:00Z v1");
    assertThatThrownBy(() -> assertThat(registry.audit("fraud")).containsAction("PROMOTE"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to contain the action PROMOTE");
    assertThatThrownBy(() -> assertThat(registry.audit("fraud")).hasRecords(3))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to hold 3 records but it holds 1");
    assertThatThrownBy(() -> assertThat(registry.audit("churn")).failsVerificationWith("edited"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to fail verification with \"edited\" but it verified");
  }

  @Test
  void aBrokenChainFailsWithTheMessageOfVerify() {
    AuditLog broken = new AuditLog() {
      @Override
      public List<AuditRecord> records() {
        return List.of();
      }

      @Override
      public Optional<String> verify() {
        return Optional.of("audit record 2 of model 'churn' was edited: its content does not match its hash");
      }

      @Override
      public OptionalInt stageAt(Stage stage, Instant time) {
        return OptionalInt.empty();
      }

      @Override
      public OptionalInt aliasAt(String alias, Instant time) {
        return OptionalInt.empty();
      }
    };
    assertThatThrownBy(() -> assertThat(broken).verifies()).isInstanceOf(AssertionError.class)
        .hasMessage("Expecting the audit trail to verify but audit record 2 of model 'churn' was edited: its content "
            + "does not match its hash");
    assertThat(broken).failsVerificationWith("was edited");
  }

}
