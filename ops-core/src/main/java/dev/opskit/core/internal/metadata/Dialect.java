package dev.opskit.core.internal.metadata;

/** The SQL differences between the databases the JDBC store supports. */
enum Dialect {
  H2("h2", "H2"),
  POSTGRESQL("postgresql", "PostgreSQL");

  final String scriptFolder;
  final String displayName;

  Dialect(String scriptFolder, String displayName) {
    this.scriptFolder = scriptFolder;
    this.displayName = displayName;
  }

  /**
   * The statement that inserts a record, affecting no row if its key exists. PostgreSQL aborts a transaction on a
   * failed statement, so a duplicate must not raise; H2 keeps the transaction usable after a duplicate-key error, so
   * the plain insert and its error do. Either way the duplicate costs no extra query beforehand.
   */
  String insertRecord() {
    String insert = "INSERT INTO ops_record (collection, rkey, version, body) VALUES (?, ?, 1, ?)";
    return this == POSTGRESQL ? insert + " ON CONFLICT (collection, rkey) DO NOTHING" : insert;
  }

  /** The SQL type of a record's body, for casts. */
  String bodyType() {
    return this == POSTGRESQL ? "TEXT" : "CLOB";
  }

  /** Advances a counter in one statement where the database can, returning the new value. */
  boolean hasUpsertReturning() {
    return this == POSTGRESQL;
  }
}
