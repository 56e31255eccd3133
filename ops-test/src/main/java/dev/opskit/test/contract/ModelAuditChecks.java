package dev.opskit.test.contract;

import static dev.opskit.test.contract.ModelRegistryContract.ALICE;
import static dev.opskit.test.contract.ModelRegistryContract.BOB;
import static dev.opskit.test.contract.ModelRegistryContract.CI;
import static dev.opskit.test.contract.ModelRegistryContract.CODEC;
import static dev.opskit.test.contract.ModelRegistryContract.register;
import static dev.opskit.test.contract.ModelRegistryContract.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.test.contract.ModelRegistryContract.Weights;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The checks of a model's audit trail that {@link ModelRegistryContract} runs: concurrent writes keep it whole and in
 * order, approvals racing the promotion they are for are used by it or refused, it answers who held a stage or an alias
 * and when, verification names the first edited record, and an authorizer's refusal is both an exception and a
 * record.
 */
final class ModelAuditChecks {
  /** Edits the stored body of a record without going through opskit: {@link ModelRegistryContract#tamper}. */
  @FunctionalInterface
  interface Tamper {
    void edit(Workspace workspace, String collection, String key, UnaryOperator<String> edit);
  }

  private final Workspace workspace;
  private final ModelRegistry registry;
  private final ManualClock clock;
  private final Tamper tamper;

  ModelAuditChecks(Workspace workspace, ModelRegistry registry, ManualClock clock, Tamper tamper) {
    this.workspace = workspace;
    this.registry = registry;
    this.clock = clock;
    this.tamper = tamper;
  }

  void concurrentWritesToOneModelKeepItsAuditTrailWholeAndInOrder() throws Exception {
    register(registry, "churn", 0.8);
    register(registry, "churn", 0.9);
    int approvers = 8;
    Set<String> failures = ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    runConcurrently(approvers + 2, () -> {
      int me = next.getAndIncrement();
      try {
        if (me == 0) {
          registry.promote("churn", 1).to(Stage.STAGING).as(CI).execute();
        } else if (me == 1) {
          registry.promote("churn", 2).to(Stage.PRODUCTION).as(CI).execute();
        } else {
          // for a stage neither promotion moves v1 to: approvals of a version for the stage it is being promoted to
          // compete with that promotion, which uses them up (see the next check)
          registry.approve("churn", 1, Stage.PRODUCTION, Actor.of("reviewer-" + me), "looks good");
        }
      } catch (RuntimeException e) {
        failures.add(me + ": " + e);
      }
    });

    // Promotions to different stages and approvals by different actors do not compete: every one of them lands.
    assertThat(failures).isEmpty();
    List<AuditRecord> trail = registry.audit("churn").records();
    assertThat(trail).extracting(AuditRecord::sequence)
        .containsExactly(java.util.stream.LongStream.rangeClosed(1, 2 + approvers + 2).boxed().toArray(Long[]::new));
    assertThat(trail).filteredOn(r -> r.action().equals("APPROVE")).hasSize(approvers);
    assertThat(trail).filteredOn(r -> r.action().equals("PROMOTE")).hasSize(2);
    assertThat(registry.audit("churn").verify()).isEmpty();
    assertThat(registry.version("churn", 1).stage()).isEqualTo(Stage.STAGING);
    assertThat(registry.version("churn", 2).stage()).isEqualTo(Stage.PRODUCTION);
  }

  void approvalsRacingThePromotionTheyAreForAreUsedByItOrRefused() throws Exception {
    register(registry, "churn", 0.8);
    int approvers = 6;
    Set<String> refused = ConcurrentHashMap.newKeySet();
    Set<String> failures = ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    runConcurrently(approvers + 1, () -> {
      int me = next.getAndIncrement();
      try {
        if (me == 0) {
          registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).execute();
        } else {
          registry.approve("churn", 1, Stage.PRODUCTION, Actor.of("reviewer-" + me), "looks good");
        }
      } catch (IllegalStateException e) {
        (String.valueOf(e.getMessage()).contains("already in PRODUCTION") ? refused : failures).add(me + ": " + e);
      } catch (RuntimeException e) {
        failures.add(me + ": " + e);
      }
    });

