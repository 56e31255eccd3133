package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionNotFoundException;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.test.contract.ModelAdminContract.Weights;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks of one-tag edits that {@link ModelAdminContract} runs: one tag is set and deleted on a model and on a
 * version, each edit audited, and a null tag key or an over-long value is a clear error naming the tag.
 */
final class ModelTagChecks extends ModelAdminChecks {
  ModelTagChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    super(workspace, registry, clock);
  }

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
}
