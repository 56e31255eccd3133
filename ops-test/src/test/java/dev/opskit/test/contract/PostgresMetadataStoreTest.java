package dev.opskit.test.contract;

import dev.opskit.store.MetadataStore;
import dev.opskit.test.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;

class PostgresMetadataStoreTest extends MetadataStoreContract {
  private PostgresTestDatabase database;

  @Override
  protected MetadataStore createStore() {
    database = PostgresTestDatabase.create();
    return MetadataStore.postgres(database.dataSource());
  }

  @AfterEach
  void dropSchema() {
    if (database != null) {
      database.close();
    }
  }
}
