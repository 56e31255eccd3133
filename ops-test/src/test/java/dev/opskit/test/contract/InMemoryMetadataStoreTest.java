package dev.opskit.test.contract;

import dev.opskit.store.MetadataStore;

class InMemoryMetadataStoreTest extends MetadataStoreContract {
  @Override
  protected MetadataStore createStore() {
    return MetadataStore.inMemory();
  }
}
