package dev.opskit.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The checks of searching registered models that {@link ModelAdminContract} runs: models are found by name, tag and
 * description, compared whole whatever their length, and ordered by name, creation or last update, and a
 * {@code name ilike} search pages through names written in any case in name order.
 */
final class RegisteredModelSearchChecks extends ModelAdminChecks {
  RegisteredModelSearchChecks(Workspace workspace, ModelRegistry registry, ManualClock clock) {
    super(workspace, registry, clock);
  }

  void modelsAreFoundByNameTagAndDescriptionAndOrderedByNameCreationOrLastUpdate() {
    registry.createModel("churn", "who churns next month", Map.of("team", "risk"), CI);
    clock.advance(Duration.ofMinutes(1));
    registry.createModel("Churn-EU", "churn in Europe", Map.of("team", "risk", "region", "eu"), CI);
    clock.advance(Duration.ofMinutes(1));
    registry.createModel("fraud", "card fraud", Map.of("team", "ops"), CI);
    clock.advance(Duration.ofMinutes(1));
    register("churn", 0.8); // churn changes last
    registry.createModel("gone", "", Map.of("team", "risk"), CI);
    registry.deleteModel("gone", CI, false);

    assertThat(names(registry.searchModels())).containsExactly("Churn-EU", "churn", "fraud");
    assertThat(names(registry.searchModels().orderByName(false))).containsExactly("fraud", "churn", "Churn-EU");
    assertThat(names(registry.searchModels().filter("name like 'churn%'"))).containsExactly("churn");
    assertThat(names(registry.searchModels().filter("name ilike 'churn%'"))).containsExactly("Churn-EU", "churn");
    assertThat(names(registry.searchModels().filter("tags.team = 'risk'").orderByCreated(false)))
        .containsExactly("Churn-EU", "churn");
    assertThat(names(registry.searchModels().filter("description ilike '%CHURN%' and tags.region in ('eu', 'us')")))
        .containsExactly("Churn-EU");
    assertThat(names(registry.searchModels().filter("model != fraud"))).containsExactly("Churn-EU", "churn");
    assertThat(registry.searchModels().filter("tags.team = 'risk'").count()).isEqualTo(2);
    assertThat(names(registry.searchModels().orderByUpdated(false))).containsExactly("churn", "fraud", "Churn-EU");
    assertThat(registry.searchModels().orderByUpdated(true).count()).isEqualTo(3);
    assertThat(names(registry.searchModels().orderByName(true).limit(1).offset(1))).containsExactly("churn");

    // a tag or description change is searchable at once, in every order
    clock.advance(Duration.ofMinutes(1));
    registry.setModelTag("fraud", "team", "risk", CI);
    registry.updateModel("fraud", "churn of cards", CI);
    assertThat(names(registry.searchModels().filter("tags.team = risk and description like 'churn %'")))
        .containsExactly("Churn-EU", "fraud");
    assertThat(names(registry.searchModels().filter("description like 'churn of%'"))).containsExactly("fraud");
    assertThatThrownBy(() -> registry.searchModels().filter("owner = 'x'"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown field 'owner' at position 0")
        .hasMessageContaining("name (or model), tags.<key> and description");
    assertThatThrownBy(() -> registry.searchModels().filter("name = 'x").list())
        .hasMessageContaining("unterminated quote");
    assertThat(names(registry.searchModels().filter("tags.team = 'risk'").orderByUpdated(false)))
        .containsExactly("fraud", "churn", "Churn-EU");
    assertThat(names(registry.searchModels().filter("name ilike 'churn%'").orderByUpdated(true)))
        .containsExactly("Churn-EU", "churn");
    assertThat(registry.searchModels().filter("description like 'churn%'").orderByUpdated(true).count())
        .isEqualTo(2);
    assertThat(names(registry.searchModels().filter("tags.team = 'ops'").orderByUpdated(false))).isEmpty();
    registry.renameModel("Churn-EU", "churn-europe", CI);
    assertThat(names(registry.searchModels().filter("name ilike 'churn%'").orderByUpdated(false)))
        .containsExactly("churn-europe", "churn");
    assertThat(names(registry.searchModels().filter("tags.region = 'eu'").orderByUpdated(false)))
        .containsExactly("churn-europe");
    registry.deleteModel("churn-europe", CI, false);
    assertThat(names(registry.searchModels().filter("tags.region = 'eu'").orderByUpdated(false))).isEmpty();
  }

  void aNameIlikeSearchPagesThroughNamesWrittenInAnyCaseInNameOrder() {
    for (String name : List.of("churn-d", "Churn-b", "fraud", "CHURN-a", "chUrn-e", "churnx", "cHurn-c", "Chur",
        "ch_urn-f")) {
      registry.createModel(name, "", Map.of(), CI);
    }
    List<String> all = List.of("CHURN-a", "Churn-b", "cHurn-c", "chUrn-e", "churn-d");
    assertThat(names(registry.searchModels().filter("name ilike 'churn-%'"))).containsExactlyElementsOf(all);
    List<String> paged = new java.util.ArrayList<>();
    for (int offset = 0; offset < 6; offset += 2) {
      var page = registry.searchModels().filter("name ilike 'CHURN-%'").limit(2).offset(offset).list();
      page.items().forEach(m -> paged.add(m.name()));
      assertThat(page.hasMore()).as("more after offset %d", offset).isEqualTo(offset + 2 < all.size());
    }
    assertThat(paged).containsExactlyElementsOf(all);
    assertThat(names(registry.searchModels().filter("name ilike 'cHuRn-%'").orderByName(false).limit(3).offset(1)))
        .containsExactly("chUrn-e", "cHurn-c", "Churn-b");
    // a wildcard early in the pattern, or none of its text a name could start with: the same answers by a walk
    assertThat(names(registry.searchModels().filter("name ilike 'ch_rn-%'"))).containsExactlyElementsOf(all);
    assertThat(names(registry.searchModels().filter("name ilike '%urn-%'")))
        .containsExactly("CHURN-a", "Churn-b", "cHurn-c", "chUrn-e", "ch_urn-f", "churn-d");
    assertThat(names(registry.searchModels().filter("name ilike ' churn%'"))).isEmpty();
    assertThat(registry.searchModels().filter("name ilike 'churn-%'").count()).isEqualTo(5);
  }

  /**
   * Model tags and descriptions longer than the 1,024 characters a store indexes are compared whole by every filter,
   * in every order (by last update the search reads the heads' copies of them).
   */
  void modelTagsAndDescriptionsOfAnyLengthAreComparedWhole() {
    String p = "a".repeat(1100);
    String first1024 = "a".repeat(1024);
    registry.createModel("m1", p + "X", Map.of("k", p + "X"), CI);
    registry.createModel("m2", p + "Y", Map.of("k", p + "Y"), CI);
    registry.createModel("m3", first1024, Map.of("k", first1024), CI);
    for (String field : List.of("tags.k", "description")) {
      assertThat(names(registry.searchModels().filter(field + " = '" + p + "X'"))).as(field).containsExactly("m1");
      assertThat(names(registry.searchModels().filter(field + " = '" + first1024 + "'"))).as(field)
          .containsExactly("m3");
      assertThat(names(registry.searchModels().filter(field + " != '" + first1024 + "'"))).as(field)
          .containsExactly("m1", "m2");
      assertThat(names(registry.searchModels().filter(field + " like '%a'"))).as(field).containsExactly("m3");
      assertThat(names(registry.searchModels().filter(field + " like '%Y'").orderByUpdated(false))).as(field)
          .containsExactly("m2");
      assertThat(names(registry.searchModels().filter(field + " = '" + first1024 + "'").orderByCreated(false)))
          .as(field).containsExactly("m3");
    }
    clock.advance(Duration.ofMinutes(1));
    registry.setModelTag("m3", "k", p + "Z", CI);
    assertThat(names(registry.searchModels().filter("tags.k like '%Z'").orderByUpdated(false)))
        .containsExactly("m3");
    assertThat(registry.searchModels().filter("tags.k = '" + first1024 + "'").count()).isZero();
  }

  private static List<String> names(dev.opskit.ml.search.RegisteredModelSearch search) {
    return search.list().items().stream().map(RegisteredModel::name).toList();
  }
}
