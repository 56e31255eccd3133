package dev.opskit.cli.internal;

import dev.opskit.ml.audit.AuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What an audit record changed, in one line for the CHANGE column of {@code opskit audit show}, read the way the action
 * means it: {@code alias champion: v2 -> v4}, {@code tag validated: no -> yes}, {@code stage: STAGING -> PRODUCTION;
 * archived versions: v1}, {@code model deleted with its 3 versions; archived versions: v2, v3}. Actions it does not
 * know are shown key by key. The record's own before and after maps stay in the JSON output.
 */
final class AuditChanges {
  private AuditChanges() {}

  static String describe(AuditRecord r) {
    Map<String, String> before = r.before();
    Map<String, String> after = r.after();
    String action = r.action();
    if (action.startsWith("DENIED:")) {
      return "denied: " + after.getOrDefault("denied", "");
    }
    return switch (action) {
      case "SET_ALIAS" -> "alias " + after.get("alias") + ": " + version(before.get("version")) + " -> "
          + version(after.get("version"));
      case "REMOVE_ALIAS" -> "alias " + before.get("alias") + ": " + version(before.get("version")) + " -> (removed)";
      case "SET_TAG", "DELETE_TAG" -> (r.version() == 0 ? "model tag " : "tag ") + after.getOrDefault("tag",
          before.get("tag")) + ": " + orNone(before.get("value")) + " -> "
          + (after.containsKey("value") ? after.get("value") : "(deleted)");
      case "PROMOTE", "DEMOTE", "ROLLBACK" -> move(before, after);
      case "APPROVE" -> "approved for " + after.get("stage");
      case "DELETE" -> "version deleted" + (before.containsKey("stage") ? "; it was in " + before.get("stage") : "");
      case "DELETE_MODEL" -> "model deleted" + (before.containsKey("versions") ? " with its " + before.get("versions")
          + " version(s)" : "") + archived(after);
      // the old name's last record, then the new name's first, which continues the old name's trail
      case "RENAME_MODEL" -> before.containsKey("sequence")
          ? "renamed from " + before.get("model") + " (its trail up to record " + before.get("sequence") + ")"
          : "renamed to " + after.get("model");
      case "REGISTER" -> register(after);
      default -> keyByKey(before, after);
    };
  }

  private static String move(Map<String, String> before, Map<String, String> after) {
    StringBuilder b = new StringBuilder("stage: ").append(orNone(before.get("stage"))).append(" -> ")
        .append(orNone(after.get("stage"))).append(archived(after));
    if (after.containsKey("approvals_used")) {
      b.append("; approvals used: ").append(after.get("approvals_used"));
    }
    if (after.containsKey("approvals_withdrawn")) {
      b.append("; approvals withdrawn: ").append(after.get("approvals_withdrawn"));
    }
    return b.toString();
  }

  /** The versions a record archived, as {@code ; archived versions: v2, v3}, or nothing. */
  private static String archived(Map<String, String> after) {
    String list = after.get("archived");
    if (list == null || list.isBlank()) {
      return "";
    }
    List<String> versions = new ArrayList<>();
    for (String n : list.split(",")) {
      versions.add("v" + n.strip());
    }
    return "; archived versions: " + String.join(", ", versions);
  }

  private static String register(Map<String, String> after) {
    StringBuilder b = new StringBuilder("registered ").append(after.getOrDefault("status", ""));
    String artifact = after.get("artifact");
    if (artifact != null) {
      b.append(", artifact ").append(artifact, 0, Math.min(12, artifact.length()));
    }
    if (after.containsKey("copied_from")) {
      b.append(", copied from ").append(after.get("copied_from"));
    }
    if (after.containsKey("error")) {
      b.append("; error: ").append(after.get("error"));
    }
    return b.toString();
  }

  /** {@code key: before -> after} for a key both sides have, {@code key: after} for a new one. */
  private static String keyByKey(Map<String, String> before, Map<String, String> after) {
    List<String> parts = new ArrayList<>();
    SortedSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      String from = before.get(key);
      String to = after.get(key);
      parts.add(key + ": " + (from == null ? to : from + " -> " + orNone(to)));
    }
    return String.join("; ", parts);
  }

  private static String version(@Nullable String number) {
    return number == null ? "(none)" : "v" + number;
  }

  private static String orNone(@Nullable String value) {
    return value == null || value.isEmpty() ? "(none)" : value;
  }
}
