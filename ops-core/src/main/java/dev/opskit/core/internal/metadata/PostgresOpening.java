package dev.opskit.core.internal.metadata;

import dev.opskit.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** What opening a PostgreSQL store checks and says before it migrates: where it is, and that its schema exists. */
final class PostgresOpening {
  private PostgresOpening() {}

  /**
   * A JDBC URL without its query string: the part that says where the database is. The query holds the driver's
   * settings (a {@code PGSimpleDataSource} lists every one of them, about 1,500 characters) and may hold a password,
   * neither of which belongs in messages and logs.
   */
  static String withoutQuery(@Nullable String url) {
    if (url == null) {
      return "(no URL)";
    }
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /**
   * Fails at open, naming the search path, when it names no schema that exists: PostgreSQL would otherwise refuse the
   * first {@code CREATE TABLE} with "no schema has been selected to create in", which does not say that a
   * {@code currentSchema} given in the URL must be created first.
   */
  static void requireSchema(Connection c, String description) throws SQLException {
    try (var s = c.createStatement(); var r = s.executeQuery("SELECT current_schema(), current_setting('search_path')")) {
      if (r.next() && r.getString(1) == null) {
        String path = r.getString(2);
        throw new StoreException("could not open the " + description + ": no schema on the connection's search path "
            + "exists (search_path = " + path + "). opskit creates its tables, not the schema: create it first, for "
            + "example CREATE SCHEMA " + firstSchema(path) + ", or name an existing one with currentSchema=... in the "
            + "JDBC URL (see docs/configuration.md, PostgreSQL)", null);
      }
    }
  }

  private static String firstSchema(String searchPath) {
    for (String part : searchPath.split(",")) {
      String name = part.strip();
      if (!name.isEmpty() && !name.equals("\"$user\"")) {
        return name;
      }
    }
    return "opskit";
  }
}
