package dev.opskit.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.ml.promotion.GateResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rows a console renders from a comparison, and the values' own checks. */
class VersionComparisonTest {
  private static final Instant AT = Instant.parse("2026-09-01T00:00:00Z");

  private static VersionComparison.Column column(int number, Provenance provenance, ModelTimeline.Change... changes) {
    ModelVersion v = new ModelVersion("churn", number, ModelVersionStatus.READY, Stage.NONE, "sha256:x", "json",
        Signature.none(), provenance, Map.of(), List.of(), "", "ci", AT, AT);
    return new VersionComparison.Column(v, List.of(changes));
  }

  private static ModelTimeline.Change stage(int version, String to, List<GateResult> gates) {
    return new ModelTimeline.Change(ModelTimeline.Kind.STAGE, "PROMOTE", 1, version, null, "NONE", to, "ci", AT, "",
        gates);
  }

  @Test
  void rowsListEveryMetricAndParameterInColumnOrderAndLeaveOutWhatAVersionLacks() {
    VersionComparison c = new VersionComparison("churn", List.of(
        column(7, Provenance.builder().metric("auc", 0.83).param("depth", 6).param("seed", 1).build()),
        column(3, Provenance.builder().metric("auc", 0.81).metric("f1", 0.5).param("depth", 4).param("seed", 1)
            .build()),
        column(5, Provenance.builder().param("seed", 1).build())));

    assertThat(c.metricNames()).containsExactly("auc", "f1");
    assertThat(c.metric("auc")).containsExactly(Map.entry(7, 0.83), Map.entry(3, 0.81));
    assertThat(c.metric("f1")).containsExactly(Map.entry(3, 0.5));
    assertThat(c.metric("loss")).isEmpty();
    assertThat(c.paramNames()).containsExactly("depth", "seed");
    assertThat(c.param("seed")).containsExactly(Map.entry(7, "1"), Map.entry(3, "1"), Map.entry(5, "1"));
    assertThat(c.differingParams()).as("depth differs, and version 5 lacks it").containsExactly("depth");
  }

  @Test
  void lastGateResultsAreThoseOfTheLastChangeThatHadAny() {
    GateResult first = GateResult.pass("a", "ok", Map.of());
    GateResult second = GateResult.fail("b", "no", Map.of("auc", "0.4"));
    VersionComparison.Column col = column(1, Provenance.none(), stage(1, "STAGING", List.of(first)),
        stage(1, "PRODUCTION", List.of(second)), stage(1, "ARCHIVED", List.of()));
    assertThat(col.lastGateResults()).containsExactly(second);
    assertThat(column(2, Provenance.none()).lastGateResults()).isEmpty();
  }

  @Test
  void aChangeNamesAnAliasExactlyWhenItIsAnAliasChange() {
    assertThatThrownBy(() -> new ModelTimeline.Change(ModelTimeline.Kind.ALIAS, "SET_ALIAS", 1, 1, null, "", "1",
        "ci", AT, "", List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ALIAS");
    assertThatThrownBy(() -> new ModelTimeline.Change(ModelTimeline.Kind.STAGE, "PROMOTE", 1, 1, "champion", "NONE",
        "STAGING", "ci", AT, "", List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("champion");
  }
}
