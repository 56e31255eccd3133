package dev.opskit.test.contract;

import dev.opskit.store.BlobStore;

/** The blob store contract, run against the in-memory store. It cannot be damaged, so corruption tests skip. */
class InMemoryBlobStoreContractTest extends BlobStoreContract {
  @Override
  protected BlobStore createStore() {
    return BlobStore.inMemory(clock());
  }
}
