package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.ml.serving.ModelCodecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ModelRegistry#versions(String, int, long)}: every page at every offset, placed from the highest number and the
 * deleted versions rather than by skipping records, is the same slice of the whole listing, deleted versions (at the
 * top, in runs, at the bottom) left out, in memory and on H2.
 */
class VersionPagesTest {
  private static final ModelCodec<String> CODEC = ModelCodecs.json(String.class);
  private static final Actor CI = Actor.of("ci");

  @TempDir Path dir;

  @ParameterizedTest(name = "on H2: {0}")
  @ValueSource(booleans = {false, true})
  void everyPageIsTheSliceOfTheWholeListing(boolean local) {
    try (Workspace workspace = local ? Workspace.local(dir) : Workspace.inMemory();
        ModelRegistry registry = ModelRegistry.in(workspace)) {
      for (int i = 1; i <= 40; i++) {
        registry.register("m", "a" + i, CODEC, CI);
        registry.register("other", "b" + i, CODEC, CI); // interleaved numbers of another model
      }
      for (int n : Set.of(1, 2, 17, 18, 19, 25, 39, 40)) {
        registry.deleteVersion("m", n, CI, true);
      }
      List<Integer> all = new ArrayList<>();
      registry.versions("m", 1000, 0).items().forEach(v -> all.add(v.number()));
      assertThat(all).hasSize(32).startsWith(38, 37).endsWith(4, 3).doesNotContain(40, 39, 25, 19, 1);

      for (int limit : new int[] {1, 3, 7}) {
        for (int offset = 0; offset <= all.size() + 1; offset++) {
          List<Integer> page = registry.versions("m", limit, offset).items().stream().map(ModelVersion::number)
              .toList();
          List<Integer> slice = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
          assertThat(page).as("limit %d, offset %d", limit, offset).isEqualTo(slice);
          assertThat(registry.versions("m", limit, offset).hasMore()).as("more after limit %d, offset %d", limit,
              offset).isEqualTo(offset + limit < all.size());
        }
      }
    }
  }
}
