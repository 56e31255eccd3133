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

  /** Advances a counter in one statement where the database can, returning the new value. */
  boolean hasUpsertReturning() {
    return this == POSTGRESQL;
  }
}
