package dev.opskit.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.ml.access.Action;
import dev.opskit.ml.access.Authorizer;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.GateSpec;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.NamedGates;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionPolicy;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The values of governance: gate specs, combined policies, named gates, actions and combined authorizers. */
class GovernanceValuesTest {
  static final List<PromotionGate> BUILT_IN = List.of(Gates.metricAtLeast("auc", 0.75),
      Gates.metricAtMost("latency_ms", 1e-3), Gates.beatsChampion("auc", 0.0), Gates.datasetChecksPassed(),
      Gates.driftBelow("events/raw", "0123abcd", 0.2), Gates.approvals(2), Gates.named("fairness"));

  @Test
  void everyBuiltInGateIsRebuiltFromItsSpecWithTheSameNameMetricsAndSpec() {
    for (PromotionGate gate : BUILT_IN) {
      GateSpec spec = gate.spec().orElseThrow();
      PromotionGate back = Gates.fromSpec(spec);
      assertThat(back.name()).as(spec.toString()).isEqualTo(gate.name());
      assertThat(back.metrics()).as(spec.toString()).isEqualTo(gate.metrics());
      assertThat(back.spec()).contains(spec);
    }
  }

  @Test
  void gatesOfCodeHaveNoSpec() {
    assertThat(Gates.custom("c", ctx -> true).spec()).isEmpty();
    assertThat(Gates.of("o", ctx -> GateResult.pass("o", "", Map.of())).spec()).isEmpty();
    PromotionGate lambda = ctx -> GateResult.pass("l", "", Map.of());
    assertThat(lambda.spec()).isEmpty();
    PromotionPolicy policy = PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.approvals(1), lambda).build();
    assertThat(policy.unstorableGates()).singleElement().asString().startsWith("PRODUCTION: ");
  }

  @Test
  void aSpecThatCannotBeRebuiltGivesAGateThatFails() throws Exception {
    for (GateSpec spec : List.of(new GateSpec("unknown", Map.of()), new GateSpec("approvals", Map.of()),
        new GateSpec("approvals", Map.of("required", "zero")), new GateSpec("approvals", Map.of("required", "0")),
        new GateSpec("beatsChampion", Map.of("metric", "auc", "margin", "-1")))) {
      GateResult result = Gates.fromSpec(spec).evaluate(null);
      assertThat(result.passed()).as(spec.toString()).isFalse();
      assertThat(result.message()).as(spec.toString()).contains("cannot be evaluated");
    }
  }

  @Test
  void combiningAddsGatesAndTakesTheStricterOfTheRulesTheAddedPolicySets() {
    PromotionPolicy stored = PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.approvals(2)).maxStaging(3)
        .fourEyes(false).build();
    PromotionPolicy onlyGates = PromotionPolicy.builder().gates(Stage.PRODUCTION, Gates.metricAtLeast("auc", 0.8))
        .rollbackGates(Gates.approvals(1)).build();
    PromotionPolicy combined = stored.combine(onlyGates);
    assertThat(combined.gatesFor(Stage.PRODUCTION)).extracting(PromotionGate::name)
        .containsExactly("approvals(2)", "metric(auc >= 0.8000)");
    assertThat(combined.rollbackGates()).extracting(PromotionGate::name).containsExactly("approvals(1)");
    assertThat(combined.maxStaging()).isEqualTo(3);
    assertThat(combined.fourEyes()).isFalse();

    PromotionPolicy looser = PromotionPolicy.builder().maxStaging(9).fourEyes(false).autoArchive(true)
        .rollbackAllowed(true).build();
    PromotionPolicy strict = PromotionPolicy.builder().maxStaging(2).fourEyes(true).autoArchive(false)
        .rollbackAllowed(false).build();
    for (PromotionPolicy c : List.of(strict.combine(looser), looser.combine(strict))) {
      assertThat(c.maxStaging()).isEqualTo(2);
      assertThat(c.fourEyes()).isTrue();
      assertThat(c.autoArchive()).isFalse();
      assertThat(c.rollbackAllowed()).isFalse();
    }
    assertThat(stored.combine(PromotionPolicy.defaults()).maxStaging()).isEqualTo(3);
  }

  @Test
  void namedGatesAreFoundByNameAndNamesAreUnique() {
    PromotionGate fairness = Gates.custom("fairness", ctx -> true);
    NamedGates gates = NamedGates.of(fairness, Gates.custom("bias", ctx -> true));
    assertThat(gates.gate("fairness")).containsSame(fairness);
    assertThat(gates.gate("other")).isEmpty();
    assertThat(gates.names()).containsExactly("bias", "fairness");
    assertThatThrownBy(() -> NamedGates.of(fairness, Gates.custom("fairness", ctx -> false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two gates are named 'fairness'");
    assertThatThrownBy(() -> NamedGates.of(Gates.named("fairness")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a reference to a registered gate");
  }

  @Test
  void onlyPromoteRollbackAndDemoteMoveStages() {
    EnumSet<Action> moving = EnumSet.noneOf(Action.class);
    for (Action a : Action.values()) {
      if (a.movesStage()) {
        moving.add(a);
      }
    }
    assertThat(moving).containsExactly(Action.PROMOTE, Action.ROLLBACK, Action.DEMOTE);
  }

  @Test
  void combinedAuthorizersAllowOnlyWhatBothAllow() {
    Authorizer noDeletes = (actor, action, model, version) -> action == Action.DELETE
        ? Optional.of("no deletes") : Optional.empty();
    Authorizer noPromotions = (actor, action, model, version) -> action == Action.PROMOTE
        ? Optional.of("no promotions") : Optional.empty();
    Authorizer both = noDeletes.and(noPromotions);
    Actor a = Actor.of("a");
    assertThat(both.deny(a, Action.DELETE, "m", 1)).contains("no deletes");
    assertThat(both.deny(a, Action.PROMOTE, "m", 1)).contains("no promotions");
    assertThat(both.deny(a, Action.REGISTER, "m", 0)).isEmpty();
  }
}
