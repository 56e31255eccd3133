package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the model registry on a workspace, as an abstract JUnit 5 suite. opskit runs it on in-memory, H2
 * and PostgreSQL workspaces; a third party with its own {@link dev.opskit.store.MetadataStore} can run it on theirs.
 *
 * <pre>{@code
 * class MyRegistryTest extends ModelRegistryContract {
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
public abstract class ModelRegistryContract {
  /** A model of the tests: two numbers. */
  public record Weights(double bias, double slope) {}

  static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  static final Actor CI = Actor.of("ci");
  static final Actor ALICE = Actor.of("alice");
  static final Actor BOB = Actor.of("bob");

  /** The clock every workspace of the suite runs on. */
  protected final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private Workspace workspace;
  private ModelRegistry registry;

  /** Creates the contract; subclasses supply the workspace. */
  protected ModelRegistryContract() {}

  /**
   * Creates an empty workspace for one test.
   *
   * @param clock the clock it must use
   * @return the workspace
   */
  protected abstract Workspace createWorkspace(ManualClock clock);

  /**
   * Edits the stored body of a record without going through opskit, to simulate tampering. The default rewrites it
   * through the metadata store; stores reachable with SQL may flip a byte in the row instead.
   *
   * @param workspace the workspace
   * @param collection the record's collection
   * @param key the record's key
   * @param edit the new body from the old one
   */
  protected void tamper(Workspace workspace, String collection, String key,
      java.util.function.UnaryOperator<String> edit) {
    workspace.metadata().transact(tx -> {
      StoredRecord r = tx.require(collection, key);
      return tx.update(r, edit.apply(r.body()), r.attributes());
    });
  }

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

  static ModelVersion register(ModelRegistry registry, String model, double auc) {
    return registry.registration(model, new Weights(auc, 1.0), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(CI).register();
  }

  @Test
  void aRegisteredVersionCarriesItsArtifactProvenanceAndSignature() {
    registration().aRegisteredVersionCarriesItsArtifactProvenanceAndSignature();
  }

  @Test
  void urisResolveByNumberAliasStageAndLatest() {
    register(registry, "churn", 0.8);
    register(registry, "churn", 0.9);
    registry.setAlias("churn", "champion", 1, CI);
    registry.promote("churn", 2).to(Stage.STAGING).as(CI).execute();
    assertThat(registry.resolve("models:/churn/1").number()).isEqualTo(1);
    assertThat(registry.resolve("models:/churn@champion").number()).isEqualTo(1);
    assertThat(registry.resolve("models:/churn/staging").number()).isEqualTo(2);
    assertThat(registry.resolve("models:/churn/STAGING").number()).isEqualTo(2);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(2);
    assertThatThrownBy(() -> registry.resolve("churn:3")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("models:/<model>/<version>, models:/<model>@<alias>");
    assertThatThrownBy(() -> registry.resolve("models:/churn/production"))
        .isInstanceOf(ModelVersionNotFoundException.class).hasMessage("model 'churn' has no version in PRODUCTION");
    assertThatThrownBy(() -> registry.resolve("models:/churn@nobody"))
        .isInstanceOf(ModelVersionNotFoundException.class).hasMessageContaining("its aliases are [champion]");
    assertThatThrownBy(() -> registry.version("churn", 7)).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessage("model 'churn' has no version 7; its versions are 1 to 2");
    assertThatThrownBy(() -> registry.version("fraud", 1)).isInstanceOf(ModelNotFoundException.class)
        .hasMessage("no registered model 'fraud'; registered models include [churn]");
    assertThatThrownBy(() -> registry.resolve("models:/churn/frozen")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither a version number, 'latest', nor a stage");
  }

  @Test
  void promotingAVersionAlreadyInTheStageReportsThatNothingChangedUnlessStrict() {
    promotion().promotingAVersionAlreadyInTheStageReportsThatNothingChangedUnlessStrict();
  }

  @Test
  void concurrentRegistrationsAreNumberedWithoutGapsOrDuplicates() throws Exception {
    registration().concurrentRegistrationsAreNumberedWithoutGapsOrDuplicates();
  }

  @Test
  void concurrentWritesToOneModelKeepItsAuditTrailWholeAndInOrder() throws Exception {
    audit().concurrentWritesToOneModelKeepItsAuditTrailWholeAndInOrder();
  }

  @Test
  void anIdempotencyKeyMakesARetriedRegistrationReturnTheFirstVersion() throws Exception {
    registration().anIdempotencyKeyMakesARetriedRegistrationReturnTheFirstVersion();
  }

  /** Writes an artifact. */
  interface ArtifactWriter {
    void write(OutputStream out) throws IOException;
  }

  /** A codec that encodes with the given writer and cannot decode. */
  static ModelCodec<Weights> encodingOnly(String format, ArtifactWriter writer) {
    return new ModelCodec<>() {
      @Override
      public String format() {
        return format;
      }

      @Override
      public void encode(Weights model, OutputStream out) throws IOException {
        writer.write(out);
      }

      @Override
      public Weights decode(InputStream in) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void aLargeArtifactIsPendingWhileItIsStoredAndASmallOneIsNeverSeenPending() throws Exception {
    registration().aLargeArtifactIsPendingWhileItIsStoredAndASmallOneIsNeverSeenPending();
  }

  @Test
  void aFailedRegistrationKeepsItsNumberAndTakesNoAlias() {
    registration().aFailedRegistrationKeepsItsNumberAndTakesNoAlias();
  }

  @Test
  void aliasesMoveAndAreReservedForNames() {
    register(registry, "churn", 0.8);
    register(registry, "churn", 0.9);
    assertThat(registry.setAlias("churn", "champion", 1, CI)).isZero();
    assertThat(registry.setAlias("churn", "blessed", 1, CI)).isZero();
    assertThat(registry.version("churn", 1).aliases()).containsExactly("blessed", "champion");
    assertThat(registry.setAlias("churn", "champion", 2, CI)).isEqualTo(1);
    assertThat(registry.version("churn", 1).aliases()).containsExactly("blessed");
    assertThat(registry.version("churn", 2).aliases()).containsExactly("champion");
    assertThat(registry.aliases("churn")).containsOnly(Map.entry("blessed", 1), Map.entry("champion", 2));
    assertThat(registry.removeAlias("churn", "blessed", CI)).isTrue();
    assertThat(registry.removeAlias("churn", "blessed", CI)).isFalse();
    for (String reserved : List.of("latest", "Latest", "v3", "42")) {
      assertThatThrownBy(() -> registry.setAlias("churn", reserved, 1, CI))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is reserved");
    }
    assertThatThrownBy(() -> registry.setAlias("churn", "bad alias", 1, CI))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias name 'bad alias' is illegal");
  }

  @Test
  void aModelHasOneProductionVersionAndByDefaultOneInStaging() {
    promotion().aModelHasOneProductionVersionAndByDefaultOneInStaging();
  }

  @Test
  void everyGateRunsAndARejectionChangesNothing() {
    promotion().everyGateRunsAndARejectionChangesNothing();
  }

  @Test
  void beatingTheChampionNeedsTheSameEvaluationData() {
    promotion().beatingTheChampionNeedsTheSameEvaluationData();
  }

  @Test
  void versionsWithoutEvaluationDataAreComparedOnTheirRecordedMetrics() {
    promotion().versionsWithoutEvaluationDataAreComparedOnTheirRecordedMetrics();
  }

  @Test
  void approvalsCountDistinctActorsUnderTheFourEyesRule() {
    promotion().approvalsCountDistinctActorsUnderTheFourEyesRule();
  }

  @Test
  void anApprovalCountsForOnePromotionOfItsVersionToItsStage() {
    promotion().anApprovalCountsForOnePromotionOfItsVersionToItsStage();
  }

  @Test
  void approvalsRacingThePromotionTheyAreForAreUsedByItOrRefused() throws Exception {
    audit().approvalsRacingThePromotionTheyAreForAreUsedByItOrRefused();
  }

  @Test
  void twoConcurrentPromotionsToProductionHaveExactlyOneWinner() throws Exception {
    promotion().twoConcurrentPromotionsToProductionHaveExactlyOneWinner();
  }

  @Test
  void rollbackReturnsProductionToThePreviousVersionAndIsAudited() {
    promotion().rollbackReturnsProductionToThePreviousVersionAndIsAudited();
  }

  @Test
  void theAuditTrailAnswersWhoHeldWhatAndWhen() {
    audit().theAuditTrailAnswersWhoHeldWhatAndWhen();
  }

  @Test
  void verifyNamesTheFirstEditedOrDeletedAuditRecord() {
    audit().verifyNamesTheFirstEditedOrDeletedAuditRecord();
  }

  @Test
  void anAuthorizerRefusalIsAnExceptionAndAnAuditRecord() {
    audit().anAuthorizerRefusalIsAnExceptionAndAnAuditRecord();
  }

  @Test
  void deletionNeedsArchivingAndForceForAliasesAndNeverReusesNumbers() {
    register(registry, "churn", 0.8);
    register(registry, "churn", 0.9);
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.setAlias("churn", "old", 1, CI);
    assertThatThrownBy(() -> registry.deleteVersion("churn", 2, CI, false)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is in PRODUCTION and cannot be deleted");
    assertThatThrownBy(() -> registry.deleteVersion("churn", 1, CI, false)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds aliases [old]");
    registry.deleteVersion("churn", 1, CI, true);
    assertThat(registry.aliases("churn")).isEmpty();
    assertThatThrownBy(() -> registry.version("churn", 1)).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("(it was deleted)");
    assertThat(register(registry, "churn", 0.7).number()).isEqualTo(3);
    assertThat(registry.versions("churn", 10, 0).items()).extracting(ModelVersion::number).containsExactly(3, 2);
    assertThat(registry.audit("churn").records()).extracting(AuditRecord::action)
        .contains("REMOVE_ALIAS", "DELETE");
  }

  @Test
  void latestIsTheNewestReadyVersionThroughFailuresAndDeletionsAndTheModelSaysWhenItLastChanged() {
    ModelCodec<Weights> broken = encodingOnly("json", out -> {
      throw new IOException("disk full");
    });
    assertThatThrownBy(() -> registry.resolve("models:/churn/latest")).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.register("churn", new Weights(0, 0), broken, CI))
        .isInstanceOf(OpsException.class);
    assertThatThrownBy(() -> registry.resolve("models:/churn/latest"))
        .isInstanceOf(ModelVersionNotFoundException.class).hasMessage("model 'churn' has no READY version");
    Instant created = clock.instant();
    register(registry, "churn", 0.8);
    clock.advance(Duration.ofMinutes(1));
    register(registry, "churn", 0.9);
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> registry.register("churn", new Weights(0, 0), broken, CI))
        .isInstanceOf(OpsException.class);
    // a failed registration (v4) is never latest, and the model's version count includes it
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(3);
    assertThat(registry.model("churn").orElseThrow().latestVersion()).isEqualTo(4);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());

    clock.advance(Duration.ofMinutes(1));
    registry.setAlias("churn", "champion", 2, CI);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    clock.advance(Duration.ofMinutes(1));
    registry.deleteVersion("churn", 3, CI, false);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(2);
    registry.deleteVersion("churn", 2, CI, true);
    assertThatThrownBy(() -> registry.resolve("models:/churn/latest"))
        .isInstanceOf(ModelVersionNotFoundException.class).hasMessage("model 'churn' has no READY version");
    clock.advance(Duration.ofMinutes(1));
    assertThat(register(registry, "churn", 0.7).number()).isEqualTo(5);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(5);
    assertThat(registry.versions("churn", 10, 0).items()).extracting(ModelVersion::number).containsExactly(5, 4, 1);
    assertThat(registry.versions("churn", 1, 1).items()).extracting(ModelVersion::number).containsExactly(4);
    clock.advance(Duration.ofMinutes(1));
    registry.updateModel("churn", "who churns next month", CI);
    RegisteredModel model = registry.model("churn").orElseThrow();
    assertThat(model.updatedAt()).isEqualTo(clock.instant());
    assertThat(model.createdAt()).isEqualTo(created);
    // another model's versions are not this one's, whatever their names share
    register(registry, "churn-2", 0.5);
    register(registry, "churn-2", 0.5);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(5);
    assertThat(registry.search().model("churn").count()).isEqualTo(3);
    assertThat(registry.search().model("churn").model("churn-2").count()).isZero();
    assertThat(registry.search().filter("model = churn-2").orderByNumber(true).list().items())
        .extracting(ModelVersion::number).containsExactly(1, 2);
  }

  @Test
  void aWorkspaceWrittenBeforeModelHeadsExistedResolvesTheSameAndGainsThemAtTheNextChange() {
    register(registry, "churn", 0.8);
    clock.advance(Duration.ofMinutes(1));
    register(registry, "churn", 0.9);
    Instant last = clock.instant();
    // what an older opskit left: versions, and no "model-head" records
    workspace.metadata().transact(tx -> {
      tx.query(dev.opskit.store.RecordQuery.in("model-head")).items().forEach(tx::delete);
      return null;
    });
    clock.advance(Duration.ofMinutes(1));
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(2);
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(last);
    registry.setAlias("churn", "champion", 1, CI);
    java.util.Optional<StoredRecord> head = workspace.metadata().transact(tx -> tx.get("model-head", "churn"));
    assertThat(head).isPresent();
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    assertThat(register(registry, "churn", 0.7).number()).isEqualTo(3);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(3);
  }

  @Test
  void searchFiltersByMetricTagStageAndAliasInOrder() {
    search().searchFiltersByMetricTagStageAndAliasInOrder();
  }

  @Test
  void searchFiltersTakeInListsAndNotEqual() {
    search().searchFiltersTakeInListsAndNotEqual();
  }

  @Test
  void searchFiltersMatchTextWithLikeAndIlikeAndTheUsersOwnWildcardsOnly() {
    search().searchFiltersMatchTextWithLikeAndIlikeAndTheUsersOwnWildcardsOnly();
  }

  @Test
  void searchComparesTagValuesOfAnyLengthWhole() {
    search().searchComparesTagValuesOfAnyLengthWhole();
  }

  @Test
  void searchOrdersByNameOrByLastUpdate() {
    search().searchOrdersByNameOrByLastUpdate();
  }

  @Test
  void searchFindsVersionsByTrackingRunPipelineRunAndSource() {
    search().searchFindsVersionsByTrackingRunPipelineRunAndSource();
  }

  @Test
  void searchFindsVersionsByTheirParametersAsText() {
    search().searchFindsVersionsByTheirParametersAsText();
  }

  @Test
  void searchOrdersByLastUpdateThenNameThenNumberByDefaultAndBySeveralKeys() {
    search().searchOrdersByLastUpdateThenNameThenNumberByDefaultAndBySeveralKeys();
  }

  @Test
  void aMalformedSearchFilterNamesThePositionAndTheTokenAndWhatIsValid() {
    search().aMalformedSearchFilterNamesThePositionAndTheTokenAndWhatIsValid();
  }

  @Test
  void aLiveModelSwapsOnPromotionKeepsServingWhenALoadFailsAndReportsEvents() {
    live().aLiveModelSwapsOnPromotionKeepsServingWhenALoadFailsAndReportsEvents();
  }

  @Test
  void aLiveModelOpenedBeforeTheModelExistsServesItsFirstPromotion() {
    live().aLiveModelOpenedBeforeTheModelExistsServesItsFirstPromotion();
  }

  @Test
  void aLiveModelStopsServingWhenNoVersionHoldsItsStageOrAliasAnyMore() {
    live().aLiveModelStopsServingWhenNoVersionHoldsItsStageOrAliasAnyMore();
  }

  @Test
  void aLiveModelFollowsItsModelAcrossRenamesInThisProcessAndInAnother() {
    live().aLiveModelFollowsItsModelAcrossRenamesInThisProcessAndInAnother();
  }

  @Test
  void aLiveModelWhoseCodecCannotReadTheVersionSaysSo() {
    live().aLiveModelWhoseCodecCannotReadTheVersionSaysSo();
  }

  @Test
  void aLiveModelOnANameNoModelHasNamesTheClosestModels() {
    live().aLiveModelOnANameNoModelHasNamesTheClosestModels();
  }

  /** Runs a task on several threads at once and rethrows the first failure. */
  static void runConcurrently(int threads, Runnable task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          task.run();
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // The checks the tests above delegate to, on this test's workspace and registry

  private ModelRegistrationChecks registration() {
    return new ModelRegistrationChecks(workspace, registry, clock);
  }

  private ModelPromotionChecks promotion() {
    return new ModelPromotionChecks(registry);
  }

  private ModelAuditChecks audit() {
    return new ModelAuditChecks(workspace, registry, clock, this::tamper);
  }

  private ModelSearchChecks search() {
    return new ModelSearchChecks(registry, clock);
  }

  private LiveModelChecks live() {
    return new LiveModelChecks(workspace, registry);
  }
}
