package dev.opskit.test.contract;

import static dev.opskit.test.contract.ModelRegistryContract.CI;
import static dev.opskit.test.contract.ModelRegistryContract.CODEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.search.ModelSearch;
import dev.opskit.test.contract.ModelRegistryContract.Weights;
import dev.opskit.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks of {@link ModelRegistry#search()} that {@link ModelRegistryContract} runs: filters by
 * metric, tag, stage, alias, parameter, run and source, with in-lists, not-equal, like and ilike, on tag values of
 * any length; orders by one key or several, paged; and a malformed filter or order named with its position and what
 * is valid.
 */
final class ModelSearchChecks {
  private final ModelRegistry registry;
  private final ManualClock clock;

  ModelSearchChecks(ModelRegistry registry, ManualClock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  void searchFiltersByMetricTagStageAndAliasInOrder() {
    for (int i = 1; i <= 12; i++) {
      registry.registration("churn", new Weights(i, i), CODEC)
          .provenance(Provenance.builder().metric("auc", 0.5 + i * 0.03).build())
          .tags(Map.of("team", i % 2 == 0 ? "risk" : "growth")).by(CI).register();
    }
    registry.register("fraud", new Weights(0, 0), CODEC, CI);
    registry.setAlias("churn", "champion", 12, CI);
    registry.promote("churn", 11).to(Stage.STAGING).as(CI).execute();
    assertThat(registry.search().model("churn").filter("metrics.auc > 0.75 and tags.team = 'risk'")
        .orderByMetric("auc", false).list().items()).extracting(ModelVersion::number).containsExactly(12, 10);
    assertThat(registry.search().metric("auc", ">=", 0.83).count()).isEqualTo(2);
    assertThat(registry.search().alias("champion").list().items()).extracting(ModelVersion::number)
        .containsExactly(12);
    assertThat(registry.search().filter("stage = STAGING").list().items()).extracting(ModelVersion::number)
        .containsExactly(11);
    var page = registry.search().model("churn").limit(5).offset(5).list();
    assertThat(page.items()).extracting(ModelVersion::number).containsExactly(7, 6, 5, 4, 3);
    assertThat(page.hasMore()).isTrue();
    assertThatThrownBy(() -> registry.search().filter("auc > 0.8")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown field 'auc'");
  }

  void searchFiltersTakeInListsAndNotEqual() {
    for (int i = 1; i <= 6; i++) {
      registry.registration("churn", new Weights(i, i), CODEC)
          .provenance(Provenance.builder().metric("auc", i / 10.0).build())
          .tags(Map.of("team", i % 3 == 0 ? "risk" : i % 3 == 1 ? "growth" : "ops")).by(CI).register();
    }
    registry.register("fraud", new Weights(0, 0), CODEC, CI);
    registry.promote("churn", 5).to(Stage.STAGING).as(CI).execute();
    registry.promote("churn", 6).to(Stage.PRODUCTION).as(CI).execute();
    assertThat(registry.search().filter("tags.team IN ('risk', \"ops\")").orderByNumber(true).list().items())
        .extracting(ModelVersion::number).containsExactly(2, 3, 5, 6);
    assertThat(registry.search().filter("stage in (staging, PRODUCTION) and model = churn").list().items())
        .extracting(ModelVersion::number).containsExactly(6, 5);
    assertThat(registry.search().filter("version in (1, 3) and model = 'churn'").list().items())
        .extracting(ModelVersion::number).containsExactly(3, 1);
    assertThat(registry.search().filter("metrics.auc in (0.2, 0.4)").count()).isEqualTo(2);
    assertThat(registry.search().filter("model in ('fraud')").count()).isEqualTo(1);
    assertThat(registry.search().filter("model != churn").count()).isEqualTo(1);
    assertThat(registry.search().filter("tags.team != 'growth' and model == churn").count()).isEqualTo(4);
    assertThat(registry.search().filter("stage <> NONE").count()).isEqualTo(2);
  }

  void searchFiltersMatchTextWithLikeAndIlikeAndTheUsersOwnWildcardsOnly() {
    registry.registration("churn", new Weights(1, 1), CODEC).tags(Map.of("team", "Risk_EU")).by(CI).register();
    registry.registration("churn", new Weights(2, 2), CODEC).tags(Map.of("team", "risk-us")).by(CI).register();
    registry.registration("churn-eu", new Weights(3, 3), CODEC).tags(Map.of("team", "ops 50%")).by(CI).register();
    registry.register("fraud", new Weights(4, 4), CODEC, CI);
    assertThat(registry.search().filter("tags.team like 'risk%'").list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/churn/2");
    assertThat(registry.search().filter("tags.team ILIKE 'RISK%'").orderByNumber(true).list().items())
        .extracting(ModelVersion::uri).containsExactly("models:/churn/1", "models:/churn/2");
    assertThat(registry.search().filter("tags.team ilike 'risk_eu'").count()).as("_ is any one character")
        .isEqualTo(1);
    assertThat(registry.search().filter("tags.team like '%50\\%'").count()).as("a backslash is no escape").isZero();
    assertThat(registry.search().filter("tags.team like '%50%'").count()).isEqualTo(1);
    assertThat(registry.search().filter("model like 'churn%'").count()).isEqualTo(3);
    assertThat(registry.search().filter("name ilike 'CHURN-%'").count()).isEqualTo(1);
    assertThat(registry.search().filter("model like 'churn' and tags.team like '%-us'").count()).isEqualTo(1);
  }

  void searchOrdersByNameOrByLastUpdate() {
    registry.register("fraud", new Weights(1, 1), CODEC, CI);
    clock.advance(Duration.ofMinutes(1));
    registry.register("churn", new Weights(2, 2), CODEC, CI);
    clock.advance(Duration.ofMinutes(1));
    registry.register("churn", new Weights(3, 3), CODEC, CI);
    clock.advance(Duration.ofMinutes(1));
    registry.setAlias("fraud", "champion", 1, CI); // fraud v1 changes last
    assertThat(registry.search().orderByName(true).list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/churn/1", "models:/churn/2", "models:/fraud/1");
    assertThat(registry.search().orderByName(false).list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/fraud/1", "models:/churn/2", "models:/churn/1");
    assertThat(registry.search().orderByUpdated(false).list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/fraud/1", "models:/churn/2", "models:/churn/1");
    assertThat(registry.search().model("churn").orderByUpdated(true).list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/churn/1", "models:/churn/2");
  }

  void searchFindsVersionsByTrackingRunPipelineRunAndSource() {
    ModelVersion tracked = registry.registration("churn", new Weights(1, 1), CODEC)
        .provenance(Provenance.builder().trackingRunId("run-42").build()).by(CI).register();
    registry.register("churn", new Weights(2, 2), CODEC, CI);
    ModelVersion copy = registry.copyVersion("churn", tracked.number(), "churn-prod", CI);
    assertThat(registry.search().filter("run_id = 'run-42'").list().items())
        .extracting(ModelVersion::uri).containsExactly("models:/churn/1", "models:/churn-prod/1");  // ties: by key
    assertThat(registry.search().filter("source = 'models:/churn/1'").list().items()).containsExactly(copy);
    assertThat(registry.search().filter("source in ('models:/churn/2', 'models:/churn/1')").count()).isEqualTo(1);
    assertThat(registry.search().filter("pipeline_run_id = 'nope'").count()).isZero();
    assertThat(registry.search().filter("run_id != 'run-42'").count()).isZero();
  }

  void searchFindsVersionsByTheirParametersAsText() {
    registry.registration("churn", new Weights(1, 1), CODEC)
        .provenance(Provenance.builder().param("lr", 0.1).param("optimizer", "adam").build()).by(CI).register();
    registry.registration("churn", new Weights(2, 2), CODEC)
        .provenance(Provenance.builder().param("lr", 0.01).param("optimizer", "sgd").build()).by(CI).register();
    registry.register("fraud", new Weights(3, 3), CODEC, CI);
    assertThat(registry.search().filter("params.lr = '0.1'").list().items()).extracting(ModelVersion::uri)
        .containsExactly("models:/churn/1");
    assertThat(registry.search().filter("params.lr = 0.01").list().items()).extracting(ModelVersion::uri)
        .as("a bare number is compared as text").containsExactly("models:/churn/2");
    assertThat(registry.search().filter("params.optimizer like 'ad%'").count()).isEqualTo(1);
    assertThat(registry.search().filter("params.optimizer ILIKE 'SGD'").count()).isEqualTo(1);
    assertThat(registry.search().filter("params.optimizer in ('sgd', 'adam') and params.lr != '0.1'").list().items())
        .extracting(ModelVersion::uri).containsExactly("models:/churn/2");
    assertThat(registry.search().filter("params.momentum = '0.9'").count()).as("no version has it").isZero();
    assertThatThrownBy(() -> registry.search().filter("params." + "k".repeat(249) + " = 1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("illegal parameter")
        .hasMessageContaining("at position 0");
  }

  void searchOrdersByLastUpdateThenNameThenNumberByDefaultAndBySeveralKeys() {
    registerAt("churn", 0.7); // churn/1 at t0
    clock.advance(Duration.ofMinutes(1));
    registerAt("churn", 0.9); // churn/2 at t1
    clock.advance(Duration.ofMinutes(1));
    registerAt("fraud", 0.9); // fraud/1 at t2
    clock.advance(Duration.ofMinutes(1));
    registerAt("churn", 0.7); // churn/3 at t3
    clock.advance(Duration.ofMinutes(1));
    registry.register("fraud", new Weights(0, 0), CODEC, CI); // fraud/2 at t4, no auc
    clock.advance(Duration.ofMinutes(1));
    registry.setAlias("churn", "champion", 1, CI); // churn/1 changes at t5
    clock.advance(Duration.ofMinutes(1));
    registry.register("churn", new Weights(0, 0), CODEC, CI); // churn/4, churn/5 and fraud/3 at t6
    registry.register("churn", new Weights(0, 0), CODEC, CI);
    registry.register("fraud", new Weights(0, 0), CODEC, CI);

    assertThat(uris(registry.search())).as("last update, then name ascending, then number descending")
        .containsExactly("churn/5", "churn/4", "fraud/3", "churn/1", "fraud/2", "churn/3", "fraud/1", "churn/2");
    assertThat(uris(registry.search().orderBy("updated_at desc, name, number desc"))).as("the default, written out")
        .isEqualTo(uris(registry.search()));
    assertThat(uris(registry.search().orderBy("metrics.auc DESC", "created_at asc")))
        .as("ties of created_at by name then number, descending as the first key")
        .containsExactly("churn/2", "fraud/1", "churn/1", "churn/3", "fraud/2", "fraud/3", "churn/5", "churn/4");
    assertThat(uris(registry.search().orderBy("metrics.auc desc", "created_at asc").limit(3).offset(3)))
        .containsExactly("churn/3", "fraud/2", "fraud/3");
    assertThat(uris(registry.search().orderBy("name desc", "version asc")))
        .containsExactly("fraud/1", "fraud/2", "fraud/3", "churn/1", "churn/2", "churn/3", "churn/4", "churn/5");
    assertThat(uris(registry.search().orderBy("creation_time")))
        .containsExactly("churn/1", "churn/2", "fraud/1", "churn/3", "fraud/2", "churn/4", "churn/5", "fraud/3");
    assertThat(uris(registry.search().model("churn").orderBy("last_updated desc", "number asc")))
        .containsExactly("churn/4", "churn/5", "churn/1", "churn/3", "churn/2");
    assertThat(uris(registry.search().filter("model = fraud")))
        .containsExactly("fraud/3", "fraud/2", "fraud/1");
    // every page of every order is a slice of the whole list
    for (String[] order : List.of(new String[] {"metrics.auc asc", "name desc"}, new String[] {"updated_at"},
        new String[] {"created_at desc", "metrics.auc asc", "number asc"})) {
      List<String> whole = uris(registry.search().orderBy(order));
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset < whole.size(); offset += 3) {
        paged.addAll(uris(registry.search().orderBy(order).limit(3).offset(offset)));
      }
      assertThat(paged).as("%s", List.of(order)).isEqualTo(whole).hasSize(8);
    }

    assertThatThrownBy(() -> registry.search().orderBy("colour desc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order key 1 'colour desc' has an unknown field 'colour'")
        .hasMessageContaining("name (or model), number (or version), created_at");
    assertThatThrownBy(() -> registry.search().orderBy("name", "number sideways"))
        .hasMessageContaining("order key 2 'number sideways' has direction 'sideways'");
    assertThatThrownBy(() -> registry.search().orderBy("name, model desc"))
        .hasMessageContaining("order key 2 'model desc' orders by a field an earlier key already orders by");
    assertThatThrownBy(() -> registry.search().orderBy("")).hasMessageContaining("at least one key");
  }

  /**
   * Tag values longer than the 1,024 characters a store indexes, up to the longest a tag may be, are compared whole
   * by every filter: two that share their first 1,024 characters are told apart, an equality on those characters finds
   * neither, and a pattern sees their end.
   */
  void searchComparesTagValuesOfAnyLengthWhole() {
    String p = "a".repeat(1100);
    String first1024 = "a".repeat(1024);
    String longest = "b".repeat(ModelRegistry.MAX_TAG_VALUE_LENGTH);
    for (String value : List.of(p + "X", p + "Y", first1024, longest)) {
      registry.registration("churn", new Weights(0, 0), CODEC).tags(Map.of("k", value)).by(CI).register();
    }
    assertThat(numbers("tags.k = '" + p + "X'")).containsExactly(1);
    assertThat(numbers("tags.k = '" + first1024 + "'")).containsExactly(3);
    assertThat(numbers("tags.k != '" + first1024 + "'")).containsExactly(4, 2, 1);
    assertThat(numbers("tags.k like '%a'")).containsExactly(3);
    assertThat(numbers("tags.k like 'a%Y'")).containsExactly(2);
    assertThat(numbers("tags.k ilike '%x'")).containsExactly(1);
    assertThat(numbers("tags.k in ('" + p + "Y', '" + longest + "')")).containsExactly(4, 2);
    assertThat(numbers("tags.k < '" + p + "Y'")).containsExactly(3, 1);
    assertThat(numbers("tags.k = '" + longest + "'")).containsExactly(4);
    assertThat(numbers("tags.k = '" + longest.substring(1) + "'")).isEmpty();
    assertThat(registry.search().tag("k", p + "Y").list().items()).extracting(ModelVersion::number)
        .containsExactly(2);
    assertThat(registry.search().filter("tags.k like '%a'").count()).isEqualTo(1);
    // the default order, last updated first, with the same filters
    assertThat(registry.search().filter("tags.k != '" + first1024 + "'").list().items())
        .extracting(ModelVersion::number).containsExactly(4, 2, 1);
  }

  private List<Integer> numbers(String filter) {
    return registry.search().filter(filter).orderByNumber(false).list().items().stream().map(ModelVersion::number)
        .toList();
  }

  private void registerAt(String model, double auc) {
    registry.registration(model, new Weights(1, 1), CODEC)
        .provenance(Provenance.builder().metric("auc", auc).build()).by(CI).register();
  }

  private static List<String> uris(ModelSearch search) {
    return search.list().items().stream().map(v -> v.model() + "/" + v.number()).toList();
  }

  void aMalformedSearchFilterNamesThePositionAndTheTokenAndWhatIsValid() {
    registry.register("churn", new Weights(1, 1), CODEC, CI);
    assertThatThrownBy(() -> registry.search().filter("stage = 'prod'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("filter \"stage = 'prod'\": unknown stage 'prod' at position 8; the stages are [NONE, "
            + "STAGING, PRODUCTION, ARCHIVED], in any ASCII case")
        .hasMessageNotContaining("No enum constant");
    assertThatThrownBy(() -> registry.search().filter("stage in (STAGING, live)"))
        .hasMessageContaining("unknown stage 'live' at position 19");
    assertThatThrownBy(() -> registry.search().filter("tags.team = 'risk"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated quote at position 12");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc > 0.8 and colour = 'red'"))
        .hasMessageContaining("unknown field 'colour' at position 22")
        .hasMessageContaining("metrics.<name>, params.<key>, tags.<key>, stage, alias, version");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc > high"))
        .hasMessageContaining("not a number 'high' at position 14");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc ~ 0.8"))
        .hasMessageContaining("expected a comparison after metrics.auc, found '~' at position 12")
        .hasMessageContaining("=, ==, !=, <>, <, <=, >, >=, in (...), like and ilike");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc > 0.8 or stage = NONE"))
        .hasMessageContaining("expected 'and' or the end, found 'or' at position 18");
    assertThatThrownBy(() -> registry.search().filter("stage ="))
        .hasMessageContaining("expected a value for stage, found the end at position 7");
    assertThatThrownBy(() -> registry.search().filter("tags.team not like 'ri%'"))
        .hasMessageContaining("unsupported comparison 'not' at position 10");
    assertThatThrownBy(() -> registry.search().filter("metrics.auc like '0.8%'"))
        .hasMessageContaining("a pattern does not apply to metrics.auc 'like' at position 12");
    assertThatThrownBy(() -> registry.search().filter("stage in (NONE"))
        .hasMessageContaining("expected ',' or ')' in the list of in, found the end at position 14");
    assertThatThrownBy(() -> registry.search().filter("alias != champion"))
        .hasMessageContaining("alias takes only = '!=' at position 6");
    // a filter refused leaves the search as it was
    var search = registry.search().model("churn");
    assertThatThrownBy(() -> search.filter("version = 1 and stage = nope"));
    assertThat(search.count()).isEqualTo(1);
  }
}
