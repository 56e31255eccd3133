package dev.opskit.benchmarks.store;

import java.util.Locale;

/** The records every metadata benchmark writes and reads, so that opskit and its baselines store the same rows. */
final class StoreRecords {
  /** The collection (opskit) and the value of the {@code collection} column (raw JDBC). */
  static final String COLLECTION = "bench-record";

  /** A 200-character JSON body, the size of a small dataset-version or run record. */
  static final String BODY = body();

  private StoreRecords() {}

  /**
   * Returns the key of the i-th record loaded before a read benchmark.
   *
   * @param i the index
   * @return the key
   */
  static String readKey(int i) {
    return String.format(Locale.ROOT, "r%08d", i);
  }

  /**
   * Returns the key of the i-th record a write benchmark inserts: increasing, so every insert lands at the end of the
   * primary-key index, on both sides.
   *
   * @param i the index
   * @return the key
   */
  static String writeKey(long i) {
    return String.format(Locale.ROOT, "w%012d", i);
  }

  private static String body() {
    StringBuilder b = new StringBuilder("{\"name\":\"bench\",\"owner\":\"store-suite\",\"payload\":\"");
    while (b.length() < 198) {
      b.append((char) ('a' + b.length() % 26));
    }
    return b.append("\"}").toString();
  }
}
