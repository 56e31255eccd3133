package dev.opskit.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model search with {@code name ilike} reads the models' folded names; models and heads written before the folded
 * name existed get it once, when a registry opens the store, in memory and on H2.
 */
class FoldedNamesTest {
  private static final Actor CI = Actor.of("ci");

  @TempDir Path dir;

  @Test
  void foldLowerCasesTheAsciiLettersOnly() {
    assertThat(FoldedNames.fold("Churn-A_b.9Z")).isEqualTo("churn-a_b.9z");
    assertThat(FoldedNames.fold("already")).isSameAs("already");
    assertThat(FoldedNames.fold("\u00c4B\u0130")).isEqualTo("\u00c4b\u0130"); // as ilike folds: ASCII only
  }

  @ParameterizedTest(name = "on H2: {0}")
  @ValueSource(booleans = {false, true})
  void modelsWrittenBeforeTheFoldedNameAreFoundByIlikeOnceARegistryHasOpenedTheStore(boolean local) {
    try (Workspace workspace = local ? Workspace.local(dir) : Workspace.inMemory()) {
      try (ModelRegistry registry = ModelRegistry.in(workspace)) {
        for (String name : List.of("Churn-EU", "churn-us", "CHURN-APAC", "fraud")) {
          registry.createModel(name, "", Map.of("team", "risk"), CI);
        }
        assertThat(names(registry, "name ilike 'churn%'")).containsExactly("CHURN-APAC", "Churn-EU", "churn-us");
      }
      // as an earlier opskit left them: no folded name on the models or their heads, and no marker
      MetadataStore store = workspace.metadata();
      int stripped = strip(store, RegistryImpl.MODELS) + strip(store, ModelHeads.COLLECTION);
      assertThat(stripped).isGreaterThanOrEqualTo(4);
      store.transact(tx -> {
        tx.delete(tx.require(FoldedNames.INDEX_COLLECTION, FoldedNames.INDEX_KEY));
        return null;
      });

      try (ModelRegistry reopened = ModelRegistry.in(workspace)) {
        assertThat(names(reopened, "name ilike 'churn%'")).containsExactly("CHURN-APAC", "Churn-EU", "churn-us");
        assertThat(names(reopened, "name ilike 'CHURN-_S'")).containsExactly("churn-us");
        // ordered by last update, the search reads the heads' copies
        assertThat(reopened.searchModels().filter("name ilike '%eu'").orderByUpdated(false).list().items())
            .extracting(RegisteredModel::name).containsExactly("Churn-EU");
      }
      java.util.Optional<StoredRecord> marker = store.transact(tx -> tx.get(FoldedNames.INDEX_COLLECTION,
          FoldedNames.INDEX_KEY));
      assertThat(marker).isPresent();
    }
  }

  private static List<String> names(ModelRegistry registry, String filter) {
    return registry.searchModels().filter(filter).list().items().stream().map(RegisteredModel::name).toList();
  }

  /** Removes the folded name from every record of a collection; returns how many had it. */
  private static int strip(MetadataStore store, String collection) {
    List<StoredRecord> records = store.transact(tx -> tx.query(RecordQuery.in(collection).limit(1000)).items());
    int n = 0;
    for (StoredRecord r : records) {
      if (r.attributes().containsKey(FoldedNames.ATTRIBUTE)) {
        Map<String, Object> attributes = new LinkedHashMap<>(r.attributes());
        attributes.remove(FoldedNames.ATTRIBUTE);
        store.transact(tx -> tx.update(tx.require(collection, r.key()), r.body(), attributes));
        n++;
      }
    }
    return n;
  }
}
