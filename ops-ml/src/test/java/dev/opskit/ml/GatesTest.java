package dev.opskit.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.data.Rows;
import dev.opskit.data.check.Check;
import dev.opskit.ml.promotion.GateContext;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.promotion.GateSpec;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.NamedGates;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every built-in gate: a pass, a fail, its evidence, and a bad configuration. */
class GatesTest {
  private static final Instant AT = Instant.parse("2026-09-01T00:00:00Z");

  /** A row of the datasets the data gates read. */
  public record Row(String id, double value) {}

  private static final Dataset<Rows<Row>> EVENTS = Datasets.jsonLines("events", Row.class)
      .withChecks(Check.notNull("id"));

  private final Workspace workspace = Workspace.inMemory();

  @AfterEach
  void close() {
    workspace.close();
  }

  private record Context(ModelVersion candidate, Stage target, Optional<ModelVersion> incumbent,
      Optional<ModelVersion> champion, List<Actor> approvals, Actor actor, Workspace workspace)
      implements GateContext {}

  private Context context(ModelVersion candidate) {
    return new Context(candidate, Stage.PRODUCTION, Optional.empty(), Optional.empty(), List.of(), Actor.of("ci"),
        workspace);
  }

  private Context withChampion(ModelVersion candidate, @Nullable ModelVersion champion) {
    return new Context(candidate, Stage.PRODUCTION, Optional.ofNullable(champion), Optional.ofNullable(champion),
        List.of(), Actor.of("ci"), workspace);
  }

  private Context withApprovals(ModelVersion candidate, Actor... approvers) {
    return new Context(candidate, Stage.PRODUCTION, Optional.empty(), Optional.empty(), List.of(approvers),
        Actor.of("ci"), workspace);
  }

  private static ModelVersion version(int number, Provenance provenance) {
    return new ModelVersion("churn", number, ModelVersionStatus.READY, Stage.NONE, "sha256:x", "json",
        Signature.none(), provenance, Map.of(), List.of(), "", "ci", AT, AT);
  }

  private static ModelVersion withMetric(int number, String metric, double value) {
    return version(number, Provenance.builder().metric(metric, value).build());
  }

