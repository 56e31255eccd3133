package dev.opskit.test.contract;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.time.ManualClock;
import java.time.Instant;
import org.apiguardian.api.API;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of managing models as a whole and their tags: create versus update, rename, delete, copy a version,
 * the latest version per stage, demotion to NONE, and one-tag edits, each audited, on any metadata store. opskit runs
 * it on in-memory, H2 and PostgreSQL workspaces.
 *
 * <pre>{@code
 * class MyModelAdminTest extends ModelAdminContract {
 *   @Override
 *   protected Workspace createWorkspace(ManualClock clock) {
 *     return Workspace.builder().clock(clock).openPostgres(myDataSource, blobDir);
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.MAINTAINED, since = "0.1.0")
public abstract class ModelAdminContract {
  /** A model of the tests: two numbers. */
  public record Weights(double bias, double slope) {}

  /** The clock every workspace of the suite runs on. */
  protected final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private Workspace workspace;
  private ModelRegistry registry;

  /** Creates the contract; subclasses supply the workspace. */
  protected ModelAdminContract() {}

  /**
   * Creates an empty workspace for one test.
   *
   * @param clock the clock it must use
   * @return the workspace
   */
  protected abstract Workspace createWorkspace(ManualClock clock);

  /** Opens the workspace and registry. */
  @BeforeEach
  void open() {
    workspace = createWorkspace(clock);
    registry = ModelRegistry.in(workspace);
  }

  /** Closes them. */
  @AfterEach
  void close() {
    if (registry != null) {
      registry.close();
    }
    if (workspace != null) {
      workspace.close();
    }
  }

  // Create and update (see ModelCreationChecks)

  @Test
  void createModelCreatesOnlyAndNamesTheModelThatExists() {
    creation().createModelCreatesOnlyAndNamesTheModelThatExists();
  }

  @Test
  void updatedAtAdvancesOnEveryChangeOfTheModelOrItsVersions() {
    creation().updatedAtAdvancesOnEveryChangeOfTheModelOrItsVersions();
  }

  @Test
  void updateModelChangesTheDescriptionAdvancesUpdatedAtAndIsAudited() {
    creation().updateModelChangesTheDescriptionAdvancesUpdatedAtAndIsAudited();
  }

  // Rename (see ModelRenameChecks)

  @Test
  void aRenamedModelTakesItsVersionsAliasesStagesPolicyAndAuditTrailAlong() {
    rename().aRenamedModelTakesItsVersionsAliasesStagesPolicyAndAuditTrailAlong();
  }

  @Test
  void theOldNameFailsNamingTheNewOneUntilItIsCreatedAgain() {
    rename().theOldNameFailsNamingTheNewOneUntilItIsCreatedAgain();
  }

  @Test
  void theSourceOfACopyFollowsTheRenameOfItsModel() {
    rename().theSourceOfACopyFollowsTheRenameOfItsModel();
  }

  @Test
  void aModelIsRenamedOnlyOntoANameNeverUsed() {
    rename().aModelIsRenamedOnlyOntoANameNeverUsed();
  }

  @Test
  void renameIsAskedOfTheAuthorizerForBothNames() {
    rename().renameIsAskedOfTheAuthorizerForBothNames();
  }

  // Delete (see ModelDeletionChecks)

  @Test
  void aModelServingAVersionIsDeletedOnlyWithForceAndItsTrailStaysVerifiable() {
    deletion().aModelServingAVersionIsDeletedOnlyWithForceAndItsTrailStaysVerifiable();
  }

  @Test
  void aDeletedModelsTrailIsListedAndReadableAndANameNeverUsedHasNone() {
    deletion().aDeletedModelsTrailIsListedAndReadableAndANameNeverUsedHasNone();
  }

  @Test
  void aDeletedModelIsCreatedAgainByARegistrationContinuingItsNumbers() {
    deletion().aDeletedModelIsCreatedAgainByARegistrationContinuingItsNumbers();
  }

  @Test
  void aForcedDeleteAsksTheAuthorizerToDemoteEachServingVersion() {
    deletion().aForcedDeleteAsksTheAuthorizerToDemoteEachServingVersion();
  }

  // Copy, latest per stage, demotion (see ModelCopyAndStageChecks)

  @Test
  void aCopiedVersionSharesTheArtifactAndRecordsItsSource() {
    copyAndStage().aCopiedVersionSharesTheArtifactAndRecordsItsSource();
  }

  @Test
  void latestVersionsGivesTheNewestOfEachStageInOneCall() {
    copyAndStage().latestVersionsGivesTheNewestOfEachStageInOneCall();
  }

  @Test
  void aDemotionToNoneIsAnAuditedAuthorizedGatedStageMove() {
    copyAndStage().aDemotionToNoneIsAnAuditedAuthorizedGatedStageMove();
  }

  // Tags (see ModelTagChecks)

  @Test
  void oneTagIsSetAndDeletedOnAModelAndOnAVersionEachAudited() {
    tags().oneTagIsSetAndDeletedOnAModelAndOnAVersionEachAudited();
  }

  @Test
  void aNullTagKeyAndAnOverlongValueAreClearErrorsNamingTheTag() {
    tags().aNullTagKeyAndAnOverlongValueAreClearErrorsNamingTheTag();
  }

  // Model search (see RegisteredModelSearchChecks)

  @Test
  void modelsAreFoundByNameTagAndDescriptionAndOrderedByNameCreationOrLastUpdate() {
    modelSearch().modelsAreFoundByNameTagAndDescriptionAndOrderedByNameCreationOrLastUpdate();
  }

  @Test
  void modelTagsAndDescriptionsOfAnyLengthAreComparedWhole() {
    modelSearch().modelTagsAndDescriptionsOfAnyLengthAreComparedWhole();
  }

  @Test
  void aNameIlikeSearchPagesThroughNamesWrittenInAnyCaseInNameOrder() {
    modelSearch().aNameIlikeSearchPagesThroughNamesWrittenInAnyCaseInNameOrder();
  }

  // Races (see ModelAdminRaceChecks)

  @Test
  void renameDuringRegistrationsLosesNoVersionAndLeavesNoGap() throws Exception {
    races().renameDuringRegistrationsLosesNoVersionAndLeavesNoGap();
  }

  @Test
  void copiesDuringARenameOfTheirSourceAllNameItsNewName() throws Exception {
    races().copiesDuringARenameOfTheirSourceAllNameItsNewName();
  }

  @Test
  void deleteDuringRegistrationsLeavesNoVersionOutsideAModelAndNoGap() throws Exception {
    races().deleteDuringRegistrationsLeavesNoVersionOutsideAModelAndNoGap();
  }

  @Test
  void racingTagEditsAreAllKeptAndAudited() throws Exception {
    races().racingTagEditsAreAllKeptAndAudited();
  }

  @Test
  void racingEditsOfOneTagLeaveTheLastAuditedValueInTheModelAndInEverySearch() throws Exception {
    races().racingEditsOfOneTagLeaveTheLastAuditedValueInTheModelAndInEverySearch();
  }

  @Test
  void deleteDuringPromotionLeavesAConsistentVerifiedState() throws Exception {
    races().deleteDuringPromotionLeavesAConsistentVerifiedState();
  }

  // The checks the tests above delegate to, on this test's workspace, registry and clock

  private ModelCreationChecks creation() {
    return new ModelCreationChecks(workspace, registry, clock);
  }

  private ModelRenameChecks rename() {
    return new ModelRenameChecks(workspace, registry, clock);
  }

  private ModelDeletionChecks deletion() {
    return new ModelDeletionChecks(workspace, registry, clock);
  }

  private ModelCopyAndStageChecks copyAndStage() {
    return new ModelCopyAndStageChecks(workspace, registry, clock);
  }

  private ModelTagChecks tags() {
    return new ModelTagChecks(workspace, registry, clock);
  }

  private RegisteredModelSearchChecks modelSearch() {
    return new RegisteredModelSearchChecks(workspace, registry, clock);
  }

  private ModelAdminRaceChecks races() {
    return new ModelAdminRaceChecks(workspace, registry, clock);
  }
}
