package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelTimeline;
import dev.opskit.ml.Stage;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The replay {@link Comparisons} keeps of a model's trail: after appends, after more appends than it reads to catch up,
 * and after a rename, the timeline it gives (and the comparison built on it) equals a replay of the whole trail.
 */
class KeptReplayTest {
  private static final ModelCodec<String> CODEC = ModelCodecs.json(String.class);
  private static final Actor CI = Actor.of("ci");

  @TempDir Path dir;

  private static ModelTimeline fresh(ModelRegistry registry, String model) {
    return Timelines.of(model, registry.audit(model).records());
  }

  @ParameterizedTest(name = "on H2: {0}")
  @ValueSource(booleans = {false, true})
  void theKeptReplayFollowsTheTrail(boolean local) {
    try (Workspace workspace = local ? Workspace.local(dir) : Workspace.inMemory();
        ModelRegistry registry = ModelRegistry.in(workspace)) {
      for (int i = 1; i <= 3; i++) {
        registry.register("m", "a" + i, CODEC, CI);
      }
      registry.promote("m", 1).to(Stage.PRODUCTION).as(CI).execute();
      assertThat(registry.timeline("m")).isEqualTo(fresh(registry, "m"));

      // appended since: read and checked against the chain
      registry.setAlias("m", "champion", 2, CI);
      registry.promote("m", 2).to(Stage.PRODUCTION).as(CI).execute(); // archives v1
      registry.promote("m", 3).to(Stage.STAGING).as(CI).execute();
      assertThat(registry.timeline("m")).isEqualTo(fresh(registry, "m"));
      assertThat(registry.compare("m", 1, 2).columns().get(0).stageChanges()).extracting(ModelTimeline.Change::to)
          .containsExactly("PRODUCTION", "ARCHIVED");

      // nothing appended: the kept replay as it is
      assertThat(registry.timeline("m")).isEqualTo(fresh(registry, "m"));

      // more appended than the catch-up reads: replayed again
      for (int i = 0; i < Comparisons.MAX_APPENDED / 2 + 1; i++) {
        registry.setAlias("m", "champion", 1 + i % 3, CI);
        registry.setAlias("m", "champion", 1 + (i + 1) % 3, CI);
      }
      assertThat(registry.timeline("m")).isEqualTo(fresh(registry, "m"));

      // renamed: the new name's trail starts with the rename, and its timeline carries the old one
      registry.renameModel("m", "n", CI);
      registry.promote("n", 1).to(Stage.STAGING).as(CI).execute();
      assertThat(registry.timeline("n")).isEqualTo(fresh(registry, "n"));
      registry.promote("n", 2).to(Stage.ARCHIVED).as(CI).execute();
      assertThat(registry.timeline("n")).isEqualTo(fresh(registry, "n"));
    }
  }
}
