package dev.opskit.ml.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The PostgreSQL statements that make the registry's audit trail append-only at the database, for one schema and one
 * application role. Three trigger functions, owned by whoever runs the statements (the owner of the tables):
 *
 * <ul>
 *   <li>on {@code ops_record}: an audit record ({@value AuditTrail#COLLECTION}) is never updated or deleted, and is
 *       inserted only as the next of its model's trail; a head ({@value AuditTrail#HEADS}) is never deleted, and moves
 *       only by one, to a record that exists; a stored promotion policy ({@value PolicyStore#COLLECTION}) is never
 *       deleted, and is written only as the policy of its model's last audit record, a {@code SET_POLICY}; no row is
 *       moved into or out of those collections;</li>
 *   <li>on {@code ops_attr}: the attributes of an audit record are never updated or deleted;</li>
 *   <li>on both tables: TRUNCATE is refused, for every role.</li>
 * </ul>
 *
 * <p>and grants: the application role reads and writes rows of opskit's tables, and has no TRUNCATE, TRIGGER or CREATE.
 * Since it owns neither the tables nor the functions it cannot drop or disable the triggers. Identifiers are checked and
 * quoted; no input reaches the SQL otherwise.
 */
public final class AuditAppendOnlySql {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final String AUDIT = AuditTrail.COLLECTION;
  private static final String HEADS = AuditTrail.HEADS;
  private static final String POLICIES = PolicyStore.COLLECTION;

  private AuditAppendOnlySql() {}

  /**
   * Returns the statements, in order, each without a trailing semicolon.
   *
   * @param schema the schema of opskit's tables
   * @param applicationRole the role the application connects as
   * @return the statements
   */
  public static List<String> statements(String schema, String applicationRole) {
    String s = identifier("schema", schema);
    String app = identifier("applicationRole", applicationRole);
    String tables = s + ".ops_record, " + s + ".ops_attr, " + s + ".ops_counter";
    List<String> out = new ArrayList<>();
    out.add("GRANT USAGE ON SCHEMA " + s + " TO " + app);
    out.add("REVOKE CREATE ON SCHEMA " + s + " FROM " + app);
    out.add("REVOKE ALL ON " + tables + ", " + s + ".ops_schema_history FROM " + app);
    out.add("GRANT SELECT, INSERT, UPDATE, DELETE ON " + tables + " TO " + app);
    out.add("GRANT SELECT ON " + s + ".ops_schema_history TO " + app);
    // Whether a policy body is the one the model's last audit record sets: a policy changes only with its record.
    out.add("CREATE OR REPLACE FUNCTION " + s + ".ops_audit_policy_explained(text, text) RETURNS boolean "
        + "LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $opskit$\n"
        + "SELECT coalesce((SELECT r.body::jsonb ->> 'action' = 'SET_POLICY' "
        + "AND r.body::jsonb -> 'after' ->> 'policy' = $2\n"
        + "  FROM " + s + ".ops_record h JOIN " + s + ".ops_record r ON r.collection = '" + AUDIT + "' "
        + "AND r.rkey = h.rkey || '/' || lpad(split_part(h.body, ':', 1), greatest(12, length(split_part(h.body, ':', "
        + "1))), '0')\n"
        + "  WHERE h.collection = '" + HEADS + "' AND h.rkey = $1), false)\n"
        + "$opskit$");
    out.add("CREATE OR REPLACE FUNCTION " + s + ".ops_audit_guard_record() RETURNS trigger LANGUAGE plpgsql "
        + "SET search_path = pg_catalog, pg_temp AS $opskit$\n"
        + "DECLARE\n"
        + "  head_seq bigint;\n"
        + "  new_seq bigint;\n"
        + "  model text;\n"
        + "BEGIN\n"
        + "  IF TG_OP = 'DELETE' THEN\n"
        + "    RAISE EXCEPTION 'the opskit audit trail is append-only: deleting %/% is refused', OLD.collection, "
        + "OLD.rkey USING ERRCODE = '42501';\n"
        + "  END IF;\n"
        + "  IF TG_OP = 'UPDATE' THEN\n"
        + "    IF OLD.collection = '" + POLICIES + "' AND NEW.collection = OLD.collection AND NEW.rkey = OLD.rkey THEN\n"
        + "      IF NOT " + s + ".ops_audit_policy_explained(NEW.rkey, NEW.body) THEN\n"
        + "        RAISE EXCEPTION 'the promotion policy of % changes only with the audit record that sets it', "
        + "NEW.rkey USING ERRCODE = '42501';\n"
        + "      END IF;\n"
        + "      RETURN NEW;\n"
        + "    END IF;\n"
        + "    IF OLD.collection <> '" + HEADS + "' OR NEW.collection <> OLD.collection OR NEW.rkey <> OLD.rkey THEN\n"
        + "      RAISE EXCEPTION 'the opskit audit trail is append-only: updating %/% is refused', OLD.collection, "
        + "OLD.rkey USING ERRCODE = '42501';\n"
        + "    END IF;\n"
        + "    head_seq := split_part(OLD.body, ':', 1)::bigint;\n"
        + "    new_seq := split_part(NEW.body, ':', 1)::bigint;\n"
        + "    IF new_seq <> head_seq + 1 OR NOT EXISTS (SELECT 1 FROM " + s + ".ops_record r WHERE r.collection = '"
        + AUDIT + "' AND r.rkey = NEW.rkey || '/' || lpad(new_seq::text, greatest(12, length(new_seq::text)), '0'))"
        + " THEN\n"
        + "      RAISE EXCEPTION 'the head of the opskit audit trail of % moves only to the next record, % is refused',"
        + " OLD.rkey, NEW.body USING ERRCODE = '42501';\n"
        + "    END IF;\n"
        + "    RETURN NEW;\n"
        + "  END IF;\n"
        + "  IF NEW.collection = '" + POLICIES + "' THEN\n"
        + "    IF NOT " + s + ".ops_audit_policy_explained(NEW.rkey, NEW.body) THEN\n"
        + "      RAISE EXCEPTION 'the promotion policy of % changes only with the audit record that sets it', "
        + "NEW.rkey USING ERRCODE = '42501';\n"
        + "    END IF;\n"
        + "  ELSIF NEW.collection = '" + HEADS + "' THEN\n"
        + "    new_seq := split_part(NEW.body, ':', 1)::bigint;\n"
        + "    IF new_seq <> 1 OR NOT EXISTS (SELECT 1 FROM " + s + ".ops_record r WHERE r.collection = '" + AUDIT
        + "' AND r.rkey = NEW.rkey || '/000000000001') THEN\n"
        + "      RAISE EXCEPTION 'the head of the opskit audit trail of % starts at its first record, % is refused', "
        + "NEW.rkey, NEW.body USING ERRCODE = '42501';\n"
        + "    END IF;\n"
        + "  ELSIF NEW.collection = '" + AUDIT + "' THEN\n"
        + "    model := substring(NEW.rkey FROM '^(.*)/[0-9]{12,}$');\n"
        + "    new_seq := substring(NEW.rkey FROM '/([0-9]{12,})$')::bigint;\n"
        + "    SELECT split_part(h.body, ':', 1)::bigint INTO head_seq FROM " + s + ".ops_record h\n"
        + "      WHERE h.collection = '" + HEADS + "' AND h.rkey = model;\n"
        + "    -- A sequence at or below the head is a lost race: its record exists and the insert conflicts.\n"
        + "    IF model IS NULL OR new_seq > coalesce(head_seq, 0) + 1 THEN\n"
        + "      RAISE EXCEPTION 'the opskit audit trail is append-only: % is not the next record of its model', "
        + "NEW.rkey USING ERRCODE = '42501';\n"
        + "    END IF;\n"
        + "  END IF;\n"
        + "  RETURN NEW;\n"
        + "END\n"
        + "$opskit$");
    out.add("CREATE OR REPLACE FUNCTION " + s + ".ops_audit_guard_attr() RETURNS trigger LANGUAGE plpgsql "
        + "SET search_path = pg_catalog, pg_temp AS $opskit$\n"
        + "BEGIN\n"
        + "  RAISE EXCEPTION 'the opskit audit trail is append-only: % of the attributes of %/% is refused', TG_OP, "
        + "OLD.collection, OLD.rkey USING ERRCODE = '42501';\n"
        + "END\n"
        + "$opskit$");
    out.add("CREATE OR REPLACE FUNCTION " + s + ".ops_audit_guard_truncate() RETURNS trigger LANGUAGE plpgsql "
        + "SET search_path = pg_catalog, pg_temp AS $opskit$\n"
        + "BEGIN\n"
        + "  RAISE EXCEPTION 'truncating % would delete the opskit audit trail; it is refused', TG_TABLE_NAME "
        + "USING ERRCODE = '42501';\n"
        + "END\n"
        + "$opskit$");
    String kept = "('" + AUDIT + "', '" + HEADS + "', '" + POLICIES + "')";
    trigger(out, s, "ops_record", "ops_audit_insert", "BEFORE INSERT", "FOR EACH ROW WHEN (NEW.collection IN "
        + kept + ")", "ops_audit_guard_record");
    trigger(out, s, "ops_record", "ops_audit_update", "BEFORE UPDATE", "FOR EACH ROW WHEN (OLD.collection IN "
        + kept + " OR NEW.collection IN " + kept + ")", "ops_audit_guard_record");
    trigger(out, s, "ops_record", "ops_audit_delete", "BEFORE DELETE", "FOR EACH ROW WHEN (OLD.collection IN "
        + kept + ")", "ops_audit_guard_record");
    trigger(out, s, "ops_attr", "ops_audit_attr", "BEFORE UPDATE OR DELETE", "FOR EACH ROW WHEN (OLD.collection = '"
        + AUDIT + "')", "ops_audit_guard_attr");
    trigger(out, s, "ops_record", "ops_audit_truncate", "BEFORE TRUNCATE", "FOR EACH STATEMENT",
        "ops_audit_guard_truncate");
    trigger(out, s, "ops_attr", "ops_audit_truncate", "BEFORE TRUNCATE", "FOR EACH STATEMENT",
        "ops_audit_guard_truncate");
    return List.copyOf(out);
  }

  private static void trigger(List<String> out, String schema, String table, String name, String when, String each,
      String function) {
    out.add("DROP TRIGGER IF EXISTS " + name + " ON " + schema + "." + table);
    out.add("CREATE TRIGGER " + name + " " + when + " ON " + schema + "." + table + " " + each + " EXECUTE FUNCTION "
        + schema + "." + function + "()");
  }

  private static String identifier(String what, String value) {
    Objects.requireNonNull(value, what);
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be a plain PostgreSQL identifier (" + IDENTIFIER.pattern()
          + "), got '" + value + "'");
    }
    return "\"" + value + "\"";
  }
}