    // An approval landed before the promotion, which used it, or after, and was refused: none is left to count for a
    // later promotion.
    assertThat(failures).isEmpty();
    List<AuditRecord> trail = registry.audit("churn").records();
    AuditRecord promotion = trail.stream().filter(r -> r.action().equals("PROMOTE")).findFirst().orElseThrow();
    List<AuditRecord> approvals = trail.stream().filter(r -> r.action().equals("APPROVE")).toList();
    assertThat(approvals).hasSize(approvers - refused.size())
        .allSatisfy(r -> assertThat(r.sequence()).isLessThan(promotion.sequence()));
    assertThat(promotion.after().get("approvals_used"))
        .isEqualTo(approvals.isEmpty() ? null : Integer.toString(approvals.size()));
    assertThat(registry.audit("churn").verify()).isEmpty();
    registry.promote("churn", 1).to(Stage.NONE).as(CI).execute();
    assertThat(registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).gates(Gates.approvals(1)).dryRun().gates())
        .singleElement().satisfies(g -> assertThat(g.message()).startsWith("0 of 1 approvals"));
  }

  void theAuditTrailAnswersWhoHeldWhatAndWhen() {
    register(registry, "churn", 0.8);
    register(registry, "churn", 0.9);
    Instant t0 = clock.instant();
    clock.advance(Duration.ofHours(1));
    registry.promote("churn", 1).to(Stage.PRODUCTION).as(CI).reason("first").execute();
    registry.setAlias("churn", "champion", 1, CI);
    Instant t1 = clock.instant();
    clock.advance(Duration.ofHours(1));
    registry.promote("churn", 2).to(Stage.PRODUCTION).as(ALICE).reason("better").execute();
    registry.setAlias("churn", "champion", 2, CI);
    Instant t2 = clock.instant();

    var audit = registry.audit("churn");
    assertThat(audit.verify()).isEmpty();
    assertThat(audit.stageAt(Stage.PRODUCTION, t0)).isEmpty();
    assertThat(audit.stageAt(Stage.PRODUCTION, t1)).hasValue(1);
    assertThat(audit.stageAt(Stage.PRODUCTION, t2)).hasValue(2);
    assertThat(audit.aliasAt("champion", t1)).hasValue(1);
    assertThat(audit.aliasAt("champion", t2)).hasValue(2);
    AuditRecord promote = audit.records().stream().filter(r -> r.action().equals("PROMOTE") && r.version() == 2)
        .findFirst().orElseThrow();
    assertThat(promote.actor()).isEqualTo("alice");
    assertThat(promote.before()).containsEntry("stage", "NONE");
    assertThat(promote.after()).containsEntry("stage", "PRODUCTION").containsEntry("archived", "1");
    assertThat(promote.at()).isEqualTo(t2);
  }

  void verifyNamesTheFirstEditedOrDeletedAuditRecord() {
    register(registry, "churn", 0.8);
    registry.setAlias("churn", "a", 1, CI);
    registry.setAlias("churn", "b", 1, CI);
    assertThat(registry.audit("churn").verify()).isEmpty();
    // Flip one bit of one character of the second record's stored body.
    tamper.edit(workspace, "model-audit", "churn/000000000002", body -> {
      int at = body.indexOf("\"a\"") + 1;
      return body.substring(0, at) + (char) (body.charAt(at) ^ 1) + body.substring(at + 1);
    });
    assertThat(registry.audit("churn").verify()).hasValueSatisfying(m ->
        assertThat(m).contains("audit record 2 of model 'churn' was edited"));
  }

  void anAuthorizerRefusalIsAnExceptionAndAnAuditRecord() {
    // The authorizer belongs to the workspace: here a second one on the same stores, as another process opens it.
    Workspace guardedWorkspace = Workspace.builder().clock(clock)
        .attribute(Authorizer.KEY, (actor, action, model, version) -> action == Action.PROMOTE && !actor.equals(ALICE)
            ? Optional.of("only alice promotes") : Optional.empty())
        .open(workspace.metadata(), workspace.blobs());
    ModelRegistry guarded = ModelRegistry.in(guardedWorkspace);
    try {
      guarded.register("churn", new Weights(1, 1), CODEC, CI);
      assertThatThrownBy(() -> guarded.promote("churn", 1).to(Stage.PRODUCTION).as(BOB).execute())
          .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
            assertThat(e.actor()).isEqualTo(BOB);
            assertThat(e.action()).isEqualTo(Action.PROMOTE);
          })
          .hasMessage("actor 'bob' may not PROMOTE churn v1: only alice promotes");
      assertThat(guarded.audit("churn").records()).extracting(AuditRecord::action)
          .containsExactly("REGISTER", "DENIED:PROMOTE");
      assertThat(guarded.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute().approved()).isTrue();
    } finally {
      guarded.close();
      guardedWorkspace.close();
    }
  }
}
