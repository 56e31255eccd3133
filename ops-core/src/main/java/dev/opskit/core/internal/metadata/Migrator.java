package dev.opskit.core.internal.metadata;

import dev.opskit.store.IncompatibleStoreException;
import dev.opskit.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the schema this library knows. Migrations are ordered, checksummed scripts shipped in the jar;
 * the table {@code ops_schema_history} records which were applied, with their checksums. A store whose history has a
 * newer version, or whose applied scripts differ from ours, is refused.
 *
 * <p>We wrote this small migrator instead of using Flyway because host applications often run their own Flyway, and a
 * second copy in another version on the class path would clash with theirs.
 */
final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  /** Every migration this library knows, in order. Append only: never edit a released script. */
  static final List<Script> SCRIPTS = List.of(new Script(1, "records"), new Script(2, "ordered_indexes"),
      new Script(3, "one_value_index"), new Script(4, "no_attribute_foreign_key"), new Script(5, "whole_strings"));

  /** The newest schema version this library knows. */
  static final int LATEST = SCRIPTS.get(SCRIPTS.size() - 1).version();

  /** An arbitrary, fixed key for PostgreSQL's advisory lock, so that concurrent openers migrate one at a time. */
  private static final long ADVISORY_LOCK = 0x6f70736b69744d4cL;

  private Migrator() {}

  record Script(int version, String description) {
    String fileName() {
      return "V" + version + "__" + description + ".sql";
    }
  }

  /**
   * Migrates in one transaction; PostgreSQL serializes concurrent migrators with an advisory lock.
   *
   * @return how many scripts were applied
   */
  static int migrate(Connection c, Dialect dialect, String store, Clock clock) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      if (dialect == Dialect.POSTGRESQL) {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, ADVISORY_LOCK);
          lock.execute();
        }
      }
      // On PostgreSQL an application role without CREATE on the schema (PostgresAuditRoles) opens a migrated store:
      // CREATE TABLE IF NOT EXISTS would need that privilege even when the table exists.
      if (dialect != Dialect.POSTGRESQL || !historyExists(c)) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS ops_schema_history ("
              + "version INT NOT NULL PRIMARY KEY, description VARCHAR(255) NOT NULL, checksum VARCHAR(64) NOT NULL, "
              + "applied_at TIMESTAMP NOT NULL)");
        }
      }
      Map<Integer, String[]> applied = new TreeMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT version, description, checksum FROM ops_schema_history")) {
        while (rs.next()) {
          applied.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
        }
      }
      int current = applied.isEmpty() ? 0 : ((TreeMap<Integer, String[]>) applied).lastKey();
      if (current > LATEST) {
        throw new IncompatibleStoreException(store + " has schema version " + current + " but this opskit knows "
            + "versions up to " + LATEST + "; it was written by a newer opskit. Open it with that version or newer",
            current, LATEST);
      }
      List<Script> pending = new ArrayList<>();
      for (Script script : SCRIPTS) {
        String[] row = applied.get(script.version());
        String checksum = checksum(load(dialect, script));
        if (row == null) {
          pending.add(script);
        } else if (!row[1].equals(checksum)) {
          throw new IncompatibleStoreException(store + " applied migration V" + script.version() + " ("
              + row[0] + ") with checksum " + row[1] + ", but this opskit's V" + script.version() + " has checksum "
              + checksum + "; the store was migrated by a different build of opskit", current, LATEST);
        }
      }
      for (Script script : pending) {
        LOG.info("Migrating {} to schema version {} ({})", store, script.version(), script.description());
        String sql = load(dialect, script);
        try (Statement s = c.createStatement()) {
          for (String statement : statements(sql)) {
            s.execute(statement);
          }
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO ops_schema_history (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
          p.setInt(1, script.version());
          p.setString(2, script.description());
          p.setString(3, checksum(sql));
          p.setTimestamp(4, Timestamp.from(clock.instant()));
          p.executeUpdate();
        }
      }
      c.commit();
      return pending.size();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static boolean historyExists(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('ops_schema_history') IS NOT NULL")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  static String load(Dialect dialect, Script script) {
    String path = "/dev/opskit/core/internal/metadata/" + dialect.scriptFolder + "/" + script.fileName();
    try (InputStream in = Migrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new StoreException("migration script " + path + " is missing from the opskit jar", null);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new StoreException("could not read migration script " + path, e);
    }
  }

  static String checksum(String sql) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Splits a script at semicolons that end a line; comment lines are dropped. Scripts hold no procedural code. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        out.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
