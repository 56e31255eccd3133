package dev.opskit.benchmarks.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opskit.Page;
import dev.opskit.benchmarks.PostgresSchema;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.promotion.PromotionReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every benchmark body of the registry suite once, at a tiny size, through the same setup and teardown calls JMH
 * makes, and checks what it did. PostgreSQL cases run when {@value PostgresSchema#URL_VARIABLE} is set. No timing.
 */
class RegistryBenchmarksTest {
  private static void assumePostgres(String store) {
    if (store.equals("pg")) {
      Assumptions.assumeTrue(PostgresSchema.unavailable().isEmpty(), () -> PostgresSchema.unavailable().orElse(""));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void registersNewVersionsAndPromotesTheTwoInTurn(String store) {
    assumePostgres(store);
    RegistryBenchmark b = new RegistryBenchmark();
    b.store = store;
    b.open();
    try {
      ModelVersion v = b.register();
      assertThat(v.number()).isEqualTo(3);
      assertThat(v.metric("auc")).hasValueSatisfying(auc -> assertThat(auc).isBetween(0.5, 1.0));
      PromotionReport first = b.promote();
      assertThat(first.version()).isEqualTo(1);
      PromotionReport second = b.promote();
      assertThat(second.version()).isEqualTo(2);
      assertThat(second.archived()).isEqualTo(1);
      PromotionReport third = b.promote();
      assertThat(third.version()).isEqualTo(1);
      assertThat(third.archived()).isEqualTo(2);
    } finally {
      b.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "pg"})
  void jdbcBaselineNumbersVersionsAndMovesTheStage(String db) throws Exception {
    assumePostgres(db);
    JdbcRegistryBaseline b = new JdbcRegistryBaseline();
    b.db = db;
    b.open();
    try {
      assertThat(b.register()).isEqualTo(3);
      assertThat(b.promote()).isEqualTo(1);
      assertThat(b.promote()).isEqualTo(2);
      assertThat(b.promote()).isEqualTo(1);
    } finally {
      b.close();
    }
  }

  @Test
  void searchReturnsTheBestVersionsAboveTheThreshold(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("cache");
    SearchCache.build(folder, 60, 2, false);
    assertThat(SearchCache.complete(folder, 60)).isTrue();
    assertThat(SearchCache.complete(folder, 61)).isFalse();
    SearchBenchmark b = new SearchBenchmark();
    b.versions = 60;
    b.directory = SearchCache.workspace(folder);
    b.open();
    try {
      Page<ModelVersion> page = b.search();
      assertThat(page.items()).hasSize(20);
      assertThat(page.items()).allSatisfy(v -> assertThat(v.metric("auc").orElseThrow()).isGreaterThan(0.8));
      for (int i = 1; i < page.items().size(); i++) {
        assertThat(page.items().get(i).metric("auc").orElseThrow())
            .isLessThanOrEqualTo(page.items().get(i - 1).metric("auc").orElseThrow());
      }
    } finally {
      b.close();
    }
  }

  @Test
  void everySearchFormReturnsWhatItsFilterAsks(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("cache");
    SearchCache.build(folder, 60, 30, 2, false, null);
    java.util.Set<String> thresholded = java.util.Set.of("metric", "in", "like", "stage-in", "not-equal", "ilike",
        "tag", "default-order", "multi-order", "created");
    for (String form : SearchBenchmark.FORMS) {
      SearchBenchmark b = new SearchBenchmark();
      b.versions = 60;
      b.form = form;
      b.directory = SearchCache.workspace(folder);
      b.open();
      try {
        Page<ModelVersion> page = b.search();
        if (thresholded.contains(form)) {
          assertThat(page.items()).as(form).isNotEmpty()
              .allSatisfy(v -> assertThat(v.metric("auc").orElseThrow()).isGreaterThan(0.8));
        }
        switch (form) {
          case "in", "range" -> { }
          case "param", "alias" -> assertThat(page.items()).as(form).hasSize(1);
          case "run-id" -> assertThat(page.items()).as(form).hasSize(2);
          case "tag" -> assertThat(page.items()).as(form).isNotEmpty()
              .allSatisfy(v -> assertThat(v.tags()).containsEntry("team", "risk"));
          default -> assertThat(page.items()).as(form).hasSize(20);
        }
      } finally {
        b.close();
      }
    }
  }

  @Test
  void everyModelSearchFormFindsModels(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("cache");
    SearchCache.build(folder, 10, 300, 2, false, null);
    for (String form : ModelSearchBenchmark.FORMS) {
      ModelSearchBenchmark b = new ModelSearchBenchmark();
      b.versions = 10;
      b.models = 300;
      b.form = form;
      b.directory = SearchCache.workspace(folder);
      b.open();
      try {
        assertThat(b.search().items()).as(form).hasSize(20);
      } finally {
        b.close();
      }
    }
  }

  @Test
  void liveModelServesTheSameModelAsTheVolatileRead() {
    LiveModelBenchmark b = new LiveModelBenchmark();
    b.open();
    try {
      assertThat(b.live()).isEqualTo(ChurnModel.ARTIFACT);
      assertThat(b.volatileRead()).isSameAs(b.live());
    } finally {
      b.close();
    }
  }

  @Test
  void aucIsSpreadOverTheUpperHalf() {
    long above = 0;
    for (long n = 1; n <= 1_000; n++) {
      double auc = ChurnModel.auc(n);
      assertThat(auc).isBetween(0.5, 1.0);
      if (auc > 0.8) {
        above++;
      }
    }
    assertThat(above).isBetween(380L, 420L);
  }
}
