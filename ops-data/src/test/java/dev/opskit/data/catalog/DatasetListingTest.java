package dev.opskit.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.Datasets;
import dev.opskit.pipeline.Dataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Catalog#datasets(int, long)}: every dataset with a version, once, in name order, paged, in memory and on H2. */
class DatasetListingTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "on H2: {0}")
  @ValueSource(booleans = {false, true})
  void listsEveryDatasetOnceInNameOrder(boolean local) {
    try (Workspace ws = local ? Workspace.local(dir) : Workspace.inMemory()) {
      Catalog catalog = Catalog.in(ws);
      assertThat(catalog.datasets(10, 0).items()).isEmpty();
      for (String name : List.of("sales/daily", "crm/customers", "b", "crm/accounts")) {
        Dataset<String> d = Datasets.json(name, String.class);
        for (int i = 0; i < 3; i++) {
          catalog.commit(d, name + " " + i); // three versions each: a name is listed once
        }
      }

      assertThat(catalog.datasets(10, 0).items()).containsExactly("b", "crm/accounts", "crm/customers", "sales/daily");
      Page<String> second = catalog.datasets(2, 2);
      assertThat(second.items()).containsExactly("crm/customers", "sales/daily");
      assertThat(second.hasMore()).isFalse();
      assertThat(catalog.datasets(1, 1).items()).containsExactly("crm/accounts");
      assertThat(catalog.datasets(1, 1).hasMore()).isTrue();
      assertThat(catalog.datasets(5, 4).items()).isEmpty();
      assertThatThrownBy(() -> catalog.datasets(0, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("limit must be between 1 and 1000, got 0");
      assertThatThrownBy(() -> catalog.datasets(10, -1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("offset must not be negative, got -1");
    }
  }
}