  private static List<Row> rows(int n, double scale) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Row("g" + (i % 10), (i % 10) * scale)); // the same ten ids in every version
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void metricAtLeastPassesAtTheThresholdFailsBelowItAndWithoutTheMetric() throws Exception {
    PromotionGate gate = Gates.metricAtLeast("auc", 0.8);
    GateResult pass = gate.evaluate(context(withMetric(1, "auc", 0.8)));
    GateResult fail = gate.evaluate(context(withMetric(2, "auc", 0.79)));
    GateResult missing = gate.evaluate(context(withMetric(3, "f1", 0.9)));

    assertThat(gate.name()).isEqualTo("metric(auc >= 0.8000)");
    assertThat(gate.metrics()).containsExactly("auc");
    assertThat(pass.passed()).isTrue();
    assertThat(pass.evidence()).containsEntry("auc", "0.8000");
    assertThat(fail.passed()).isFalse();
    assertThat(fail.message()).contains("0.7900 does not meet >= 0.8000");
    assertThat(fail.evidence()).containsEntry("auc", "0.7900");
    assertThat(missing.passed()).isFalse();
    assertThat(missing.message()).contains("v3 has no metric 'auc'; its metrics are [f1]");
    assertThat(missing.evidence()).isEmpty();
  }

  @Test
  void metricAtMostPassesAtTheThresholdAndFailsAboveIt() throws Exception {
    PromotionGate gate = Gates.metricAtMost("latency_ms", 20);
    assertThat(gate.name()).isEqualTo("metric(latency_ms <= 20)");
    GateResult pass = gate.evaluate(context(withMetric(1, "latency_ms", 20)));
    GateResult fail = gate.evaluate(context(withMetric(2, "latency_ms", 21)));
    assertThat(pass.passed()).isTrue();
    assertThat(pass.evidence()).containsEntry("latency_ms", "20");
    assertThat(fail.passed()).isFalse();
    assertThat(fail.message()).contains("21 does not meet <= 20");
  }

  @Test
  void metricGatesRefuseABlankMetricAndAThresholdThatIsNotFinite() {
    assertThatThrownBy(() -> Gates.metricAtLeast(" ", 0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metric name");
    assertThatThrownBy(() -> Gates.metricAtLeast("auc", Double.NaN)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("min must be a finite number, got NaN");
    assertThatThrownBy(() -> Gates.metricAtMost("loss", Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max must be a finite number, got Infinity");
    assertThatThrownBy(() -> Gates.metricAtMost(null, 1)).isInstanceOf(NullPointerException.class)
        .hasMessage("metric");
  }

  @Test
  void beatsChampionComparesOnTheSameEvaluationDataWithAMargin() throws Exception {
    PromotionGate gate = Gates.beatsChampion("auc", 0.01);
    Provenance.Builder eval = Provenance.builder().dataset("holdout", "abc", DatasetInput.EVALUATION);
    ModelVersion champion = version(1, Provenance.builder().dataset("holdout", "abc", DatasetInput.EVALUATION)
        .metric("auc", 0.80).build());
    ModelVersion better = version(2, eval.metric("auc", 0.82).build());
    ModelVersion barely = version(3, Provenance.builder().dataset("holdout", "abc", DatasetInput.EVALUATION)
        .metric("auc", 0.805).build());
    ModelVersion otherData = version(4, Provenance.builder().dataset("holdout", "def", DatasetInput.EVALUATION)
        .metric("auc", 0.99).build());

    GateResult pass = gate.evaluate(withChampion(better, champion));
    assertThat(pass.passed()).isTrue();
    assertThat(pass.evidence()).containsEntry("candidate", "0.8200").containsEntry("champion", "0.8000")
        .containsEntry("champion_version", "1").containsEntry("evaluation_dataset", "holdout@abc");
    assertThat(pass.message()).doesNotContain("neither");
    GateResult fail = gate.evaluate(withChampion(barely, champion));
    assertThat(fail.passed()).isFalse();
    assertThat(fail.message()).contains("does not beat champion v1's 0.8000 by 0.01000");
    GateResult mismatch = gate.evaluate(withChampion(otherData, champion));
    assertThat(mismatch.passed()).isFalse();
    assertThat(mismatch.message()).contains("evaluated on holdout@def but champion v1 on holdout@abc");
    assertThat(gate.evaluate(withChampion(better, null)).passed()).as("nothing in production").isTrue();
    assertThat(gate.evaluate(withChampion(champion, champion)).passed()).as("the champion itself").isTrue();
  }

  @Test
  void beatsChampionComparesTheRecordedMetricsWhenNeitherVersionNamesAnEvaluationDatasetAndSaysSo()
      throws Exception {
    PromotionGate gate = Gates.beatsChampion("auc", 0.01);
    ModelVersion champion = withMetric(1, "auc", 0.8);   // as the docs register: a metric and no dataset
    GateResult pass = gate.evaluate(withChampion(withMetric(2, "auc", 0.9), champion));
    assertThat(pass.passed()).as(pass.message()).isTrue();
    assertThat(pass.message()).isEqualTo(
        "auc 0.9000 beats champion v1's 0.8000 by 0.01000 (neither names an evaluation dataset)");
    assertThat(pass.evidence()).containsEntry("candidate", "0.9000").containsEntry("champion", "0.8000")
        .containsEntry("champion_version", "1")
        .containsEntry("evaluation_dataset", "neither names an evaluation dataset");
    GateResult fail = gate.evaluate(withChampion(withMetric(3, "auc", 0.805), champion));
    assertThat(fail.passed()).isFalse();
    assertThat(fail.message()).startsWith("auc 0.8050 does not beat champion v1's 0.8000 by 0.01000")
        .endsWith("(neither names an evaluation dataset)");
    GateResult noMetric = gate.evaluate(withChampion(withMetric(4, "f1", 0.99), champion));
    assertThat(noMetric.passed()).isFalse();
    assertThat(noMetric.message()).isEqualTo("v4 has no metric 'auc'");
  }

  @Test
  void beatsChampionRefusesWhenOnlyOneVersionNamesAnEvaluationDatasetSayingWhichOne() throws Exception {
    PromotionGate gate = Gates.beatsChampion("auc", 0.01);
    ModelVersion bare = withMetric(1, "auc", 0.8);
    ModelVersion evaluated = version(2, Provenance.builder().dataset("holdout", "abc", DatasetInput.EVALUATION)
        .metric("auc", 0.9).build());

    GateResult championBare = gate.evaluate(withChampion(evaluated, bare));
    assertThat(championBare.passed()).isFalse();
    assertThat(championBare.message()).startsWith("v2 was evaluated on holdout@abc but champion v1 names no "
        + "evaluation dataset").contains("Provenance.Builder.dataset(name, versionId, \"evaluation\")");
    GateResult candidateBare = gate.evaluate(withChampion(version(3, Provenance.builder().metric("auc", 0.95)
        .build()), version(1, Provenance.builder().dataset("holdout", "abc", DatasetInput.EVALUATION)
        .metric("auc", 0.8).build())));
    assertThat(candidateBare.passed()).isFalse();
    assertThat(candidateBare.message()).startsWith("v3 names no evaluation dataset but champion v1 was evaluated on "
        + "holdout@abc");
    for (GateResult refused : List.of(championBare, candidateBare)) {
      assertThat(refused.message()).as("never 'no evaluation dataset' on both sides")
          .doesNotContain("on no evaluation dataset");
    }
  }

  @Test
  void beatsChampionRefusesANegativeNanOrInfiniteMargin() {
    for (double margin : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Gates.beatsChampion("auc", margin)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("margin must be 0 or more, got " + margin);
    }
  }

  @Test
  void datasetChecksPassedPassesOnCommittedInputsAndFailsOnQuarantinedMissingOrNone() throws Exception {
    Catalog catalog = Catalog.in(workspace);
    String good = catalog.commit(EVENTS, Rows.of(rows(10, 1))).id();
    List<Row> broken = new ArrayList<>(rows(3, 1));
    broken.add(new Row(null, 1));
    String quarantined;
    try {
      catalog.commit(EVENTS, Rows.of(broken));
      throw new AssertionError("the not-null check should have failed");
    } catch (DatasetCheckException e) {
      quarantined = e.versionId();
    }
    PromotionGate gate = Gates.datasetChecksPassed();

    GateResult pass = gate.evaluate(context(version(1, Provenance.builder()
        .dataset("events", good, DatasetInput.TRAINING).build())));
    assertThat(pass.passed()).isTrue();
    assertThat(pass.evidence()).containsExactly(Map.entry("training:events", "passed"));
    GateResult fail = gate.evaluate(context(version(2, Provenance.builder()
        .dataset("events", good, DatasetInput.TRAINING).dataset("events", quarantined, DatasetInput.EVALUATION)
        .build())));
    assertThat(fail.passed()).isFalse();
    assertThat(fail.evidence()).containsEntry("evaluation:events", "failed");
    assertThat(fail.message()).contains("(evaluation) failed");
    GateResult missing = gate.evaluate(context(version(3, Provenance.builder()
        .dataset("events", "0000000000000000", DatasetInput.TRAINING).build())));
    assertThat(missing.passed()).isFalse();
    assertThat(missing.evidence()).containsEntry("training:events", "missing");
    assertThat(missing.message()).contains("is not in the catalog");
    GateResult none = gate.evaluate(context(version(4, Provenance.none())));
    assertThat(none.passed()).isFalse();
    assertThat(none.message()).contains("names no dataset version");
  }

  @Test
  void driftBelowPassesOnTheSameDistributionAndFailsOnAShiftedOne() throws Exception {
    Catalog catalog = Catalog.in(workspace);
    String training = catalog.commit(EVENTS, Rows.of(rows(200, 1))).id();
    String same = catalog.commit(EVENTS, Rows.of(rows(100, 1))).id();
    String shifted = catalog.commit(EVENTS, Rows.of(rows(200, 100))).id();
    ModelVersion candidate = version(1, Provenance.builder().dataset("events", training, DatasetInput.TRAINING)
        .build());

    GateResult pass = Gates.driftBelow("events", same, 0.2).evaluate(context(candidate));
    assertThat(pass.passed()).as(pass.message()).isTrue();
    assertThat(pass.evidence()).containsKeys("max_psi", "max_ks");
    GateResult fail = Gates.driftBelow("events", shifted, 0.2).evaluate(context(candidate));
    assertThat(fail.passed()).as(fail.message()).isFalse();
    assertThat(fail.message()).contains("not below 0.2000");
    GateResult noTraining = Gates.driftBelow("events", same, 0.2).evaluate(context(version(2, Provenance.none())));
    assertThat(noTraining.passed()).isFalse();
    assertThat(noTraining.message()).contains("v2's provenance has no training version of 'events'");
  }

  @Test
  void driftBelowRefusesABlankDatasetOrVersionAndAThresholdThatIsNotAbove0() {
    assertThatThrownBy(() -> Gates.driftBelow("", "abc", 0.2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataset name");
    assertThatThrownBy(() -> Gates.driftBelow("events", " ", 0.2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recent version of 'events'");
    for (double psi : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Gates.driftBelow("events", "abc", psi)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxPsi must be a finite number above 0, got " + psi);
    }
  }

  @Test
  void approvalsCountDistinctCanonicalApprovers() throws Exception {
    PromotionGate gate = Gates.approvals(2);
    ModelVersion candidate = withMetric(1, "auc", 0.9);
    GateResult fail = gate.evaluate(withApprovals(candidate, Actor.of("alice"), Actor.of("Alice ")));
    assertThat(fail.passed()).as("one approver in two spellings").isFalse();
    assertThat(fail.message()).startsWith("1 of 2 approvals for PRODUCTION");
    GateResult pass = gate.evaluate(withApprovals(candidate, Actor.of("alice"), Actor.of("bob")));
    assertThat(pass.passed()).isTrue();
    assertThat(pass.evidence()).containsKey("approvers");
    assertThat(pass.evidence().get("approvers")).contains("alice").contains("bob");
    assertThat(gate.evaluate(withApprovals(candidate)).message()).isEqualTo("0 of 2 approvals for PRODUCTION");
    assertThatThrownBy(() -> Gates.approvals(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("required approvals must be at least 1, got 0");
  }

  @Test
  void aNamedGateEvaluatesTheRegisteredGateAndFailsNamingItWhenNoneIsRegistered() throws Exception {
    PromotionGate fairness = Gates.of("fairness", ctx -> GateResult.pass("fairness", "balanced", Map.of("gap", "1")));
    Workspace registered = Workspace.builder().attribute(NamedGates.KEY, NamedGates.of(fairness)).openInMemory();
    try (registered) {
      ModelVersion candidate = withMetric(1, "auc", 0.9);
      GateResult pass = Gates.named("fairness").evaluate(new Context(candidate, Stage.PRODUCTION, Optional.empty(),
          Optional.empty(), List.of(), Actor.of("ci"), registered));
      assertThat(pass.passed()).isTrue();
      assertThat(pass.evidence()).containsEntry("gap", "1");
      GateResult unregistered = Gates.named("fairness").evaluate(context(candidate));
      assertThat(unregistered.passed()).isFalse();
      assertThat(unregistered.message()).contains("names gate 'fairness', which this process has not registered");
      assertThat(unregistered.evidence()).containsEntry("registered", "[]");
    }
    assertThatThrownBy(() -> Gates.named(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be blank");
  }

  @Test
  void customAndOfGatesPassAndFailAsTheirCodeSays() throws Exception {
    ModelVersion candidate = withMetric(1, "auc", 0.9);
    assertThat(Gates.custom("even", ctx -> ctx.candidate().number() % 2 == 0).evaluate(context(candidate)))
        .isEqualTo(GateResult.fail("even", "failed", Map.of()));
    assertThat(Gates.custom("odd", ctx -> ctx.candidate().number() % 2 == 1).evaluate(context(candidate)))
        .isEqualTo(GateResult.pass("odd", "passed", Map.of()));
    GateResult own = GateResult.fail("own", "why", Map.of("k", "v"));
    assertThat(Gates.of("own", ctx -> own).evaluate(context(candidate))).isSameAs(own);
    assertThatThrownBy(() -> Gates.custom("c", null)).isInstanceOf(NullPointerException.class).hasMessage("test");
  }

  @Test
  void aStoredSpecWithABadParameterGivesAGateThatFailsSayingWhy() throws Exception {
    PromotionGate gate = Gates.fromSpec(new GateSpec("metricAtLeast", Map.of("metric", "auc", "min", "NaN")));
    GateResult result = gate.evaluate(context(withMetric(1, "auc", 0.9)));
    assertThat(result.passed()).isFalse();
    assertThat(result.message()).contains("cannot be evaluated: min must be a finite number, got NaN");
    GateResult unknown = Gates.fromSpec(new GateSpec("teleport", Map.of())).evaluate(context(withMetric(1, "a", 1)));
    assertThat(unknown.passed()).isFalse();
    assertThat(unknown.message()).contains("unknown to this version of opskit");
  }
}
