package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AuditLog#records(int, long)}: every page of a trail, read by the built-in log from the store, equals the
 * same page cut from {@link AuditLog#records()} newest first (which the interface's default does), across renames and a
 * name reused after one, in memory and on H2.
 */
class AuditPageTest {
  private static final ModelCodec<String> CODEC = ModelCodecs.json(String.class);
  private static final Actor CI = Actor.of("ci");

  @TempDir Path dir;

  private Workspace open(boolean local) {
    ManualClock clock = ManualClock.at(Instant.parse("2026-09-01T00:00:00Z"));
    return local ? Workspace.builder().clock(clock).openLocal(dir) : Workspace.builder().clock(clock).openInMemory();
  }

  @ParameterizedTest(name = "on H2: {0}")
  @ValueSource(booleans = {false, true})
  void everyPageOfARenamedTrailIsTheSliceOfTheWholeTrailNewestFirst(boolean local) {
    try (Workspace workspace = open(local); ModelRegistry registry = ModelRegistry.in(workspace)) {
      for (int i = 0; i < 4; i++) {
        registry.register("churn", "a" + i, CODEC, CI);
      }
      registry.renameModel("churn", "attrition", CI);
      registry.register("attrition", "b", CODEC, CI);
      registry.createModel("churn", "", Map.of(), CI); // the old name reused: its trail runs past the rename
      registry.register("churn", "c", CODEC, CI);
      registry.renameModel("attrition", "retention", CI);
      for (int i = 0; i < 3; i++) {
        registry.register("retention", "d" + i, CODEC, CI);
      }

      // a name nothing was recorded under has no trail to page through
      assertThatThrownBy(() -> registry.audit("unknown")).isInstanceOf(dev.opskit.ml.ModelNotFoundException.class);
      for (String model : List.of("retention", "attrition", "churn")) {
        AuditLog log = registry.audit(model);
        List<AuditRecord> all = log.records();
        AuditLog whole = wholeOnly(log, all);
        for (int limit : new int[] {1, 2, 3, 5, 7, all.size() + 1}) {
          for (long offset = 0; offset <= all.size() + 1; offset++) {
            Page<AuditRecord> page = log.records(limit, offset);
            Page<AuditRecord> expected = whole.records(limit, offset);
            assertThat(page.items()).as("%s limit %s offset %s", model, limit, offset)
                .extracting(r -> r.model() + "/" + r.sequence())
                .containsExactlyElementsOf(expected.items().stream().map(r -> r.model() + "/" + r.sequence()).toList());
            assertThat(page.hasMore()).as("%s limit %s offset %s: more", model, limit, offset)
                .isEqualTo(offset + limit < all.size());
            assertThat(page.offset()).isEqualTo(offset);
          }
        }
      }
      List<AuditRecord> newest = registry.audit("retention").records(3, 0).items();
      assertThat(newest).extracting(AuditRecord::action).containsOnly("REGISTER");
      assertThat(newest.get(0).sequence()).isGreaterThan(newest.get(1).sequence());
      // 5 records of churn (4 registered, the rename), 3 of attrition, 4 of retention: the pages span all three
      assertThat(registry.audit("retention").records(12, 0).items()).extracting(AuditRecord::model)
          .containsSubsequence("retention", "attrition", "churn").hasSize(12);
      assertThat(registry.audit("retention").records(12, 0).hasMore()).isFalse();
    }
  }

  @ParameterizedTest(name = "on H2: {0}")
  @ValueSource(booleans = {false, true})
  void aPageOutOfRangeIsRefusedNamingTheValue(boolean local) {
    try (Workspace workspace = open(local); ModelRegistry registry = ModelRegistry.in(workspace)) {
      registry.register("churn", "a", CODEC, CI);
      AuditLog log = registry.audit("churn");
      assertThatThrownBy(() -> log.records(0, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("limit must be between 1 and 1000, got 0");
      assertThatThrownBy(() -> log.records(AuditLog.MAX_PAGE + 1, 0)).hasMessageContaining("got 1001");
      assertThatThrownBy(() -> log.records(10, -1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("offset must not be negative, got -1");
      assertThat(log.records(10, 5).items()).isEmpty();
      assertThat(log.records(10, 5).hasMore()).isFalse();
    }
  }

  /** The log with only {@link AuditLog#records()} of its own (the trail read once): the interface's default pages it. */
  private static AuditLog wholeOnly(AuditLog log, List<AuditRecord> all) {
    return new AuditLog() {
      @Override
      public List<AuditRecord> records() {
        return new ArrayList<>(all);
      }

      @Override
      public Optional<String> verify() {
        return log.verify();
      }

      @Override
      public OptionalInt stageAt(dev.opskit.ml.Stage stage, Instant time) {
        return log.stageAt(stage, time);
      }

      @Override
      public OptionalInt aliasAt(String alias, Instant time) {
        return log.aliasAt(alias, time);
      }
    };
  }
}
