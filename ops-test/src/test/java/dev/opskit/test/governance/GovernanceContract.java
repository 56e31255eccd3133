package dev.opskit.test.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.WorkspaceBuilder;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.GateSpec;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.NamedGates;
import dev.opskit.ml.promotion.PromotionConflictException;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Governance and the audit trail on one kind of metadata store: the workspace's authorizer guards every registry
 * opened on it, a promotion policy stored in the workspace binds every registry (each test opens a second workspace
 * on the same stores, as another process would), and {@code verify()} detects every kind of tampering with the trail
 * and with the state it explains.
 */
abstract class GovernanceContract {
  record Weights(double bias, double slope) {}

  static final ModelCodec<Weights> CODEC = ModelCodecs.json(Weights.class);
  static final Actor CI = Actor.of("ci");
  static final Actor ALICE = Actor.of("alice");
  static final Actor BOB = Actor.of("bob");

  /** The example of the Authorizer Javadoc: only release managers move stages and change policies. */
  static final Authorizer RELEASE_MANAGERS_ONLY = releaseManagersOnly(Set.of("alice", "bob"));

  static Authorizer releaseManagersOnly(Set<String> releaseManagers) {
    return (actor, action, model, version) ->
        (action.movesStage() || action == Action.SET_POLICY) && !releaseManagers.contains(actor.principal())
            ? Optional.of("only release managers move stages and change promotion policies")
            : Optional.empty();
  }

  final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  Workspace workspace;
  ModelRegistry registry;
  private final java.util.List<AutoCloseable> others = new java.util.ArrayList<>();

  /** Opens an empty workspace for one test. */
  abstract Workspace createWorkspace(ManualClock clock);

  /** Rewrites a record's body behind opskit's back; SQL stores do it with SQL. */
  void tamper(String collection, String key, UnaryOperator<String> edit) {
    workspace.metadata().transact(tx -> {
      StoredRecord r = tx.require(collection, key);
      return tx.update(r, edit.apply(r.body()), r.attributes());
    });
  }

