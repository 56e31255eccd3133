package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.StoredRecord;
import dev.opskit.time.ManualClock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Approvals}: an approval counts for one promotion of its version to its stage, and the trail says so. */
class ApprovalsTest {
  private static final ModelCodec<String> CODEC = ModelCodecs.json(String.class);
  private static final Actor CI = Actor.of("ci");
  private static final Actor ALICE = Actor.of("alice");
  private static final Actor BOB = Actor.of("bob");
  private static final Actor CAROL = Actor.of("carol");

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
  private final Workspace workspace = Workspace.builder().clock(clock).openInMemory();
  private final ModelRegistry registry = ModelRegistry.in(workspace);

  @AfterEach
  void close() {
    registry.close();
    workspace.close();
  }

  private void oneApprovalForProduction() {
    registry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.approvals(1)).build(), CI,
        "one approver");
    registry.register("churn", "a", CODEC, CI);
  }

  private List<StoredRecord> approvalRecords() {
    return workspace.metadata().transact(tx -> tx.query(dev.opskit.store.RecordQuery.in(RegistryImpl.APPROVALS)
        .limit(100)).items());
  }

  @Test
  void anApprovalIsUsedUpByThePromotionItWasForSoADemotedVersionNeedsANewOne() {
    oneApprovalForProduction();
    registry.approve("churn", 1, Stage.PRODUCTION, BOB, "reviewed");
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute();
    assertThat(approvalRecords()).isEmpty();
    registry.promote("churn", 1).to(Stage.NONE).as(ALICE).reason("pulled").execute();

    // Bob's approval was for the first promotion: another actor cannot bring the version back on it
    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CAROL).execute())
        .isInstanceOf(PromotionRejectedException.class).hasMessageContaining("0 of 1 approvals");
    // used up, Bob may approve again, and his new approval counts
    registry.approve("churn", 1, Stage.PRODUCTION, BOB, "reviewed again");
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CAROL).execute();

    List<AuditRecord> moves = registry.audit("churn").records().stream()
        .filter(r -> r.action().equals("PROMOTE") || r.action().equals("DEMOTE")).toList();
    assertThat(moves).extracting(r -> r.after().get(Promotions.APPROVALS_USED)).containsExactly("1", null, "1");
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void aPromotionWithoutAnApprovalGateUsesTheApprovalsUpToo() {
    registry.register("churn", "a", CODEC, CI);
    registry.approve("churn", 1, Stage.STAGING, BOB, "fine for staging");
    registry.approve("churn", 1, Stage.PRODUCTION, BOB, "fine for production");
    registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();

    // the STAGING approval went with the move to STAGING; the PRODUCTION one waits for its promotion
    assertThat(approvalRecords()).extracting(r -> r.string("stage").orElseThrow()).containsExactly("PRODUCTION");
    registry.promote("churn", 1).to(Stage.PRODUCTION).gates(Gates.approvals(1)).as(CI).execute();
    assertThat(approvalRecords()).isEmpty();
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void aVersionIsNotApprovedForTheStageItIsIn() {
    oneApprovalForProduction();
    registry.approve("churn", 1, Stage.PRODUCTION, BOB, "reviewed");
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute();

    assertThatThrownBy(() -> registry.approve("churn", 1, Stage.PRODUCTION, CAROL, "late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("churn v1 is already in PRODUCTION; an approval counts for the next promotion of a version to "
            + "its stage, which uses it up");
    assertThat(approvalRecords()).isEmpty();
  }

  @Test
  void anApprovalForNoneIsRefusedUnlessThePolicyGatesDemotionsWithAGateThatCountsApprovals() {
    registry.register("churn", "a", CODEC, CI);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    int records = registry.audit("churn").records().size();

    assertThatThrownBy(() -> registry.approve("churn", 1, Stage.NONE, BOB, "ok to pull"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stage NONE: the promotion policy of model 'churn' has no gate for NONE that counts approvals, "
            + "so an approval for NONE would count for nothing; approve for STAGING or PRODUCTION, or add "
            + "Gates.approvals(n) to the policy's gates for NONE");
    assertThatThrownBy(() -> registry.approve("churn", 1, Stage.ARCHIVED, BOB, "ok to retire"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("stage ARCHIVED: ");
    // a gate for NONE that counts no approvals does not make one count
    registry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.NONE, Gates.metricAtLeast("auc", 0.1))
        .build(), CI, "a floor");
    assertThatThrownBy(() -> registry.approve("churn", 1, Stage.NONE, BOB, "ok to pull"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(registry.audit("churn").records()).hasSize(records + 1); // the policy; nothing else recorded

    registry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.NONE, Gates.approvals(1)).build(), CI,
        "a demotion needs an approval");
    registry.approve("churn", 1, Stage.NONE, BOB, "ok to pull");
    assertThat(registry.promote("churn", 1).to(Stage.NONE).as(CI).execute().approved()).isTrue();
    assertThat(approvalRecords()).isEmpty();
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void gatesThatMayCountApprovalsAreTheApprovalsGateAndGatesWhoseCodeIsNotStored() {
    assertThat(Approvals.mayCountApprovals(Gates.approvals(2))).isTrue();
    assertThat(Approvals.mayCountApprovals(Gates.named("release-board"))).isTrue();
    PromotionGate code = Gates.custom("anything", ctx -> true);
    assertThat(Approvals.mayCountApprovals(code)).isTrue();
    assertThat(Approvals.mayCountApprovals(Gates.metricAtLeast("auc", 0.5))).isFalse();
    assertThat(Approvals.mayCountApprovals(Gates.datasetChecksPassed())).isFalse();
  }

  @Test
  void anApprovalLeftBehindByAnEarlierVersionIsWithdrawnWhenItsVersionLeavesTheStage() {
    oneApprovalForProduction();
    registry.register("churn", "b", CODEC, CI);
    registry.approve("churn", 1, Stage.PRODUCTION, BOB, "reviewed");
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute();
    // What opskit wrote before approvals were used up: an approval of a version for the stage it is in, audited.
    leftBehind(1, Stage.PRODUCTION, CAROL);
    assertThat(registry.audit("churn").verify()).isEmpty();

    registry.approve("churn", 2, Stage.PRODUCTION, BOB, "reviewed");
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(ALICE).execute(); // archives v1

    AuditRecord promotion = registry.audit("churn").records().stream().reduce((a, b) -> b).orElseThrow();
    assertThat(promotion.after()).containsEntry("archived", "1").containsEntry(Promotions.APPROVALS_USED, "1")
        .containsEntry(Promotions.APPROVALS_WITHDRAWN, "1");
    assertThat(approvalRecords()).isEmpty();
    assertThat(registry.audit("churn").verify()).isEmpty();
  }

  @Test
  void verificationFindsAUsedApprovalPutBackAroundTheRegistry() {
    oneApprovalForProduction();
    registry.approve("churn", 1, Stage.PRODUCTION, BOB, "reviewed");
    StoredRecord approval = approvalRecords().get(0);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute();

    workspace.metadata().transact(tx -> {
      tx.insert(RegistryImpl.APPROVALS, approval.key(), approval.body(), approval.attributes());
      return null;
    });

    assertThat(registry.audit("churn").verify()).hasValueSatisfying(problem -> assertThat(problem)
        .contains("approvals [v1 for PRODUCTION by 'bob'] have no audit record"));
  }

  @Test
  void verificationFindsAMoveThatClaimsApprovalsTheTrailNeverGave() {
    registry.register("churn", "a", CODEC, CI);
    RegistryImpl impl = (RegistryImpl) registry;
    workspace.metadata().transact(tx -> {
      StoredRecord v = tx.require(RegistryImpl.VERSIONS, VersionRecords.versionKey("churn", 1));
      Docs.VersionDoc doc = Docs.version(v.body());
      VersionRecords.writeVersion(tx, v, VersionRecords.withState(doc.version(), doc.version().status(),
          Stage.STAGING, doc.version().artifact(), doc.version().aliases(), clock.instant()), false);
      tx.insert(RegistryImpl.STAGES, RegistryImpl.stageKey("churn", Stage.STAGING), "1",
          Map.of("model", "churn", "stage", "STAGING"));
      impl.audit.append(tx, "churn", "PROMOTE", CI, clock.instant(), 1, Map.of("stage", "NONE"),
          Map.of("stage", "STAGING", Promotions.APPROVALS_USED, "2"), "", List.of());
      return null;
    });

    assertThat(registry.audit("churn").verify()).hasValueSatisfying(problem -> assertThat(problem)
        .contains("record 2 used 2 approval(s) of v1 for STAGING, but the trail recorded 0"));
  }

  /** Writes an approval and its audit record as a version of opskit that let approvals outlive promotions did. */
  private void leftBehind(int number, Stage stage, Actor actor) {
    RegistryImpl impl = (RegistryImpl) registry;
    workspace.metadata().transact(tx -> {
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put("model", "churn");
      attrs.put("version", (long) number);
      attrs.put("stage", stage.name());
      attrs.put("actor", actor.principal());
      attrs.put("at", clock.instant());
      tx.insert(RegistryImpl.APPROVALS, VersionRecords.versionKey("churn", number) + "/" + stage.name() + "/"
          + RegistryImpl.sha(actor.id()).substring(0, 24), "approved before the upgrade", attrs);
      impl.audit.append(tx, "churn", "APPROVE", actor, clock.instant(), number, Map.of(),
          Map.of("stage", stage.name()), "approved before the upgrade", List.of());
      return null;
    });
  }
}
