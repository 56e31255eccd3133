package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelAlreadyExistsException;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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

  private static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  private static final Actor CI = Actor.of("ci");
  private static final Actor ALICE = Actor.of("alice");

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

  private ModelVersion register(String model, double auc) {
    return registry.registration(model, new Weights(auc, 1.0), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(CI).register();
  }

  /** A registry on the same stores whose workspace has an authorizer. */
  private <T> T guarded(Authorizer authorizer, Function<ModelRegistry, T> work) {
    Workspace guardedWorkspace = Workspace.builder().clock(clock).attribute(Authorizer.KEY, authorizer)
        .open(workspace.metadata(), workspace.blobs());
    try (ModelRegistry guarded = ModelRegistry.in(guardedWorkspace)) {
      return work.apply(guarded);
    } finally {
      guardedWorkspace.close();
    }
  }

  private long blobCount() {
    java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
    workspace.blobs().forEach(b -> count.incrementAndGet());
    return count.get();
  }

  private List<String> actions(String model) {
    return registry.audit(model).records().stream().map(AuditRecord::action).toList();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Create and update

  @Test
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

  @Test
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

  @Test
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

  // ---------------------------------------------------------------------------------------------------------------
  // Rename

  @Test
  void aRenamedModelTakesItsVersionsAliasesStagesPolicyAndAuditTrailAlong() {
    PromotionPolicy policy = PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.metricAtLeast("auc", 0.5))
        .fourEyes(false).build();
    registry.setPolicy("churn", policy, ALICE, "auc floor");
    register("churn", 0.8);
    register("churn", 0.9);
    register("churn", 0.7);
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 3).to(Stage.STAGING).as(CI).execute();
    registry.setAlias("churn", "champion", 2, CI);
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

  @Test
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

  @Test
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

  @Test
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

  // ---------------------------------------------------------------------------------------------------------------
  // Delete

  @Test
  void aModelServingAVersionIsDeletedOnlyWithForceAndItsTrailStaysVerifiable() {
    register("churn", 0.8);
    register("churn", 0.9);
    register("churn", 0.7);
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 3).to(Stage.STAGING).as(CI).execute();
    registry.setAlias("churn", "champion", 2, CI);

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

  @Test
  void aDeletedModelIsCreatedAgainByARegistrationContinuingItsNumbers() {
    register("churn", 0.8);
    register("churn", 0.8);
    registry.deleteModel("churn", CI, false);
    assertThat(register("churn", 0.9).number()).isEqualTo(3);
    assertThat(registry.resolve("models:/churn/latest").number()).isEqualTo(3);
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
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

  // ---------------------------------------------------------------------------------------------------------------
  // Copy, latest per stage, demotion

  @Test
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

  @Test
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

  @Test
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

  // ---------------------------------------------------------------------------------------------------------------
  // Tags

  @Test
  void oneTagIsSetAndDeletedOnAModelAndOnAVersionEachAudited() {
    registry.createModel("churn", "", Map.of(), CI);
    register("churn", 0.8);
    clock.advance(Duration.ofMinutes(1));

    assertThat(registry.setModelTag("churn", "team", "risk", ALICE)).isEmpty();
    assertThat(registry.setModelTag("churn", "team", "growth", ALICE)).contains("risk");
    assertThat(registry.model("churn").orElseThrow().tags()).containsExactly(Map.entry("team", "growth"));
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    clock.advance(Duration.ofMinutes(1));
    assertThat(registry.setVersionTag("churn", 1, "validated", "yes", ALICE)).isEmpty();
    ModelVersion tagged = registry.version("churn", 1);
    assertThat(tagged.tags()).containsEntry("validated", "yes");
    assertThat(tagged.updatedAt()).isEqualTo(clock.instant());
    assertThat(registry.model("churn").orElseThrow().updatedAt()).isEqualTo(clock.instant());
    assertThat(registry.search().filter("tags.validated = 'yes'").count()).isEqualTo(1);

    assertThat(registry.deleteVersionTag("churn", 1, "validated", ALICE)).isTrue();
    assertThat(registry.deleteVersionTag("churn", 1, "validated", ALICE)).isFalse();
    assertThat(registry.search().filter("tags.validated = 'yes'").count()).isZero();
    assertThat(registry.deleteModelTag("churn", "team", ALICE)).isTrue();
    assertThat(registry.deleteModelTag("churn", "team", ALICE)).isFalse();
    assertThat(registry.model("churn").orElseThrow().tags()).isEmpty();

    List<AuditRecord> trail = registry.audit("churn").records();
    assertThat(trail).extracting(AuditRecord::action)
        .containsExactly("CREATE_MODEL", "REGISTER", "SET_TAG", "SET_TAG", "SET_TAG", "DELETE_TAG", "DELETE_TAG");
    assertThat(trail.get(3).before()).containsEntry("value", "risk");
    assertThat(trail.get(3).after()).containsEntry("value", "growth");
    assertThat(trail.get(4).version()).isEqualTo(1);
    assertThat(trail.get(5).before()).containsEntry("tag", "validated").containsEntry("value", "yes");
    assertThat(registry.audit("churn").verify()).isEmpty();
    assertThatThrownBy(() -> registry.setModelTag("nope", "k", "v", CI)).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.setVersionTag("churn", 7, "k", "v", CI))
        .isInstanceOf(ModelVersionNotFoundException.class);
  }

  @Test
  void aNullTagKeyAndAnOverlongValueAreClearErrorsNamingTheTag() {
    registry.createModel("churn", "", Map.of(), CI);
    register("churn", 0.8);
    String huge = "x".repeat(1_000_001);
    assertThatThrownBy(() -> registry.setModelTag("churn", "notes", huge, CI))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 'notes'")
        .hasMessageContaining("1000001").hasMessageContaining(Integer.toString(ModelRegistry.MAX_TAG_VALUE_LENGTH));
    assertThatThrownBy(() -> registry.setVersionTag("churn", 1, "notes", huge, CI))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 'notes'");
    assertThatThrownBy(() -> registry.setModelTag("churn", null, "risk", CI))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag key is null")
        .hasMessageContaining("'risk'");
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "risk");
    assertThatThrownBy(() -> registry.createModel("other", "", nullKey, CI))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag key is null");
    assertThatThrownBy(() -> registry.registration("churn", new Weights(1, 1), CODEC).tags(nullKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag key is null");
    assertThatThrownBy(() -> registry.registration("churn", new Weights(1, 1), CODEC).tags(Map.of("notes", huge)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 'notes'");
    assertThatThrownBy(() -> registry.setModelTag("churn", "bad key", "v", CI))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad key");
    assertThat(registry.setModelTag("churn", "notes", "x".repeat(ModelRegistry.MAX_TAG_VALUE_LENGTH), CI)).isEmpty();
    assertThat(registry.audit("churn").records()).extracting(AuditRecord::action)
        .containsExactly("CREATE_MODEL", "REGISTER", "SET_TAG");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Model search

  @Test
  void modelsAreFoundByNameTagAndDescriptionAndOrderedByNameCreationOrLastUpdate() {
    registry.createModel("churn", "who churns next month", Map.of("team", "risk"), CI);
    clock.advance(Duration.ofMinutes(1));
    registry.createModel("Churn-EU", "churn in Europe", Map.of("team", "risk", "region", "eu"), CI);
    clock.advance(Duration.ofMinutes(1));
    registry.createModel("fraud", "card fraud", Map.of("team", "ops"), CI);
    clock.advance(Duration.ofMinutes(1));
    register("churn", 0.8); // churn changes last
    registry.createModel("gone", "", Map.of("team", "risk"), CI);
    registry.deleteModel("gone", CI, false);

    assertThat(names(registry.searchModels())).containsExactly("Churn-EU", "churn", "fraud");
    assertThat(names(registry.searchModels().orderByName(false))).containsExactly("fraud", "churn", "Churn-EU");
    assertThat(names(registry.searchModels().filter("name like 'churn%'"))).containsExactly("churn");
    assertThat(names(registry.searchModels().filter("name ilike 'churn%'"))).containsExactly("Churn-EU", "churn");
    assertThat(names(registry.searchModels().filter("tags.team = 'risk'").orderByCreated(false)))
        .containsExactly("Churn-EU", "churn");
    assertThat(names(registry.searchModels().filter("description ilike '%CHURN%' and tags.region in ('eu', 'us')")))
        .containsExactly("Churn-EU");
    assertThat(names(registry.searchModels().filter("model != fraud"))).containsExactly("Churn-EU", "churn");
    assertThat(registry.searchModels().filter("tags.team = 'risk'").count()).isEqualTo(2);
    assertThat(names(registry.searchModels().orderByUpdated(false))).containsExactly("churn", "fraud", "Churn-EU");
    assertThat(registry.searchModels().orderByUpdated(true).count()).isEqualTo(3);
    assertThat(names(registry.searchModels().orderByName(true).limit(1).offset(1))).containsExactly("churn");

    // a tag or description change is searchable at once, in every order
    clock.advance(Duration.ofMinutes(1));
    registry.setModelTag("fraud", "team", "risk", CI);
    registry.updateModel("fraud", "churn of cards", CI);
    assertThat(names(registry.searchModels().filter("tags.team = risk and description like 'churn %'")))
        .containsExactly("Churn-EU", "fraud");
    assertThat(names(registry.searchModels().filter("description like 'churn of%'"))).containsExactly("fraud");
    assertThatThrownBy(() -> registry.searchModels().filter("owner = 'x'"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown field 'owner' at position 0")
        .hasMessageContaining("name (or model), tags.<key> and description");
    assertThatThrownBy(() -> registry.searchModels().filter("name = 'x").list())
        .hasMessageContaining("unterminated quote");
    assertThat(names(registry.searchModels().filter("tags.team = 'risk'").orderByUpdated(false)))
        .containsExactly("fraud", "churn", "Churn-EU");
    assertThat(names(registry.searchModels().filter("name ilike 'churn%'").orderByUpdated(true)))
        .containsExactly("Churn-EU", "churn");
    assertThat(registry.searchModels().filter("description like 'churn%'").orderByUpdated(true).count())
        .isEqualTo(2);
    assertThat(names(registry.searchModels().filter("tags.team = 'ops'").orderByUpdated(false))).isEmpty();
    registry.renameModel("Churn-EU", "churn-europe", CI);
    assertThat(names(registry.searchModels().filter("name ilike 'churn%'").orderByUpdated(false)))
        .containsExactly("churn-europe", "churn");
    assertThat(names(registry.searchModels().filter("tags.region = 'eu'").orderByUpdated(false)))
        .containsExactly("churn-europe");
    registry.deleteModel("churn-europe", CI, false);
    assertThat(names(registry.searchModels().filter("tags.region = 'eu'").orderByUpdated(false))).isEmpty();
  }

  @Test
  void aNameIlikeSearchPagesThroughNamesWrittenInAnyCaseInNameOrder() {
    for (String name : List.of("churn-d", "Churn-b", "fraud", "CHURN-a", "chUrn-e", "churnx", "cHurn-c", "Chur",
        "ch_urn-f")) {
      registry.createModel(name, "", Map.of(), CI);
    }
    List<String> all = List.of("CHURN-a", "Churn-b", "cHurn-c", "chUrn-e", "churn-d");
    assertThat(names(registry.searchModels().filter("name ilike 'churn-%'"))).containsExactlyElementsOf(all);
    List<String> paged = new java.util.ArrayList<>();
    for (int offset = 0; offset < 6; offset += 2) {
      var page = registry.searchModels().filter("name ilike 'CHURN-%'").limit(2).offset(offset).list();
      page.items().forEach(m -> paged.add(m.name()));
      assertThat(page.hasMore()).as("more after offset %d", offset).isEqualTo(offset + 2 < all.size());
    }
    assertThat(paged).containsExactlyElementsOf(all);
    assertThat(names(registry.searchModels().filter("name ilike 'cHuRn-%'").orderByName(false).limit(3).offset(1)))
        .containsExactly("chUrn-e", "cHurn-c", "Churn-b");
    // a wildcard early in the pattern, or none of its text a name could start with: the same answers by a walk
    assertThat(names(registry.searchModels().filter("name ilike 'ch_rn-%'"))).containsExactlyElementsOf(all);
    assertThat(names(registry.searchModels().filter("name ilike '%urn-%'")))
        .containsExactly("CHURN-a", "Churn-b", "cHurn-c", "chUrn-e", "ch_urn-f", "churn-d");
    assertThat(names(registry.searchModels().filter("name ilike ' churn%'"))).isEmpty();
    assertThat(registry.searchModels().filter("name ilike 'churn-%'").count()).isEqualTo(5);
  }

  private static List<String> names(dev.opskit.ml.search.RegisteredModelSearch search) {
    return search.list().items().stream().map(RegisteredModel::name).toList();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Races

  @Test
  void renameDuringRegistrationsLosesNoVersionAndLeavesNoGap() throws Exception {
    register("churn", 0.5);
    int threads = 4;
    int each = 5;
    Set<Integer> registered = ConcurrentHashMap.newKeySet();
    List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch renamed = new CountDownLatch(1);
    runConcurrently(threads + 1, index -> {
      if (index == threads) {
        registry.renameModel("churn", "attrition", CI);
        renamed.countDown();
        return;
      }
      for (int i = 0; i < each; i++) {
        try {
          registered.add(register("churn", 0.6).number());
        } catch (ModelNotFoundException e) {
          refused.add(e);
        }
      }
    });
    assertThat(renamed.getCount()).isZero();
    // every registration that succeeded went to the model now called attrition, numbered without gaps
    assertThat(refused).allSatisfy(e -> assertThat(e).hasMessageContaining("renamed to 'attrition'"));
    assertThat(registered.size() + refused.size()).isEqualTo(threads * each);
    Set<Integer> numbers = new TreeSet<>();
    registry.versions("attrition", 1000, 0).items().forEach(v -> numbers.add(v.number()));
    Set<Integer> expected = new TreeSet<>();
    for (int n = 1; n <= registered.size() + 1; n++) {
      expected.add(n);
    }
    assertThat(numbers).as(() -> registered + " " + workspace.metadata().transact(tx -> tx.query(
        dev.opskit.store.RecordQuery.in("model-version").limit(100))).items().stream().map(r -> r.key() + " "
        + r.body().substring(0, Math.min(80, r.body().length()))).toList()).isEqualTo(expected);
    assertThat(registry.audit("attrition").verify()).isEmpty();
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void deleteDuringRegistrationsLeavesNoVersionOutsideAModelAndNoGap() throws Exception {
    register("churn", 0.5);
    int threads = 4;
    int each = 5;
    Set<Integer> registered = ConcurrentHashMap.newKeySet();
    runConcurrently(threads + 1, index -> {
      if (index == threads) {
        registry.deleteModel("churn", CI, false);
        return;
      }
      for (int i = 0; i < each; i++) {
        registered.add(register("churn", 0.6).number()); // after the delete, a registration creates it again
      }
    });
    assertThat(registered).hasSize(threads * each);
    // every number from 1 up is recorded once, deleted with the model or live in the one created again
    List<Integer> all = new ArrayList<>();
    workspace.metadata().transact(tx -> tx.query(dev.opskit.store.RecordQuery.in("model-version")
        .keyPrefix("churn/").limit(1000))).items().forEach(r -> all.add(r.attributes().get("number") instanceof
            Number n ? n.intValue() : -1));
    assertThat(all).hasSize(threads * each + 1);
    assertThat(new TreeSet<>(all)).hasSize(all.size()).first().isEqualTo(1);
    assertThat(new TreeSet<>(all).last()).isEqualTo(all.size());
    long live = registry.search().model("churn").count();
    if (registry.model("churn").isEmpty()) {
      assertThat(live).as("no version outside a model").isZero();
    } else {
      assertThat(registry.versions("churn", 1000, 0).items()).extracting(ModelVersion::number)
          .allSatisfy(n -> assertThat(registered).contains(n));
    }
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void racingTagEditsAreAllKeptAndAudited() throws Exception {
    registry.createModel("churn", "", Map.of(), CI);
    register("churn", 0.5);
    runConcurrently(6, index -> {
      registry.setModelTag("churn", "k" + index, "v" + index, CI);
      registry.setVersionTag("churn", 1, "k" + index, "v" + index, CI);
    });
    assertThat(registry.model("churn").orElseThrow().tags()).hasSize(6);
    assertThat(registry.version("churn", 1).tags()).hasSize(6);
    assertThat(actions("churn")).filteredOn("SET_TAG"::equals).hasSize(12);
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void racingEditsOfOneTagLeaveTheLastAuditedValueInTheModelAndInEverySearch() throws Exception {
    registry.createModel("churn", "", Map.of("team", "none"), CI);
    register("churn", 0.5);
    int threads = 6;
    runConcurrently(threads, index -> {
      for (int round = 0; round < 3; round++) {
        if (index == 0 && round == 1) {
          registry.deleteModelTag("churn", "team", CI);
          registry.deleteVersionTag("churn", 1, "team", CI);
        } else {
          registry.setModelTag("churn", "team", "t" + index + "-" + round, CI);
          registry.setVersionTag("churn", 1, "team", "t" + index + "-" + round, CI);
        }
      }
    });
    // each edit read the value the one before it wrote: the trail is a chain of before -> after on the one key
    for (int number : new int[] {0, 1}) {
      List<AuditRecord> edits = registry.audit("churn").records().stream()
          .filter(r -> r.version() == number && (r.action().equals("SET_TAG") || r.action().equals("DELETE_TAG")))
          .toList();
      String current = number == 0 ? "none" : null;
      for (AuditRecord r : edits) {
        assertThat(r.before().get("value")).as("the value %s found", r).isEqualTo(current);
        current = r.after().get("value");
      }
      String last = current;
      if (number == 0) {
        assertThat(registry.model("churn").orElseThrow().tags().get("team")).isEqualTo(last);
        // the model search reads the model record, or, ordered by last update, the head's copy: both agree
        for (boolean byUpdate : new boolean[] {false, true}) {
          var search = registry.searchModels().filter(last == null ? "name = churn" : "tags.team = '" + last + "'");
          assertThat((byUpdate ? search.orderByUpdated(false) : search).list().items())
              .extracting(RegisteredModel::name).containsExactly("churn");
          assertThat((byUpdate ? registry.searchModels().orderByUpdated(false) : registry.searchModels())
              .filter("tags.team like 't%'").count()).isEqualTo(last == null ? 0 : 1);
        }
      } else {
        assertThat(registry.version("churn", 1).tags().get("team")).isEqualTo(last);
        assertThat(registry.search().filter("tags.team like 't%'").count()).isEqualTo(last == null ? 0 : 1);
      }
    }
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void deleteDuringPromotionLeavesAConsistentVerifiedState() throws Exception {
    register("churn", 0.5);
    register("churn", 0.6);
    runConcurrently(2, index -> {
      try {
        if (index == 0) {
          registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
        } else {
          registry.deleteModel("churn", CI, false);
        }
      } catch (IllegalStateException | ModelNotFoundException | ModelVersionNotFoundException e) {
        // one of them may lose: the delete to a version now serving, or the promotion to a deleted model
      }
    });
    Optional<RegisteredModel> model = registry.model("churn");
    if (model.isPresent()) {
      assertThat(registry.resolve("models:/churn/production").number()).isEqualTo(2);
    } else {
      assertThatThrownBy(() -> registry.resolve("models:/churn/production"))
          .isInstanceOf(ModelNotFoundException.class);
    }
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  /** Runs a task on several threads at once, each with its index, and rethrows the first failure. */
  private static void runConcurrently(int threads, java.util.function.IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int index = t;
        futures.add(pool.submit(() -> {
          start.await();
          task.accept(index);
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
}
