package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.ModelTimeline.Change;
import dev.opskit.ml.ModelTimeline.Kind;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.GateResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replaying an audit trail into a stage and alias timeline, without a store. */
class TimelinesTest {
  private static final Instant AT = Instant.parse("2026-09-01T00:00:00Z");
  private final List<AuditRecord> trail = new ArrayList<>();

  private void record(String action, int version, Map<String, String> before, Map<String, String> after,
      String reason, List<GateResult> gates) {
    long sequence = trail.size() + 1;
    trail.add(new AuditRecord("churn", sequence, action, "ci", AT.plusSeconds(sequence), version, before, after,
        reason, gates, "prev", "hash" + sequence));
  }

  @Test
  void promotionsGiveTheMovedVersionAndEveryArchivedIncumbentWithTheStageItLeft() {
    GateResult gate = GateResult.pass("metric(auc >= 0.5000)", "auc = 0.9 meets >= 0.5", Map.of("auc", "0.9"));
    record("REGISTER", 1, Map.of(), Map.of(), "", List.of());
    record("PROMOTE", 1, Map.of("stage", "NONE"), Map.of("stage", "STAGING"), "", List.of());
    record("PROMOTE", 2, Map.of("stage", "NONE"), Map.of("stage", "STAGING"), "", List.of());
    record("PROMOTE", 3, Map.of("stage", "NONE"), Map.of("stage", "PRODUCTION"), "go", List.of(gate));
    record("PROMOTE", 4, Map.of("stage", "NONE"), Map.of("stage", "STAGING", "archived", "1,2"), "new", List.of());

    ModelTimeline timeline = Timelines.of("churn", trail);

    assertThat(timeline.changes()).extracting(Change::version, Change::from, Change::to, Change::sequence)
        .containsExactly(tuple(1, "NONE", "STAGING", 2L), tuple(2, "NONE", "STAGING", 3L),
            tuple(3, "NONE", "PRODUCTION", 4L), tuple(4, "NONE", "STAGING", 5L), tuple(1, "STAGING", "ARCHIVED", 5L),
            tuple(2, "STAGING", "ARCHIVED", 5L));
    assertThat(timeline.changes().get(2).evidence()).containsExactly(gate);
    assertThat(timeline.changes().get(4).evidence()).as("the gates were the promoted version's").isEmpty();
    assertThat(timeline.changes().get(4).reason()).isEqualTo("new");
    assertThat(timeline.changes().get(2).at()).isEqualTo(AT.plusSeconds(4));
  }

  @Test
  void aliasesDemotionsRollbacksDeletionsAndModelDeletionsAreReplayed() {
    record("PROMOTE", 1, Map.of("stage", "NONE"), Map.of("stage", "PRODUCTION"), "", List.of());
    record("SET_ALIAS", 1, Map.of(), Map.of("alias", "champion", "version", "1"), "", List.of());
    record("SET_ALIAS", 2, Map.of("version", "1"), Map.of("alias", "champion", "version", "2"), "", List.of());
    record("DEMOTE", 1, Map.of("stage", "PRODUCTION"), Map.of("stage", "NONE"), "pulled", List.of());
    record("ROLLBACK", 2, Map.of("stage", "ARCHIVED"), Map.of("stage", "PRODUCTION"), "back", List.of());
    record("DELETE", 5, Map.of("stage", "NONE"), Map.of("deleted", "true"), "", List.of());
    record("DELETE", 6, Map.of("stage", "ARCHIVED"), Map.of("deleted", "true"), "", List.of());
    record("SET_TAG", 2, Map.of(), Map.of("key", "team", "value", "risk"), "", List.of());
    record("REMOVE_ALIAS", 2, Map.of("alias", "champion", "version", "2"), Map.of(), "deleted with model 'churn'",
        List.of());
    record("DELETE_MODEL", 0, Map.of("versions", "6"), Map.of("deleted", "true", "archived", "2"), "forced",
        List.of());

    ModelTimeline timeline = Timelines.of("churn", trail);

    assertThat(timeline.changes())
        .extracting(Change::kind, Change::action, Change::version, Change::alias, Change::from, Change::to)
        .containsExactly(tuple(Kind.STAGE, "PROMOTE", 1, null, "NONE", "PRODUCTION"),
            tuple(Kind.ALIAS, "SET_ALIAS", 1, "champion", "", "1"),
            tuple(Kind.ALIAS, "SET_ALIAS", 2, "champion", "1", "2"),
            tuple(Kind.STAGE, "DEMOTE", 1, null, "PRODUCTION", "NONE"),
            tuple(Kind.STAGE, "ROLLBACK", 2, null, "ARCHIVED", "PRODUCTION"),
            tuple(Kind.STAGE, "DELETE", 6, null, "ARCHIVED", ""),
            tuple(Kind.ALIAS, "REMOVE_ALIAS", 2, "champion", "2", ""),
            tuple(Kind.STAGE, "DELETE_MODEL", 2, null, "PRODUCTION", "ARCHIVED"));
    assertThat(timeline.of(1)).extracting(Change::action)
        .containsExactly("PROMOTE", "SET_ALIAS", "SET_ALIAS", "DEMOTE");
    assertThat(timeline.aliases()).hasSize(3);
    assertThat(timeline.stages()).hasSize(5);
  }

  @Test
  void aTrailWithoutStageOrAliasChangesGivesAnEmptyTimeline() {
    record("CREATE_MODEL", 0, Map.of(), Map.of("description", ""), "", List.of());
    record("REGISTER", 1, Map.of(), Map.of(), "", List.of());
    assertThat(Timelines.of("churn", trail).changes()).isEmpty();
  }
}