  @BeforeEach
  void open() {
    workspace = createWorkspace(clock);
    registry = ModelRegistry.in(workspace);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : others) {
      c.close();
    }
    // a backend that skipped (PostgreSQL without OPSKIT_TEST_PG_URL) opened neither
    if (registry != null) {
      registry.close();
    }
    if (workspace != null) {
      workspace.close();
    }
  }

  /** Another workspace on the same stores, as another process sharing them opens it. */
  Workspace sharing(Consumer<WorkspaceBuilder> settings) {
    WorkspaceBuilder b = Workspace.builder().clock(clock);
    settings.accept(b);
    Workspace other = b.open(workspace.metadata(), workspace.blobs());
    others.add(0, other);
    return other;
  }

  ModelRegistry registryOn(Workspace ws) {
    ModelRegistry r = ModelRegistry.builder(ws).pollInterval(Duration.ofHours(1)).build();
    others.add(0, r);
    return r;
  }

  ModelVersion register(ModelRegistry on, double auc) {
    return on.registration("churn", new Weights(auc, 1), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(CI).register();
  }

  static PromotionPolicy aucFloor(double min) {
    return PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.metricAtLeast("auc", min)).build();
  }

  List<String> actions() {
    return registry.audit("churn").records().stream().map(AuditRecord::action).toList();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // One authorizer per workspace

  @Test
  void theWorkspaceAuthorizerGuardsEveryRegistryOpenedOnItRollbackAndPolicyIncluded() {
    Workspace guarded = sharing(b -> b.attribute(Authorizer.KEY, RELEASE_MANAGERS_ONLY));
    ModelRegistry plain = registryOn(guarded);
    @SuppressWarnings("deprecation")
    ModelRegistry permissive = ModelRegistry.builder(guarded).authorizer(Authorizer.allowAll()).build();
    others.add(0, permissive);
    register(plain, 0.8);
    register(plain, 0.9);
    for (ModelRegistry r : List.of(plain, permissive)) {
      assertThatThrownBy(() -> r.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute())
          .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.action()).isEqualTo(Action.PROMOTE))
          .hasMessage("actor 'ci' may not PROMOTE churn v1: only release managers move stages and change promotion "
              + "policies");
    }
    plain.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute();
    plain.promote("churn", 2).to(Stage.PRODUCTION).as(ALICE).execute();
    assertThatThrownBy(() -> permissive.rollback("churn", CI, "bad release"))
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.action()).isEqualTo(Action.ROLLBACK));
    assertThatThrownBy(() -> plain.setPolicy("churn", aucFloor(0.5), CI, "looser"))
        .isInstanceOfSatisfying(AccessDeniedException.class,
            e -> assertThat(e.action()).isEqualTo(Action.SET_POLICY));
    assertThat(plain.resolve("models:/churn/production").number()).isEqualTo(2);
    assertThat(plain.policy("churn").gatesFor(Stage.PRODUCTION)).isEmpty();
    assertThat(actions()).containsExactly("REGISTER", "REGISTER", "DENIED:PROMOTE", "DENIED:PROMOTE", "PROMOTE",
        "PROMOTE", "DENIED:ROLLBACK", "DENIED:SET_POLICY");
    assertThat(plain.rollback("churn", BOB, "bad release").to()).isEqualTo(Stage.PRODUCTION);
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void anAuthorizerThatAnswersNullRefuses() {
    Workspace broken = sharing(b -> b.attribute(Authorizer.KEY, (actor, action, model, version) -> null));
    assertThatThrownBy(() -> register(registryOn(broken), 0.8)).isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("the authorizer gave no answer (null)");
  }

  @Test
  void aWorkspaceSettingIsSetOnce() {
    WorkspaceBuilder b = Workspace.builder().attribute(Authorizer.KEY, Authorizer.allowAll());
    assertThatThrownBy(() -> b.attribute(Authorizer.KEY, RELEASE_MANAGERS_ONLY))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("opskit.ml.authorizer is already set");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Policies are data

  @Test
  void aStoredPolicyBindsEveryRegistryOnTheWorkspaceAndCallersOnlyAddGates() {
    register(registry, 0.8);
    registry.setPolicy("churn", aucFloor(0.85), ALICE, "floor agreed with risk");

    ModelRegistry otherProcess = registryOn(sharing(b -> { }));
    assertThat(otherProcess.policy("churn").gatesFor(Stage.PRODUCTION)).extracting(g -> g.spec().orElseThrow())
        .containsExactly(new GateSpec("metricAtLeast", Map.of("metric", "auc", "min", "0.85")));
    PromotionGate always = Gates.custom("always", ctx -> true);
    assertThatThrownBy(() -> otherProcess.promote("churn", 1).to(Stage.PRODUCTION).as(CI).gates(always).execute())
        .isInstanceOfSatisfying(PromotionRejectedException.class, e -> assertThat(e.report().gates())
            .extracting(GateResult::gate, GateResult::passed)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("metric(auc >= 0.8500)", false),
                org.assertj.core.groups.Tuple.tuple("always", true)));

    // The deprecated per-registry policy adds; it cannot drop the stored gate or loosen a stored rule.
    @SuppressWarnings("deprecation")
    ModelRegistry.Builder legacy = ModelRegistry.builder(sharing(b -> { }))
        .policy("churn", PromotionPolicy.builder().gates(Stage.PRODUCTION).maxStaging(5).build());
    ModelRegistry withLegacy = legacy.build();
    others.add(0, withLegacy);
    assertThatThrownBy(() -> withLegacy.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute())
        .isInstanceOf(PromotionRejectedException.class).hasMessageContaining("metric(auc >= 0.8500)");

    ModelVersion better = register(otherProcess, 0.9);
    assertThat(withLegacy.promote("churn", better.number()).to(Stage.PRODUCTION).as(CI).execute().approved())
        .isTrue();
    AuditRecord set = registry.audit("churn").records().stream().filter(r -> r.action().equals("SET_POLICY"))
        .findFirst().orElseThrow();
    assertThat(set.actor()).isEqualTo("alice");
    assertThat(set.reason()).isEqualTo("floor agreed with risk");
    assertThat(set.before()).containsEntry("policy", "");
    assertThat(set.after().get("policy")).contains("metricAtLeast").contains("0.85");
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void theRulesOfAStoredPolicyBindEveryRegistry() {
    register(registry, 0.8);
    register(registry, 0.9);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute();
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(ALICE).execute();
    registry.setPolicy("churn", PromotionPolicy.builder().rollbackAllowed(false).build(), ALICE, "freeze");
    @SuppressWarnings("deprecation")
    ModelRegistry.Builder legacy = ModelRegistry.builder(sharing(b -> { }))
        .policy("churn", PromotionPolicy.builder().rollbackAllowed(true).build());
    ModelRegistry other = legacy.build();
    others.add(0, other);
    assertThatThrownBy(() -> other.rollback("churn", ALICE, "try")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not allow rollbacks");
    assertThat(other.resolve("models:/churn/production").number()).isEqualTo(2);
  }

  @Test
  void aPolicyChangedWhileTheGatesRunFailsThePromotion() {
    register(registry, 0.9);
    ModelRegistry other = registryOn(sharing(b -> { }));
    PromotionGate changesThePolicy = Gates.of("changes-the-policy", ctx -> {
      other.setPolicy("churn", aucFloor(0.95), ALICE, "raised meanwhile");
      return GateResult.pass("changes-the-policy", "passed", Map.of());
    });
    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).gates(changesThePolicy)
        .execute()).isInstanceOf(PromotionConflictException.class)
        .hasMessageContaining("the promotion policy of churn changed while the gates of its promotion of v1");
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.NONE);
    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute())
        .isInstanceOf(PromotionRejectedException.class).hasMessageContaining("metric(auc >= 0.9500)");
  }

  @Test
  void aNamedGateRunsWhereItIsRegisteredAndFailsClosedWhereItIsNot() {
    NamedGates fairness = NamedGates.of(Gates.custom("fairness", ctx -> ctx.candidate().metric("auc").isPresent()));
    Workspace host = sharing(b -> b.attribute(NamedGates.KEY, fairness));
    ModelRegistry hostRegistry = registryOn(host);
    register(hostRegistry, 0.8);
    register(hostRegistry, 0.9);
    hostRegistry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.named("fairness"))
        .build(), ALICE, "fairness review");
    assertThat(hostRegistry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute().approved()).isTrue();

    assertThatThrownBy(() -> registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute())
        .isInstanceOfSatisfying(PromotionRejectedException.class, e -> assertThat(e.report().failures())
            .singleElement().satisfies(g -> assertThat(g.message())
                .contains("names gate 'fairness', which this process has not registered")));
    assertThat(registry.resolve("models:/churn/production").number()).isEqualTo(1);
  }

  @Test
  void aStoredGateOfAnUnknownKindFailsClosed() {
    assertThat(Gates.fromSpec(new GateSpec("fromTheFuture", Map.of("x", "1"))).spec()).isPresent();
    PromotionGate future = Gates.fromSpec(new GateSpec("fromTheFuture", Map.of("x", "1")));
    PromotionGate broken = Gates.fromSpec(new GateSpec("metricAtLeast", Map.of("metric", "auc")));
    register(registry, 0.9);
    registry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.PRODUCTION, future, broken).build(), ALICE,
        "");
    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute())
        .isInstanceOfSatisfying(PromotionRejectedException.class, e -> assertThat(e.report().failures())
            .extracting(GateResult::message).satisfiesExactly(
                m -> assertThat(m).contains("kind 'fromTheFuture' is unknown to this version of opskit"),
                m -> assertThat(m).contains("has no parameter 'min'")));
  }

  @Test
  void aPolicyWithGatesThatAreOnlyCodeCannotBeStored() {
    PromotionPolicy code = PromotionPolicy.builder()
        .gates(Stage.STAGING, Gates.metricAtLeast("auc", 0.8), Gates.custom("fairness", ctx -> true))
        .rollbackGates(Gates.of("pager-quiet", ctx -> GateResult.pass("pager-quiet", "", Map.of()))).build();
    assertThatThrownBy(() -> registry.setPolicy("churn", code, ALICE, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[STAGING: fairness, rollback: pager-quiet]")
        .hasMessageContaining("NamedGates");
    // nothing recorded: the name has no trail at all
    assertThat(registry.auditedModel("churn")).isEmpty();
    assertThatThrownBy(() -> registry.audit("churn")).isInstanceOf(ModelNotFoundException.class);
    assertThat(registry.policy("churn").gatesFor(Stage.STAGING)).isEmpty();
  }

  @Test
  void everyBuiltInGateSurvivesStorage() {
    PromotionPolicy all = PromotionPolicy.builder()
        .gates(Stage.STAGING, Gates.metricAtLeast("auc", 0.75), Gates.metricAtMost("latency_ms", 12.5),
            Gates.datasetChecksPassed(), Gates.driftBelow("events", "abc123", 0.2))
        .gates(Stage.PRODUCTION, Gates.beatsChampion("auc", 0.01), Gates.approvals(2), Gates.named("fairness"))
        .rollbackGates(Gates.approvals(1)).maxStaging(3).fourEyes(false).autoArchive(false).build();
    registry.setPolicy("churn", all, ALICE, "all of them");
    PromotionPolicy back = registryOn(sharing(b -> { })).policy("churn");
    for (Stage stage : List.of(Stage.STAGING, Stage.PRODUCTION)) {
      assertThat(back.gatesFor(stage)).extracting(PromotionGate::name)
          .containsExactlyElementsOf(all.gatesFor(stage).stream().map(PromotionGate::name).toList());
      assertThat(back.gatesFor(stage)).extracting(g -> g.spec().orElseThrow())
          .containsExactlyElementsOf(all.gatesFor(stage).stream().map(g -> g.spec().orElseThrow()).toList());
    }
    assertThat(back.rollbackGates()).extracting(PromotionGate::name).containsExactly("approvals(1)");
    assertThat(back.maxStaging()).isEqualTo(3);
    assertThat(back.fourEyes()).isFalse();
    assertThat(back.autoArchive()).isFalse();
    assertThat(back.rollbackAllowed()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The audit trail explains the state

  /** A history with every kind of record: registrations, promotions, an alias, an approval, a policy. */
  void history() {
    register(registry, 0.8);
    register(registry, 0.9);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute();
    registry.setAlias("churn", "champion", 1, ALICE);
    registry.approve("churn", 2, Stage.PRODUCTION, BOB, "looks good");
    registry.setPolicy("churn", aucFloor(0.7), ALICE, "floor");
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(ALICE).execute();
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  List<StoredRecord> auditRows() {
    return workspace.metadata().transact(tx -> tx.query(RecordQuery.in("model-audit")
        .where("model", RecordQuery.Op.EQ, "churn").limit(1000))).items();
  }

  void deleteRows(String collection, List<String> keys) {
    workspace.metadata().transact(tx -> {
      for (String key : keys) {
        tx.delete(tx.require(collection, key));
      }
      return null;
    });
  }

  Optional<String> verify() {
    return registry.audit("churn").verify();
  }

  @Test
  void verifyDetectsAnEditedRecord() {
    history();
    tamper("model-audit", "churn/000000000003", body -> body.replace("\"alice\"", "\"bob\""));
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m).contains("audit record 3 of model 'churn' was edited"));
  }

  @Test
  void verifyDetectsADeletedRecord() {
    history();
    deleteRows("model-audit", List.of("churn/000000000003"));
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("audit record 3 of model 'churn' is missing: record 4 follows record 2"));
  }

  @Test
  void verifyDetectsReorderedRecords() {
    history();
    List<StoredRecord> rows = auditRows();
    String second = rows.get(1).body();
    String third = rows.get(2).body();
    tamper("model-audit", "churn/000000000002", body -> third);
    tamper("model-audit", "churn/000000000003", body -> second);
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m).contains("audit record 2 of model 'churn' is missing"));
  }

  @Test
  void verifyDetectsATruncatedTrailWhetherOrNotTheHeadWasRewound() {
    history();
    List<StoredRecord> rows = auditRows();
    AuditRecord last = registry.audit("churn").records().get(rows.size() - 1);
    AuditRecord beforeLast = registry.audit("churn").records().get(rows.size() - 2);
    assertThat(last.action()).isEqualTo("PROMOTE");
    deleteRows("model-audit", List.of(rows.get(rows.size() - 1).key()));
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("ends at record " + (rows.size() - 1) + " but its head says " + rows.size()));
    // Rewinding the head too makes the chain whole, but the last promotion is no longer explained.
    tamper("model-audit-head", "churn", body -> beforeLast.sequence() + ":" + beforeLast.hash());
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("does not explain its state").contains("v1 is in ARCHIVED, but the trail puts it in PRODUCTION"));
  }

  @Test
  void verifyDetectsAWipedTrailWhileAVersionIsInProduction() {
    history();
    deleteRows("model-audit", auditRows().stream().map(StoredRecord::key).toList());
    deleteRows("model-audit-head", List.of("churn"));
    assertThat(registry.audit("churn").records()).isEmpty();
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("the audit trail of model 'churn' does not explain its state")
        .contains("v1 is READY in ARCHIVED, but no audit record registered it"));
  }

  @Test
  void verifyDetectsStateWrittenAroundTheRegistry() {
    history();
    tamper("model-stage", "churn#PRODUCTION", body -> "1");
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("stage PRODUCTION holds [v1], but the trail puts [v2] there"));
    tamper("model-stage", "churn#PRODUCTION", body -> "2");
    assertThat(verify()).isEmpty();

    tamper("model-policy", "churn", body -> body.replace("0.7", "0.1"));
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("the stored promotion policy differs from the one the trail last set"));
  }

  @Test
  void verifyDetectsAnAliasOrApprovalWithoutARecordAndADeletedPolicy() {
    history();
    workspace.metadata().transact(tx -> tx.insert("model-alias", "churn@shadow", "2",
        Map.of("model", "churn", "alias", "shadow", "version", 2L)));
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("its aliases are {champion=1, shadow=2}, but the trail gives {champion=1}"));
    deleteRows("model-alias", List.of("churn@shadow"));

    workspace.metadata().transact(tx -> tx.insert("model-approval", "churn/forged", "", Map.of("model", "churn",
        "version", 2L, "stage", "PRODUCTION", "actor", "mallory", "at", clock.instant())));
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("approvals [v2 for PRODUCTION by 'mallory'] have no audit record"));
    deleteRows("model-approval", List.of("churn/forged"));
    assertThat(verify()).isEmpty();

    deleteRows("model-policy", List.of("churn"));
    assertThat(verify()).hasValueSatisfying(m -> assertThat(m)
        .contains("the promotion policy the trail last set is missing"));
  }

  @Test
  void aLoweredStagingCapacityArchivesSeveralAndTheTrailStillExplainsIt() {
    registry.setPolicy("churn", PromotionPolicy.builder().maxStaging(3).build(), ALICE, "three");
    for (int i = 1; i <= 4; i++) {
      register(registry, 0.8);
    }
    for (int i = 1; i <= 3; i++) {
      registry.promote("churn", i).to(Stage.STAGING).as(ALICE).execute();
    }
    registry.setPolicy("churn", PromotionPolicy.defaults(), ALICE, "one");
    registry.promote("churn", 4).to(Stage.STAGING).as(ALICE).execute();
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.ARCHIVED);
    assertThat(registry.version("churn", 3).stage()).isEqualTo(Stage.ARCHIVED);
    assertThat(registry.audit("churn").records().get(registry.audit("churn").records().size() - 1).after())
        .containsEntry("archived", "1,2,3");
    assertThat(verify()).isEmpty();
    assertThat(registry.audit("churn").stageAt(Stage.STAGING, clock.instant())).hasValue(4);
  }
}
