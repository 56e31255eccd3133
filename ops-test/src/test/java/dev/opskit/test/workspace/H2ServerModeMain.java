package dev.opskit.test.workspace;

import dev.opskit.store.MetadataStore;
import java.util.Map;

/** Another process that opens an H2 store in server mode, inserts a record and counts the collection. */
public final class H2ServerModeMain {
  private H2ServerModeMain() {}

  /**
   * Inserts a record and prints how many the collection holds.
   *
   * @param args the JDBC URL and the key to insert
   */
  public static void main(String[] args) {
    try (MetadataStore store = MetadataStore.h2(args[0])) {
      store.transact(tx -> tx.insert("shared", args[1], "{}", Map.of("by", "child")));
      long count = store.transact(tx -> tx.count(dev.opskit.store.RecordQuery.in("shared")));
      System.out.println("COUNT " + count);
    }
  }
}
