package dev.opskit.ml.audit;

import dev.opskit.OpsException;
import dev.opskit.ml.internal.AuditAppendOnlySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * The PostgreSQL role setup under which the registry's audit trail is append-only at the database: the application
 * role can add audit records, but no statement it sends can change, delete, reorder or truncate them, whatever code
 * runs with its credentials. Without it, code that holds the database credentials can rewrite the trail, and
 * {@link AuditLog#verify()} can only detect it afterwards.
 *
 * <p>Two roles: an <em>owner</em>, which owns opskit's tables and opens the workspace once after each opskit upgrade to
 * migrate them, and the <em>application</em> role, which every process connects as. As the owner:
 *
 * <pre>{@code
 * // once: the owner opens the workspace (creating or migrating the tables), then installs the setup
 * try (Workspace ws = Workspace.postgres(ownerDataSource, blobs)) { }
 * PostgresAuditRoles.install(ownerDataSource, "opskit", "opskit_app");
 * // every process: connect as opskit_app
 * Workspace ws = Workspace.postgres(appDataSource, blobs);
 * }</pre>
 *
 * <p>or run {@link #appendOnlyScript(String, String)} with {@code psql}. The statements grant the application role
 * SELECT, INSERT, UPDATE and DELETE on the rows of opskit's tables and nothing else (no TRUNCATE, TRIGGER or CREATE), and
 * install triggers, owned by the owner, that refuse: any UPDATE or DELETE of an audit record or its attributes; an
 * audit record inserted anywhere but right after its model's last one; a trail head deleted or moved anywhere but to
 * the next record; a stored promotion policy deleted, or written other than as the policy of its model's last audit
 * record (so a policy changes only together with the {@code SET_POLICY} record that sets it); and TRUNCATE of the
 * tables, for every role. The application role
 * owns neither tables nor trigger functions, so it cannot drop or disable the triggers. The refusal is an SQL error with
 * SQLSTATE 42501. Running the setup again is harmless; run it again after an opskit upgrade that migrates the schema.
 *
 * <p>What it does not stop: a superuser or the owner (who can disable triggers), and appends: the application role can
 * add records at the end of a trail, as the registry does, so forged records stay visible in the trail for good.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class PostgresAuditRoles {
  private PostgresAuditRoles() {}

  /**
   * Returns the statements of the setup, in order, each without a trailing semicolon.
   *
   * @param schema the schema of opskit's tables, a plain identifier such as {@code opskit}
   * @param applicationRole the role the application connects as, a plain identifier
   * @return the statements
   * @throws IllegalArgumentException if a name is not a plain identifier ({@code [A-Za-z_][A-Za-z0-9_]*}, up to 63)
   */
  public static List<String> appendOnlyStatements(String schema, String applicationRole) {
    return AuditAppendOnlySql.statements(schema, applicationRole);
  }

  /**
   * Returns the setup as one script, for {@code psql} run as the owner of the tables.
   *
   * @param schema the schema of opskit's tables
   * @param applicationRole the role the application connects as
   * @return the script
   */
  public static String appendOnlyScript(String schema, String applicationRole) {
    StringBuilder sb = new StringBuilder("-- opskit: the audit trail in schema " + schema + " is append-only for role "
        + applicationRole + ". Run as the owner of the tables.\nBEGIN;\n");
    for (String statement : appendOnlyStatements(schema, applicationRole)) {
      sb.append(statement).append(";\n");
    }
    return sb.append("COMMIT;\n").toString();
  }

  /**
   * Runs the setup in one transaction, on a connection of the owner of the tables. The tables must exist: open the
   * workspace as the owner first.
   *
   * @param owner a data source that connects as the owner of opskit's tables
   * @param schema the schema of opskit's tables
   * @param applicationRole the role the application connects as; it must exist
   * @throws OpsException if the database refuses a statement, with its message
   */
  public static void install(DataSource owner, String schema, String applicationRole) {
    Objects.requireNonNull(owner, "owner");
    List<String> statements = appendOnlyStatements(schema, applicationRole);
    try (Connection c = owner.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String statement : statements) {
          s.execute(statement);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new OpsException("could not install the append-only audit setup for role '" + applicationRole
          + "' in schema '" + schema + "': " + e.getMessage() + "; run it as the owner of opskit's tables, after "
          + "opening the workspace once as that owner", e);
    }
  }
}
