package dev.opskit.test.workspace;

import dev.opskit.store.MetadataStore;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Another process that increments a shared PostgreSQL record by read-modify-write, retrying on conflicts, and prints
 * how many conflicts it saw. Usage: {@code PostgresIncrementMain <jdbc-url-with-schema> <increments>}.
 */
public final class PostgresIncrementMain {
  private PostgresIncrementMain() {}

  /**
   * Increments.
   *
   * @param args the JDBC URL and the number of increments
   */
  public static void main(String[] args) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(args[0]);
    int increments = Integer.parseInt(args[1]);
    long conflicts = 0;
    long registered = 0;
    try (MetadataStore store = MetadataStore.postgres(ds)) {
      System.out.println("READY");
      for (int i = 0; i < increments; i++) {
        while (true) {
          StoredRecord read = store.transact(tx -> tx.require("counter", "shared"));
          try {
            store.transact(tx -> tx.update(read, Long.toString(Long.parseLong(read.body()) + 1), Map.of()));
            break;
          } catch (StoreConflictException e) {
            conflicts++;
          }
        }
        store.transact(tx -> tx.increment("numbers"));
        registered++;
      }
    }
    System.out.println("DONE " + conflicts + " " + registered);
  }
}
