package dev.opskit.test.contract;

import static dev.opskit.test.contract.ModelRegistryContract.ALICE;
import static dev.opskit.test.contract.ModelRegistryContract.BOB;
import static dev.opskit.test.contract.ModelRegistryContract.CI;
import static dev.opskit.test.contract.ModelRegistryContract.CODEC;
import static dev.opskit.test.contract.ModelRegistryContract.register;
import static dev.opskit.test.contract.ModelRegistryContract.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionConflictException;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.test.contract.ModelRegistryContract.Weights;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * The checks of promotion that {@link ModelRegistryContract} runs: one version in production and by default one in
 * staging, a promotion to a stage the version is already in, gates (every one runs, a rejection changes nothing,
 * beating the champion on the same evaluation data, or on the recorded metrics when neither names any, approvals by
 * distinct actors, each counting for one promotion), two concurrent promotions with one winner, and rollback.
 */
final class ModelPromotionChecks {
  private static final Actor CAROL = Actor.of("carol");

  private final ModelRegistry registry;

  ModelPromotionChecks(ModelRegistry registry) {
    this.registry = registry;
  }

  void promotingAVersionAlreadyInTheStageReportsThatNothingChangedUnlessStrict() {
    register(registry, "churn", 0.8);
    PromotionReport first = registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    int records = registry.audit("churn").records().size();

    PromotionReport again = registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI)
        .gates(Gates.metricAtLeast("auc", 0.99)).execute();     // a gate it would fail is not even evaluated
    assertThat(again.unchanged()).isTrue();
    assertThat(again.approved()).isTrue();
    assertThat(again.gates()).isEmpty();
    assertThat(again.auditId()).isNull();
    assertThat(again).hasToString("churn v1 is already in PRODUCTION; nothing changed (" + CI + ")");
    assertThat(first.unchanged()).isFalse();
    assertThat(registry.audit("churn").records()).hasSize(records);
    assertThat(registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).dryRun().unchanged()).isTrue();

    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).strict().execute())
        .isInstanceOf(IllegalStateException.class).hasMessage("churn v1 is already in PRODUCTION; nothing to promote");
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.PRODUCTION);
  }

  void aModelHasOneProductionVersionAndByDefaultOneInStaging() {
    for (int i = 0; i < 4; i++) {
      register(registry, "churn", 0.8);
    }
    registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
    PromotionReport replaced = registry.promote("churn", 2).to(Stage.STAGING).as(CI).execute();
    assertThat(replaced.archived()).isEqualTo(1);
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(registry.search().model("churn").stage(Stage.PRODUCTION).list().items())
        .extracting(ModelVersion::number).containsExactly(3);
    assertThat(registry.version("churn", 2).stage()).isEqualTo(Stage.ARCHIVED);
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.ARCHIVED);
    assertThatThrownBy(() -> registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).strict().execute())
        .isInstanceOf(IllegalStateException.class).hasMessage("churn v3 is already in PRODUCTION; nothing to promote");
  }

  void everyGateRunsAndARejectionChangesNothing() {
    register(registry, "churn", 0.7);
    PromotionRejectedException rejected = null;
    try {
      registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).reason("try")
          .gates(Gates.metricAtLeast("auc", 0.8), Gates.metricAtMost("auc", 0.9), Gates.of("explodes", ctx -> {
            throw new IllegalStateException("gate bug");
          }), Gates.custom("always", ctx -> true))
          .execute();
    } catch (PromotionRejectedException e) {
      rejected = e;
    }
    assertThat(rejected).isNotNull();
    assertThat(rejected.gateResults()).extracting(r -> r.gate() + "=" + r.passed()).containsExactly(
        "metric(auc >= 0.8000)=false", "metric(auc <= 0.9000)=true", "explodes=false", "always=true");
    assertThat(rejected.gateResults().get(2).message()).contains("IllegalStateException: gate bug");
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.NONE);
    assertThat(registry.audit("churn").records()).extracting(AuditRecord::action).containsExactly("REGISTER");

    PromotionReport dry = registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI)
        .gates(Gates.metricAtLeast("auc", 0.5)).dryRun();
    assertThat(dry.approved()).isTrue();
    assertThat(dry.dryRun()).isTrue();
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.NONE);
  }

  private ModelVersion registerEvaluated(String model, double auc, String evalVersion) {
    return registry.registration(model, new Weights(auc, 2.0), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).dataset("eval/holdout", evalVersion, "evaluation").build())
        .by(CI).register();
  }

  void beatingTheChampionNeedsTheSameEvaluationData() {
    String eval = "a".repeat(64);
    registerEvaluated("churn", 0.80, eval);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    registerEvaluated("churn", 0.85, eval);
    registerEvaluated("churn", 0.805, eval);
    registerEvaluated("churn", 0.95, "b".repeat(64));
    var beats = Gates.beatsChampion("auc", 0.01);
    assertThat(registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).gates(beats).dryRun().approved()).isTrue();
    PromotionReport small = registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).gates(beats).dryRun();
    assertThat(small.approved()).isFalse();
    assertThat(small.gates().get(0).message()).contains("does not beat champion v1");
    PromotionReport other = registry.promote("churn", 4).to(Stage.PRODUCTION).as(CI).gates(beats).dryRun();
    assertThat(other.approved()).isFalse();
    assertThat(other.gates().get(0).message()).contains("compare them on the same evaluation dataset version");
  }

  /**
   * Versions registered as the README and the concepts page register them, with a metric and no evaluation dataset:
   * a second version that beats the first is promoted, through the gate given to the promotion and through the one a
   * stored policy holds, and one that does not is rejected on its metric.
   */
  void versionsWithoutEvaluationDataAreComparedOnTheirRecordedMetrics() {
    register(registry, "churn", 0.80);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    register(registry, "churn", 0.805);
    register(registry, "churn", 0.90);
    var beats = Gates.beatsChampion("auc", 0.01);

    PromotionReport small = registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).gates(beats).dryRun();
    assertThat(small.approved()).isFalse();
    assertThat(small.gates().get(0).message()).contains("does not beat champion v1");
    PromotionReport better = registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).gates(beats).dryRun();
    assertThat(better.approved()).as(better.toString()).isTrue();
    assertThat(better.gates().get(0).evidence()).containsEntry("evaluation_dataset",
        "neither names an evaluation dataset");
    registry.setPolicy("churn", PromotionPolicy.builder().gates(Stage.PRODUCTION, beats).build(), CI, "as documented");
    assertThat(registry.promote("churn", 3).to(Stage.PRODUCTION).as(CI).execute().approved()).isTrue();
    assertThat(registry.version("churn", 3).stage()).isEqualTo(Stage.PRODUCTION);
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.ARCHIVED);
  }

  void approvalsCountDistinctActorsUnderTheFourEyesRule() {
    ModelVersion v = register(registry, "churn", 0.9);
    var twoApprovals = Gates.approvals(2);
    assertThatThrownBy(() -> registry.approve("churn", v.number(), Stage.PRODUCTION, CI, "my own"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("four-eyes rule");
    registry.approve("churn", v.number(), Stage.PRODUCTION, ALICE, "looks good");
    assertThatThrownBy(() -> registry.approve("churn", v.number(), Stage.PRODUCTION, ALICE, "again"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already approved");
    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).gates(twoApprovals).execute())
        .isInstanceOf(PromotionRejectedException.class).hasMessageContaining("1 of 2 approvals");
    registry.approve("churn", v.number(), Stage.PRODUCTION, BOB, "ok");
    assertThat(registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).gates(twoApprovals).execute().approved())
        .isTrue();
  }

  void anApprovalCountsForOnePromotionOfItsVersionToItsStage() {
    register(registry, "churn", 0.9);
    var oneApproval = Gates.approvals(1);
    registry.approve("churn", 1, Stage.PRODUCTION, BOB, "reviewed");
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).gates(oneApproval).execute();
    // in the stage, a version is not approved for it: the approval would wait for a promotion that cannot come
    assertThatThrownBy(() -> registry.approve("churn", 1, Stage.PRODUCTION, ALICE, "late"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in PRODUCTION");
    registry.promote("churn", 1).to(Stage.NONE).as(ALICE).reason("pulled").execute();

    // Bob's approval was used by the promotion it was for: it does not bring the version back
    assertThatThrownBy(() -> registry.promote("churn", 1).to(Stage.PRODUCTION).as(CAROL).gates(oneApproval)
        .execute()).isInstanceOf(PromotionRejectedException.class).hasMessageContaining("0 of 1 approvals");
    registry.approve("churn", 1, Stage.PRODUCTION, BOB, "reviewed again");
    assertThat(registry.promote("churn", 1).to(Stage.PRODUCTION).as(CAROL).gates(oneApproval).execute().approved())
        .isTrue();
    assertThat(registry.audit("churn").records()).filteredOn(r -> r.action().equals("PROMOTE"))
        .extracting(r -> r.after().get("approvals_used")).containsExactly("1", "1");
    assertThat(registry.audit("churn").verify()).isEmpty();

    // a demotion takes approvals only where the policy's gates for NONE may count them
    assertThatThrownBy(() -> registry.approve("churn", 1, Stage.NONE, BOB, "ok to pull"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("stage NONE: ")
        .hasMessageContaining("Gates.approvals(n)");
  }

  void twoConcurrentPromotionsToProductionHaveExactlyOneWinner() throws Exception {
    register(registry, "churn", 0.8);
    register(registry, "churn", 0.8);
    CyclicBarrier bothEvaluated = new CyclicBarrier(2);
    var rendezvous = Gates.custom("rendezvous", ctx -> {
      try {
        bothEvaluated.await(30, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    runConcurrently(2, new Runnable() {
      private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

      @Override
      public void run() {
        int version = next.incrementAndGet();
        try {
          outcomes.add(registry.promote("churn", version).to(Stage.PRODUCTION).as(CI).gates(rendezvous).execute());
        } catch (PromotionConflictException e) {
          outcomes.add(e);
        }
      }
    });
    assertThat(outcomes).hasSize(2);
    assertThat(outcomes).filteredOn(o -> o instanceof PromotionReport).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof PromotionConflictException).hasSize(1)
        .allSatisfy(e -> assertThat(((PromotionConflictException) e).isRetryable()).isTrue())
        .allSatisfy(e -> assertThat(((Exception) e).getMessage()).contains("lost a race"));
    assertThat(registry.search().model("churn").stage(Stage.PRODUCTION).count()).isEqualTo(1);
  }

  void rollbackReturnsProductionToThePreviousVersionAndIsAudited() {
    register(registry, "churn", 0.8);
    register(registry, "churn", 0.9);
    assertThatThrownBy(() -> registry.rollback("churn", CI, "nothing yet")).isInstanceOf(IllegalStateException.class);
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
    PromotionReport back = registry.rollback("churn", ALICE, "v2 misbehaves");
    assertThat(back.version()).isEqualTo(1);
    assertThat(registry.resolve("models:/churn/production").number()).isEqualTo(1);
    assertThat(registry.version("churn", 2).stage()).isEqualTo(Stage.ARCHIVED);
    AuditRecord last = registry.audit("churn").records().get(registry.audit("churn").records().size() - 1);
    assertThat(last.action()).isEqualTo("ROLLBACK");
    assertThat(last.actor()).isEqualTo("alice");
    assertThat(last.reason()).isEqualTo("v2 misbehaves");
  }
}
