package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelTimeline.Change;
import dev.opskit.ml.ModelTimeline.Kind;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.VersionComparison;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the registry's read model for consoles and command lines: versions compared side by side, the
 * stage and alias timeline of a model (a deleted one included) built from its audit trail, and the page of versions
 * with their stages and aliases, on any metadata store. opskit runs it on in-memory, H2 and PostgreSQL workspaces.
 *
 * <pre>{@code
 * class MyModelInsightTest extends ModelInsightContract {
 *   @Override
 *   protected Workspace createWorkspace(ManualClock clock) {
 *     return Workspace.builder().clock(clock).openPostgres(myDataSource, blobDir);
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public abstract class ModelInsightContract {
  /** A model of the tests: two numbers. */
  public record Weights(double bias, double slope) {}

  private static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  private static final Actor CI = Actor.of("ci");
  private static final Actor ALICE = Actor.of("alice");
  private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");

  /** The clock every workspace of the suite runs on. */
  protected final ManualClock clock = ManualClock.at(START);
  private Workspace workspace;
  private ModelRegistry registry;

  /** Creates the contract; subclasses supply the workspace. */
  protected ModelInsightContract() {}

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

  private ModelVersion register(String model, double auc, int depth, String trainingVersion) {
    return registry.registration(model, new Weights(auc, depth), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).param("depth", depth).param("seed", 7)
            .dataset("customers/features", trainingVersion, DatasetInput.TRAINING).build())
        .by(CI).register();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Compare

  @Test
  void compareShowsMetricsParametersDatasetsAndTheGateResultsOfEachVersionsPromotions() {
    registry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.metricAtLeast("auc", 0.5))
        .fourEyes(false).build(), ALICE, "auc floor");
    register("churn", 0.8, 4, "v-a");
    register("churn", 0.9, 6, "v-b");
    registry.registration("churn", new Weights(0.7, 1), CODEC)
        .provenance(Provenance.builder().metric("f1", 0.6).param("seed", 7).build()).by(CI).register();
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).reason("first").execute();
    clock.advance(Duration.ofMinutes(1));
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(ALICE).reason("better auc").execute();

    VersionComparison c = registry.compare("churn", 2, 1, 3);

    assertThat(c.model()).isEqualTo("churn");
    assertThat(c.columns()).extracting(col -> col.version().number()).containsExactly(2, 1, 3);
    assertThat(c.columns()).extracting(col -> col.version().stage())
        .containsExactly(Stage.PRODUCTION, Stage.ARCHIVED, Stage.NONE);
    assertThat(c.metricNames()).containsExactly("auc", "f1");
    assertThat(c.metric("auc")).containsExactly(Map.entry(2, 0.9), Map.entry(1, 0.8));
    assertThat(c.metric("f1")).containsExactly(Map.entry(3, 0.6));
    assertThat(c.paramNames()).containsExactly("depth", "seed");
    assertThat(c.param("depth")).containsExactly(Map.entry(2, "6"), Map.entry(1, "4"));
    assertThat(c.differingParams()).containsExactly("depth");
    assertThat(c.columns().get(0).datasets())
        .containsExactly(new DatasetInput("customers/features", "v-b", DatasetInput.TRAINING));
    assertThat(c.columns().get(2).datasets()).isEmpty();

    VersionComparison.Column v2 = c.columns().get(0);
    assertThat(v2.stageChanges()).singleElement().satisfies(change -> {
      assertThat(change.from()).isEqualTo("NONE");
      assertThat(change.to()).isEqualTo("PRODUCTION");
      assertThat(change.actor()).isEqualTo("alice");
      assertThat(change.reason()).isEqualTo("better auc");
      assertThat(change.at()).isEqualTo(START.plus(Duration.ofMinutes(1)));
    });
    assertThat(v2.lastGateResults()).singleElement().satisfies(gate -> {
      assertThat(gate.gate()).isEqualTo("metric(auc >= 0.5000)");
      assertThat(gate.passed()).isTrue();
      assertThat(gate.evidence()).containsKey("auc");
    });
    VersionComparison.Column v1 = c.columns().get(1);
    assertThat(v1.stageChanges()).extracting(Change::from, Change::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("NONE", "PRODUCTION"),
            org.assertj.core.groups.Tuple.tuple("PRODUCTION", "ARCHIVED"));
    assertThat(v1.stageChanges().get(1).reason()).isEqualTo("better auc");
    assertThat(v1.lastGateResults()).extracting(GateResult::gate).containsExactly("metric(auc >= 0.5000)");
    assertThat(c.columns().get(2).stageChanges()).isEmpty();
    assertThat(c.columns().get(2).lastGateResults()).isEmpty();
  }

  @Test
  void compareRefusesNoNumbersRepeatsZeroAndVersionsOrModelsThatDoNotExist() {
    register("churn", 0.8, 4, "v-a");
    register("churn", 0.9, 6, "v-b");
    registry.deleteVersion("churn", 2, CI, false);

    assertThatThrownBy(() -> registry.compare("churn")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one version");
    assertThatThrownBy(() -> registry.compare("churn", 1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 1 appears twice in [1, 1]");
    assertThatThrownBy(() -> registry.compare("churn", 1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> registry.compare("churn", new int[101])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 100");
    assertThatThrownBy(() -> registry.compare("churn", 1, 9)).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("no version 9");
    assertThatThrownBy(() -> registry.compare("churn", 2)).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("deleted");
    assertThatThrownBy(() -> registry.compare("fraud", 1)).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("fraud");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Timeline

  @Test
  void theTimelineListsStageAndAliasChangesWithWhoWhenFromToWhyAndEvidence() {
    registry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.metricAtLeast("auc", 0.5))
        .fourEyes(false).build(), ALICE, "auc floor");
    register("churn", 0.8, 4, "v-a");
    register("churn", 0.9, 6, "v-b");
    register("churn", 0.95, 8, "v-c");
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).reason("first").execute();
    clock.advance(Duration.ofMinutes(1));
    registry.setAlias("churn", "champion", 1, ALICE);
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).reason("second").execute();
    registry.setAlias("churn", "champion", 2, ALICE);
    registry.promote("churn", 3).to(Stage.STAGING).as(CI).execute();
    clock.advance(Duration.ofMinutes(1));
    registry.promote("churn", 3).to(Stage.NONE).as(ALICE).reason("pulled").execute();
    registry.removeAlias("churn", "champion", ALICE);
    registry.setModelTag("churn", "team", "growth", CI); // not a stage or alias change

    ModelTimeline timeline = registry.timeline("churn");

    assertThat(timeline.model()).isEqualTo("churn");
    assertThat(timeline.changes()).extracting(Change::kind, Change::version, Change::from, Change::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Kind.STAGE, 1, "NONE", "PRODUCTION"),
            org.assertj.core.groups.Tuple.tuple(Kind.ALIAS, 1, "", "1"),
            org.assertj.core.groups.Tuple.tuple(Kind.STAGE, 2, "NONE", "PRODUCTION"),
            org.assertj.core.groups.Tuple.tuple(Kind.STAGE, 1, "PRODUCTION", "ARCHIVED"),
            org.assertj.core.groups.Tuple.tuple(Kind.ALIAS, 2, "1", "2"),
            org.assertj.core.groups.Tuple.tuple(Kind.STAGE, 3, "NONE", "STAGING"),
            org.assertj.core.groups.Tuple.tuple(Kind.STAGE, 3, "STAGING", "NONE"),
            org.assertj.core.groups.Tuple.tuple(Kind.ALIAS, 2, "2", ""));
    Change first = timeline.changes().get(0);
    assertThat(first.action()).isEqualTo("PROMOTE");
    assertThat(first.actor()).isEqualTo("ci");
    assertThat(first.at()).isEqualTo(START);
    assertThat(first.reason()).isEqualTo("first");
    assertThat(first.alias()).isNull();
    assertThat(first.evidence()).extracting(GateResult::gate).containsExactly("metric(auc >= 0.5000)");
    assertThat(timeline.changes().get(3).sequence()).isEqualTo(timeline.changes().get(2).sequence());
    Change demotion = timeline.changes().get(6);
    assertThat(demotion.action()).isEqualTo("DEMOTE");
    assertThat(demotion.reason()).isEqualTo("pulled");
    assertThat(demotion.at()).isEqualTo(START.plus(Duration.ofMinutes(2)));
    assertThat(timeline.aliases()).allSatisfy(c -> {
      assertThat(c.aliasName()).contains("champion");
      assertThat(c.actor()).isEqualTo("alice");
      assertThat(c.evidence()).isEmpty();
    });
    assertThat(timeline.stages()).hasSize(5);
    assertThat(timeline.of(1)).extracting(Change::kind, Change::to).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Kind.STAGE, "PRODUCTION"),
        org.assertj.core.groups.Tuple.tuple(Kind.ALIAS, "1"),
        org.assertj.core.groups.Tuple.tuple(Kind.STAGE, "ARCHIVED"),
        org.assertj.core.groups.Tuple.tuple(Kind.ALIAS, "2"));
  }

  @Test
  void theTimelineFollowsARenameAndShowsADeletedVersionLeavingItsStage() {
    register("churn", 0.8, 4, "v-a");
    register("churn", 0.9, 6, "v-b");
    registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
    registry.promote("churn", 2).to(Stage.STAGING).as(CI).execute();
    registry.promote("churn", 1).to(Stage.ARCHIVED).as(CI).execute();
    registry.deleteVersion("churn", 1, ALICE, false);
    registry.renameModel("churn", "churn-v2", ALICE);
    registry.promote("churn-v2", 2).to(Stage.PRODUCTION).as(CI).execute();

    ModelTimeline timeline = registry.timeline("churn-v2");

    assertThat(timeline.model()).isEqualTo("churn-v2");
    assertThat(timeline.stages()).extracting(Change::action, Change::version, Change::from, Change::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("PROMOTE", 1, "NONE", "STAGING"),
            org.assertj.core.groups.Tuple.tuple("PROMOTE", 2, "NONE", "STAGING"),
            org.assertj.core.groups.Tuple.tuple("PROMOTE", 1, "STAGING", "ARCHIVED"),
            org.assertj.core.groups.Tuple.tuple("DELETE", 1, "ARCHIVED", ""),
            org.assertj.core.groups.Tuple.tuple("PROMOTE", 2, "STAGING", "PRODUCTION"));
    assertThatThrownBy(() -> registry.timeline("churn")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("churn-v2");
    assertThatThrownBy(() -> registry.timeline("fraud")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("fraud");
    register("fraud", 0.5, 1, "v-a");
    assertThat(registry.timeline("fraud").changes()).isEmpty();
  }

  @Test
  void theTimelineOfADeletedModelIsReplayedFromItsTrail() {
    register("churn", 0.8, 4, "v-a");
    register("churn", 0.9, 6, "v-b");
    registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.setAlias("churn", "champion", 2, CI);
    clock.advance(Duration.ofHours(1));
    registry.deleteModel("churn", ALICE, true);

    ModelTimeline timeline = registry.timeline("churn");

    assertThat(timeline.model()).isEqualTo("churn");
    assertThat(timeline.changes()).extracting(Change::action, Change::version, Change::from, Change::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("PROMOTE", 1, "NONE", "STAGING"),
            org.assertj.core.groups.Tuple.tuple("PROMOTE", 2, "NONE", "PRODUCTION"),
            org.assertj.core.groups.Tuple.tuple("SET_ALIAS", 2, "", "2"),
            org.assertj.core.groups.Tuple.tuple("REMOVE_ALIAS", 2, "2", ""),
            // the versions the forced deletion archived, each with the stage it left, one audit record
            org.assertj.core.groups.Tuple.tuple("DELETE_MODEL", 1, "STAGING", "ARCHIVED"),
            org.assertj.core.groups.Tuple.tuple("DELETE_MODEL", 2, "PRODUCTION", "ARCHIVED"));
    Change archived = timeline.changes().get(5);
    assertThat(archived.actor()).isEqualTo("alice");
    assertThat(archived.at()).isEqualTo(clock.instant());
    assertThat(archived.sequence()).isEqualTo(timeline.changes().get(4).sequence());
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Versions with their stages and aliases, paged

  @Test
  void aPageOfVersionsCarriesEachVersionsStageAndAliases() {
    for (int i = 1; i <= 5; i++) {
      register("churn", 0.5 + i / 100.0, i, "v-" + i);
    }
    registry.promote("churn", 4).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 5).to(Stage.STAGING).as(CI).execute();
    registry.setAlias("churn", "champion", 4, CI);
    registry.setAlias("churn", "stable", 4, CI);
    registry.setAlias("churn", "challenger", 5, CI);
    registry.setAlias("churn", "old", 2, CI);

    Page<ModelVersion> first = registry.versions("churn", 2, 0);
    Page<ModelVersion> second = registry.versions("churn", 2, 2);
    Page<ModelVersion> last = registry.versions("churn", 2, 4);

    assertThat(first.items()).extracting(ModelVersion::number, ModelVersion::stage, ModelVersion::aliases)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(5, Stage.STAGING, List.of("challenger")),
            org.assertj.core.groups.Tuple.tuple(4, Stage.PRODUCTION, List.of("champion", "stable")));
    assertThat(first.hasMore()).isTrue();
    assertThat(second.items()).extracting(ModelVersion::number, ModelVersion::stage, ModelVersion::aliases)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3, Stage.NONE, List.of()),
            org.assertj.core.groups.Tuple.tuple(2, Stage.NONE, List.of("old")));
    assertThat(last.items()).extracting(ModelVersion::number).containsExactly(1);
    assertThat(last.hasMore()).isFalse();
  }
}
