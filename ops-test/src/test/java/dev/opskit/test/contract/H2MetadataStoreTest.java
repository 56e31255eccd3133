package dev.opskit.test.contract;

import dev.opskit.store.MetadataStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2MetadataStoreTest extends MetadataStoreContract {
  @TempDir
  Path directory;

  @Override
  protected MetadataStore createStore() {
    return MetadataStore.h2(directory.resolve("metadata"));
  }
}
