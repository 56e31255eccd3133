package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.serving.ModelCodecs;
import dev.opskit.store.Attributes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Searches of versions and models on text longer than the part a store indexes (1,024 characters): tags, parameters
 * and descriptions are compared whole, in memory and on H2, and a value as long as a tag may be is a valid operand.
 */
class LongTextSearchTest {
  private static final Actor CI = Actor.of("ci");
  /** 1,100 {@code a}s: two tag values that start with it share their first 1,024 characters. */
  private static final String P = "a".repeat(1100);
  private static final String FIRST_1024 = "a".repeat(1024);

  @TempDir
  Path dir;

  private Workspace open(String store) {
    return store.equals("h2") ? Workspace.local(dir.resolve("ws")) : Workspace.inMemory();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "h2"})
  void versionTagsLongerThanTheIndexedPartAreComparedWhole(String store) {
    try (Workspace ws = open(store); ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.register("m1", new byte[] {1}, ModelCodecs.bytes(), CI);
      registry.setVersionTag("m1", 1, "k", P + "X", CI);
      registry.register("m1", new byte[] {2}, ModelCodecs.bytes(), CI);
      registry.setVersionTag("m1", 2, "k", P + "Y", CI);
      registry.register("m1", new byte[] {3}, ModelCodecs.bytes(), CI);
      registry.setVersionTag("m1", 3, "k", FIRST_1024, CI);

      assertThat(numbers(registry, "tags.k = '" + P + "X'")).containsExactly(1);
      assertThat(numbers(registry, "tags.k = '" + FIRST_1024 + "'")).as("the first 1,024 characters of v1 and v2")
          .containsExactly(3);
      assertThat(numbers(registry, "tags.k != '" + FIRST_1024 + "'")).containsExactly(2, 1);
      assertThat(numbers(registry, "tags.k != '" + P + "X'")).containsExactly(3, 2);
      assertThat(numbers(registry, "tags.k like '%a'")).as("v1 and v2 end in X and Y").containsExactly(3);
      assertThat(numbers(registry, "tags.k like '%Y'")).containsExactly(2);
      assertThat(numbers(registry, "tags.k ilike '%x'")).containsExactly(1);
      assertThat(numbers(registry, "tags.k in ('" + P + "Y', '" + FIRST_1024 + "')")).containsExactly(3, 2);
      assertThat(numbers(registry, "tags.k > '" + P + "X'")).containsExactly(2);
      assertThat(registry.search().tag("k", P + "Y").list().items()).extracting(ModelVersion::number)
          .containsExactly(2);
      assertThat(registry.search().filter("tags.k like '%a'").count()).isEqualTo(1);

      // a value as long as a tag may be is a valid operand
      String longest = "z".repeat(ModelRegistry.MAX_TAG_VALUE_LENGTH);
      registry.setVersionTag("m1", 3, "k", longest, CI);
      assertThat(numbers(registry, "tags.k = '" + longest + "'")).containsExactly(3);
      assertThat(numbers(registry, "tags.k = '" + longest.substring(1) + "'")).isEmpty();
      assertThatThrownBy(() -> registry.search().filter("tags.k = '"
          + "z".repeat(Attributes.MAX_STRING_LENGTH + 1) + "'")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("values are at most " + Attributes.MAX_STRING_LENGTH + " characters");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "h2"})
  void longParametersAreComparedWhole(String store) {
    try (Workspace ws = open(store); ModelRegistry registry = ModelRegistry.in(ws)) {
      for (String end : List.of("X", "Y")) {
        registry.registration("m", new byte[] {1}, ModelCodecs.bytes())
            .provenance(Provenance.builder().param("layers", P + end).build()).by(CI).register();
      }
      assertThat(numbers(registry, "params.layers = '" + P + "Y'")).containsExactly(2);
      assertThat(numbers(registry, "params.layers = '" + FIRST_1024 + "'")).isEmpty();
      assertThat(numbers(registry, "params.layers like '%X'")).containsExactly(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "h2"})
  void modelTagsAndDescriptionsLongerThanTheIndexedPartAreComparedWholeInEveryOrder(String store) {
    try (Workspace ws = open(store); ModelRegistry registry = ModelRegistry.in(ws)) {
      registry.createModel("m1", P + "X", Map.of("k", P + "X"), CI);
      registry.createModel("m2", P + "Y", Map.of("k", P + "Y"), CI);
      registry.createModel("m3", FIRST_1024, Map.of("k", FIRST_1024), CI);

      for (String field : List.of("tags.k", "description")) {
        assertThat(models(registry, field + " = '" + P + "X'")).as(field).containsExactly("m1");
        assertThat(models(registry, field + " = '" + FIRST_1024 + "'")).as(field).containsExactly("m3");
        assertThat(models(registry, field + " != '" + FIRST_1024 + "'")).as(field).containsExactly("m1", "m2");
        assertThat(models(registry, field + " like '%Y'")).as(field).containsExactly("m2");
        assertThat(models(registry, field + " like '%a'")).as(field).containsExactly("m3");
        // ordered by last update, the search reads the heads' copies of the same attributes
        assertThat(registry.searchModels().filter(field + " like '%a'").orderByUpdated(false).list().items())
            .as(field).extracting(RegisteredModel::name).containsExactly("m3");
        assertThat(registry.searchModels().filter(field + " = '" + FIRST_1024 + "'").orderByCreated(true).list()
            .items()).as(field).extracting(RegisteredModel::name).containsExactly("m3");
      }
      registry.updateModel("m3", P + "Z", CI);
      assertThat(models(registry, "description like '%Z'")).containsExactly("m3");
      assertThat(registry.searchModels().filter("description like '%Z'").orderByUpdated(false).count()).isEqualTo(1);
    }
  }

  private static List<Integer> numbers(ModelRegistry registry, String filter) {
    return registry.search().filter(filter).orderByNumber(false).list().items().stream().map(ModelVersion::number)
        .toList();
  }

  private static List<String> models(ModelRegistry registry, String filter) {
    return registry.searchModels().filter(filter).list().items().stream().map(RegisteredModel::name).toList();
  }
}
