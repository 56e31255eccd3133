package dev.opskit.test.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opskit.Workspace;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.audit.PostgresAuditRoles;
import dev.opskit.store.StoreException;
import dev.opskit.test.PostgresTestDatabase;
import dev.opskit.time.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresGovernanceTest extends GovernanceContract {
  @TempDir
  Path blobs;
  private PostgresTestDatabase database;

  @Override
  Workspace createWorkspace(ManualClock clock) {
    database = PostgresTestDatabase.create();
    return Workspace.builder().clock(clock).openPostgres(database.dataSource(), blobs);
  }

  /** Edits the row with SQL, as the owner of the tables. */
  @Override
  void tamper(String collection, String key, UnaryOperator<String> edit) {
    try (Connection c = database.dataSource().getConnection()) {
      H2GovernanceTest.editWithSql(c, collection, key, edit);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void dropSchema() {
    if (database != null) {
      database.close();
    }
  }

  /** The application role: it logs in, and owns nothing. */
  private DataSource applicationRole(String role) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'app-secret'");
    }
    PGSimpleDataSource app = new PGSimpleDataSource();
    app.setURL(database.url());
    app.setUser(role);
    app.setPassword("app-secret");
    return app;
  }

  private void dropRole(String role) {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP OWNED BY " + role);
      s.execute("DROP ROLE " + role);
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test role " + role, e);
    }
  }

  /** Runs one statement as the role, in its own transaction, and returns how the database refused it. */
  private static SQLException refused(DataSource as, String sql) {
    try (Connection c = as.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("the database accepted: " + sql);
  }

  @Test
  void underTheRoleSetupTheApplicationRunsTheRegistryButTheDatabaseRefusesEveryTamper() throws Exception {
    history();
    String role = database.schema() + "_app";
    DataSource app = applicationRole(role);
    try {
      PostgresAuditRoles.install(database.dataSource(), database.schema(), role);
      PostgresAuditRoles.install(database.dataSource(), database.schema(), role); // running it again is harmless

      // The application works as before under the role: every kind of registry write appends to the trail.
      try (Workspace ws = Workspace.builder().clock(clock).openPostgres(app, blobs);
          ModelRegistry appRegistry = ModelRegistry.in(ws)) {
        register(appRegistry, 0.95);
        appRegistry.approve("churn", 3, Stage.PRODUCTION, BOB, "fine");
        appRegistry.promote("churn", 3).to(Stage.PRODUCTION).as(ALICE).execute();
        appRegistry.setAlias("churn", "champion", 3, ALICE);
        appRegistry.setAlias("churn", "previous", 2, ALICE);
        appRegistry.removeAlias("churn", "previous", ALICE);
        appRegistry.setPolicy("churn", aucFloor(0.9), ALICE, "raised");
        appRegistry.setPolicy("fraud", aucFloor(0.5), ALICE, "a first policy, of a new model");
        appRegistry.deleteVersion("churn", 1, ALICE, false);
        assertThat(appRegistry.rollback("churn", ALICE, "drill").version()).isEqualTo(2);
        assertThat(appRegistry.audit("churn").verify()).isEmpty();

        // Through the store API as the role: deleting an audit record fails at the database.
        assertThatThrownBy(() -> ws.metadata().transact(tx -> {
          tx.delete(tx.require("model-audit", "churn/000000000001"));
          return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("append-only");
      }
      List<AuditRecord> before = registry.audit("churn").records();
      String last = "churn/" + String.format("%012d", before.size());
      String previous = before.get(before.size() - 2).sequence() + ":" + before.get(before.size() - 2).hash();

      // Edit, delete, reorder, truncate and wipe the trail, and loosen the policy, with SQL as the application role.
      List<String> tampers = List.of(
          "UPDATE ops_record SET body = replace(body, 'alice', 'bob') WHERE collection = 'model-audit' "
              + "AND rkey = 'churn/000000000003'",
          "DELETE FROM ops_record WHERE collection = 'model-audit' AND rkey = 'churn/000000000003'",
          "UPDATE ops_record SET rkey = 'churn/000000000099' WHERE collection = 'model-audit' "
              + "AND rkey = 'churn/000000000002'",
          "UPDATE ops_record SET collection = 'model-audit-moved' WHERE collection = 'model-audit'",
          "DELETE FROM ops_record WHERE collection = 'model-audit' AND rkey = '" + last + "'",
          "UPDATE ops_record SET body = '" + previous + "' WHERE collection = 'model-audit-head' AND rkey = 'churn'",
          "TRUNCATE ops_record CASCADE",
          "TRUNCATE ops_attr",
          "DELETE FROM ops_record WHERE collection IN ('model-audit', 'model-audit-head')",
          "DELETE FROM ops_attr WHERE collection = 'model-audit'",
          "DELETE FROM ops_record WHERE collection = 'model-policy'",
          "UPDATE ops_record SET body = replace(body, '0.9', '0.1') WHERE collection = 'model-policy'",
          "INSERT INTO ops_record (collection, rkey, version, body) VALUES ('model-policy', 'other', 1, '{}')",
          "INSERT INTO ops_record (collection, rkey, version, body) VALUES ('model-audit', 'churn/000000000099', 1, "
              + "'{}')",
          "ALTER TABLE ops_record DISABLE TRIGGER ALL",
          "DROP TRIGGER ops_audit_delete ON ops_record",
          "DROP FUNCTION ops_audit_guard_record() CASCADE");
      for (String sql : tampers) {
        SQLException e = refused(app, sql);
        assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo("42501");
        // Refused by a trigger of the setup, or for want of a privilege the setup does not grant.
        assertThat(e.getMessage()).as(sql).containsAnyOf("append-only", "moves only to the next record",
            "changes only with the audit record", "permission denied", "must be owner");
      }
      assertThat(registry.audit("churn").records()).isEqualTo(before);
      assertThat(registry.audit("churn").verify()).isEmpty();

      // The owner is trusted, but even it cannot truncate the trail by accident.
      assertThat(refused(database.dataSource(), "TRUNCATE ops_record CASCADE").getMessage())
          .contains("would delete the opskit audit trail");
    } finally {
      dropRole(role);
    }
  }

  @Test
  void underTheRoleSetupModelsAreRenamedCopiedTaggedDemotedAndDeletedAndTheirTrailsVerify() throws Exception {
    String role = database.schema() + "_app";
    DataSource app = applicationRole(role);
    try {
      PostgresAuditRoles.install(database.dataSource(), database.schema(), role);
      try (Workspace ws = Workspace.builder().clock(clock).openPostgres(app, blobs);
          ModelRegistry appRegistry = ModelRegistry.in(ws)) {
        appRegistry.setPolicy("churn", aucFloor(0.5), ALICE, "a floor");
        register(appRegistry, 0.9);
        register(appRegistry, 0.95);
        appRegistry.approve("churn", 1, Stage.PRODUCTION, BOB, "fine");
        appRegistry.promote("churn", 1).to(Stage.PRODUCTION).as(ALICE).execute();
        appRegistry.setModelTag("churn", "team", "risk", ALICE);
        appRegistry.setVersionTag("churn", 1, "validated", "yes", ALICE);
        appRegistry.updateModel("churn", "who churns", ALICE);
        // the policy follows the rename with its own SET_POLICY record, which the database's guard asks for
        appRegistry.renameModel("churn", "attrition", ALICE);
        assertThat(appRegistry.policy("attrition").gatesFor(Stage.PRODUCTION)).hasSize(1);
        appRegistry.copyVersion("attrition", 2, "attrition-prod", ALICE);
        appRegistry.promote("attrition", 1).to(Stage.NONE).as(ALICE).execute();
        appRegistry.promote("attrition", 2).to(Stage.STAGING).as(ALICE).execute();
        appRegistry.deleteModel("attrition", ALICE, true);
        appRegistry.createModel("churn", "a new one", java.util.Map.of(), ALICE);
        for (String model : List.of("churn", "attrition", "attrition-prod")) {
          assertThat(appRegistry.audit(model).verify()).as(model).isEmpty();
        }
        assertThat(appRegistry.audit("attrition").records()).extracting(AuditRecord::action)
            .contains("RENAME_MODEL", "DEMOTE", "DELETE_MODEL");
      }
    } finally {
      dropRole(role);
    }
  }

  @Test
  void theSetupTakesOnlyPlainIdentifiers() {
    assertThatThrownBy(() -> PostgresAuditRoles.appendOnlyStatements("opskit", "app; DROP TABLE ops_record"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("applicationRole must be a plain");
    assertThat(PostgresAuditRoles.appendOnlyScript("opskit", "opskit_app"))
        .startsWith("-- opskit").contains("GRANT SELECT, INSERT, UPDATE, DELETE ON \"opskit\".ops_record")
        .contains("CREATE TRIGGER ops_audit_delete BEFORE DELETE ON \"opskit\".ops_record").endsWith("COMMIT;\n");
  }
}
