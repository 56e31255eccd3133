package dev.opskit.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.ml.audit.AuditRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CHANGE column of {@code opskit audit show}: each action read the way it means it. */
class AuditChangesTest {
  private static String change(String action, int version, Map<String, String> before, Map<String, String> after) {
    return AuditChanges.describe(new AuditRecord("churn", 7, action, "ci", Instant.EPOCH, version, before, after, "",
        List.of(), "prev", "hash"));
  }

  @Test
  void anAliasSetMovedOrRemovedNamesTheAliasAndTheVersionsItPointsAt() {
    assertThat(change("SET_ALIAS", 4, Map.of("version", "2"), Map.of("alias", "champion", "version", "4")))
        .isEqualTo("alias champion: v2 -> v4");
    assertThat(change("SET_ALIAS", 1, Map.of(), Map.of("alias", "champion", "version", "1")))
        .isEqualTo("alias champion: (none) -> v1");
    assertThat(change("REMOVE_ALIAS", 4, Map.of("alias", "champion", "version", "4"), Map.of()))
        .isEqualTo("alias champion: v4 -> (removed)");
  }

  @Test
  void aTagChangeNamesTheKeyAndTheOldAndNewValue() {
    assertThat(change("SET_TAG", 2, Map.of("tag", "validated"), Map.of("tag", "validated", "value", "yes")))
        .isEqualTo("tag validated: (none) -> yes");
    assertThat(change("SET_TAG", 2, Map.of("tag", "validated", "value", "no"),
        Map.of("tag", "validated", "value", "yes"))).isEqualTo("tag validated: no -> yes");
    assertThat(change("DELETE_TAG", 0, Map.of("tag", "team", "value", "risk"), Map.of("tag", "team")))
        .isEqualTo("model tag team: risk -> (deleted)");
  }

  @Test
  void aStageMoveListsTheVersionsItArchivedAndTheApprovalsItUsed() {
    assertThat(change("PROMOTE", 3, Map.of("stage", "STAGING"), Map.of("stage", "PRODUCTION")))
        .isEqualTo("stage: STAGING -> PRODUCTION");
    assertThat(change("PROMOTE", 4, Map.of("stage", "NONE"),
        Map.of("stage", "STAGING", "archived", "1,2", "approvals_used", "2", "approvals_withdrawn", "1")))
        .isEqualTo("stage: NONE -> STAGING; archived versions: v1, v2; approvals used: 2; approvals withdrawn: 1");
    assertThat(change("DEMOTE", 1, Map.of("stage", "PRODUCTION"), Map.of("stage", "NONE")))
        .isEqualTo("stage: PRODUCTION -> NONE");
  }

  @Test
  void aModelDeletionSaysHowManyVersionsItDeletedAndWhichItArchived() {
    assertThat(change("DELETE_MODEL", 0, Map.of("versions", "3"), Map.of("deleted", "true", "archived", "2")))
        .isEqualTo("model deleted with its 3 version(s); archived versions: v2");
    assertThat(change("DELETE_MODEL", 0, Map.of("versions", "2"), Map.of("deleted", "true")))
        .isEqualTo("model deleted with its 2 version(s)");
    assertThat(change("DELETE", 3, Map.of("stage", "ARCHIVED"), Map.of("deleted", "true")))
        .isEqualTo("version deleted; it was in ARCHIVED");
  }

  @Test
  void bothRecordsOfARenameNameTheOldAndTheNewNameAndWhereTheTrailContinues() {
    assertThat(change("RENAME_MODEL", 0, Map.of("model", "dev-churn"), Map.of("model", "churn-experiments")))
        .isEqualTo("renamed to churn-experiments");
    assertThat(change("RENAME_MODEL", 0, Map.of("model", "dev-churn", "sequence", "9"),
        Map.of("model", "churn-experiments"))).isEqualTo("renamed from dev-churn (its trail up to record 9)");
  }

  @Test
  void registrationsApprovalsRefusalsAndOtherActionsAreOneLineEach() {
    assertThat(change("REGISTER", 1, Map.of(), Map.of("status", "READY", "artifact", "0123456789abcdef0123",
        "copied_from", "models:/dev-churn/2")))
        .isEqualTo("registered READY, artifact 0123456789ab, copied from models:/dev-churn/2");
    assertThat(change("APPROVE", 2, Map.of(), Map.of("stage", "PRODUCTION"))).isEqualTo("approved for PRODUCTION");
    assertThat(change("DENIED:PROMOTE", 2, Map.of(), Map.of("denied", "only release managers")))
        .isEqualTo("denied: only release managers");
    assertThat(change("UPDATE_MODEL", 0, Map.of("description", "old"), Map.of("description", "new")))
        .isEqualTo("description: old -> new");
    assertThat(change("CREATE_MODEL", 0, Map.of(), Map.of("description", "who churns")))
        .isEqualTo("description: who churns");
  }
}
