package dev.opskit.ml.internal;

import dev.opskit.Page;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a model's audit trail explains the registry's state: it replays the trail (registrations, stage moves
 * with the versions they archived and the approvals they used up, aliases, approvals, deletions and policy changes)
 * and compares the result with the records the registry reads. A version, a stage pointer, an alias, an approval or a
 * stored policy that no audit record put there, or one that the trail says is there and is not, is reported. So a
 * trail that was wiped or cut short while the registry kept its state is detected, as are state records written
 * around the registry.
 *
 * <p>The one state not explained by the trail is a version PENDING_REGISTRATION, which a large artifact's
 * registration records before it is stored; it holds no stage and no alias.
 */
final class AuditCrossCheck {
  private AuditCrossCheck() {}

  /** A version as the trail says it is. */
  private static final class Replayed {
    final ModelVersionStatus status;
    final @Nullable String artifact;
    Stage stage = Stage.NONE;
    final Set<String> aliases = new TreeSet<>();
    boolean deleted;

    Replayed(ModelVersionStatus status, @Nullable String artifact) {
      this.status = status;
      this.artifact = artifact;
    }
  }

  /** The state the trail's records explain. */
  private static final class State {
    final Map<Integer, Replayed> versions = new TreeMap<>();
    final Map<Stage, List<Integer>> stages = new TreeMap<>();
    final Map<String, Integer> aliases = new TreeMap<>();
    final Set<String> approvals = new TreeSet<>();
    @Nullable String policy;
    State() {
      stages.put(Stage.STAGING, new ArrayList<>());
      stages.put(Stage.PRODUCTION, new ArrayList<>());
    }

    /** Whether the record applied next is the last of an old name's trail, followed by the new name's first. */
    boolean linked;

    Optional<String> apply(AuditRecord r) {
      String action = r.action();
      if (action.startsWith("DENIED:") || action.equals("CREATE_MODEL") || action.equals("UPDATE_MODEL")
          || action.equals("SET_TAG") || action.equals("DELETE_TAG")) {
        return Optional.empty();
      }
      if (action.equals(AuditTrail.RENAME)) {
        // The first record of a new name's trail, and the old name's record it follows, carry the state on; any other
        // rename record ends a trail's model: the versions, stages, aliases and approvals went with it.
        boolean carriedOn = r.model().equals(r.after().get("model")) || linked;
        if (!carriedOn) {
          // a copy of the policy stays with the old name
          versions.clear();
          stages.values().forEach(List::clear);
          aliases.clear();
          approvals.clear();
        }
        return Optional.empty();
      }
      int v = r.version();
      switch (action) {
        case "REGISTER" -> versions.put(v, new Replayed(ModelVersionStatus.valueOf(r.after().get("status")),
            r.after().get("artifact")));
        case "PROMOTE", "ROLLBACK", "DEMOTE" -> {
          Replayed version = versions.get(v);
          if (version == null) {
            return Optional.of("record " + r.sequence() + " moves v" + v + ", which no earlier record registered");
          }
          Stage from = Stage.valueOf(r.before().get("stage"));
          Stage to = Stage.valueOf(r.after().get("stage"));
          if (stages.containsKey(from)) {
            stages.get(from).remove(Integer.valueOf(v));
          }
          String archived = r.after().get("archived");
          for (int a : archived == null ? List.<Integer>of() : RegistryImpl.parseList(archived)) {
            Optional.ofNullable(stages.get(to)).ifPresent(list -> list.remove(Integer.valueOf(a)));
            Optional.ofNullable(versions.get(a)).ifPresent(x -> x.stage = Stage.ARCHIVED);
          }
          if (stages.containsKey(to)) {
            stages.get(to).add(v);
          }
          version.stage = to;
          Optional<String> problem = approvalsMoved(r, v, from, to, archived);
          if (problem.isPresent()) {
            return problem;
          }
        }
        case "SET_ALIAS" -> {
          String alias = r.after().get("alias");
          Integer old = aliases.put(alias, v);
          if (old != null && versions.containsKey(old)) {
            versions.get(old).aliases.remove(alias);
          }
          if (versions.containsKey(v)) {
            versions.get(v).aliases.add(alias);
          }
        }
        case "REMOVE_ALIAS" -> {
          String alias = r.before().get("alias");
          Integer old = aliases.remove(alias);
          if (old != null && versions.containsKey(old)) {
            versions.get(old).aliases.remove(alias);
          }
        }
        case "APPROVE" -> approvals.add(approval(v, r.after().get("stage"), r.actor()));
        case "DELETE" -> Optional.ofNullable(versions.get(v)).ifPresent(x -> x.deleted = true);
        case "DELETE_MODEL" -> {
          String archived = r.after().get("archived");
          for (int a : archived == null ? List.<Integer>of() : RegistryImpl.parseList(archived)) {
            stages.values().forEach(list -> list.remove(Integer.valueOf(a)));
            Optional.ofNullable(versions.get(a)).ifPresent(x -> x.stage = Stage.ARCHIVED);
          }
          versions.values().forEach(x -> x.deleted = true);
        }
        case "SET_POLICY" -> policy = r.after().get("policy");
        default -> {
          return Optional.of("record " + r.sequence() + " has action " + action + ", which this version of opskit "
              + "cannot replay; verify with the version that wrote it");
        }
      }
      return Optional.empty();
    }

    /**
     * Removes the approvals a stage move used up or withdrew, as its record counts them (records written before moves
     * used approvals up count none, and remove none).
     */
    private Optional<String> approvalsMoved(AuditRecord r, int v, Stage from, Stage to, @Nullable String archived) {
      String used = r.after().get(Promotions.APPROVALS_USED);
      String withdrawn = r.after().get(Promotions.APPROVALS_WITHDRAWN);
      int usedNow = used == null ? 0 : drop(v, to);
      if (used != null && Integer.parseInt(used) != usedNow) {
        return Optional.of("record " + r.sequence() + " used " + used + " approval(s) of v" + v + " for " + to
            + ", but the trail recorded " + usedNow);
      }
      if (withdrawn != null) {
        int withdrawnNow = drop(v, from);
        for (int a : archived == null ? List.<Integer>of() : RegistryImpl.parseList(archived)) {
          withdrawnNow += drop(a, to);
        }
        if (Integer.parseInt(withdrawn) != withdrawnNow) {
          return Optional.of("record " + r.sequence() + " withdrew " + withdrawn + " approval(s), but the trail "
              + "recorded " + withdrawnNow + " of the versions that left a stage");
        }
      }
      return Optional.empty();
    }

    /** Removes every approval of a version for a stage; returns how many. */
    private int drop(int version, Stage stage) {
      String prefix = "v" + version + " for " + stage + " by '";
      int before = approvals.size();
      approvals.removeIf(a -> a.startsWith(prefix));
      return before - approvals.size();
    }
  }

  private static String approval(long version, @Nullable String stage, @Nullable String actor) {
    return "v" + version + " for " + stage + " by '" + actor + "'";
  }

  /** Compares the state in {@code tx} with what the records explain; returns the first difference. */
  static Optional<String> check(Transaction tx, String model, List<AuditRecord> records) {
    State state = new State();
    for (int i = 0; i < records.size(); i++) {
      AuditRecord r = records.get(i);
      AuditRecord next = i + 1 < records.size() ? records.get(i + 1) : null;
      state.linked = next != null && next.sequence() == 1 && next.action().equals(AuditTrail.RENAME)
          && next.model().equals(r.after().get("model"));
      Optional<String> problem;
      try {
        problem = state.apply(r);
      } catch (RuntimeException e) {
        problem = Optional.of("record " + r.sequence() + " (" + r.action() + ") cannot be replayed: " + e.getMessage());
      }
      if (problem.isPresent()) {
        return Optional.of("the audit trail of model '" + model + "' does not explain its state: " + problem.get());
      }
    }
    Optional<String> problem = versions(tx, model, state);
    if (problem.isEmpty()) {
      problem = stages(tx, model, state);
    }
    if (problem.isEmpty()) {
      problem = aliases(tx, model, state);
    }
    if (problem.isEmpty()) {
      problem = approvals(tx, model, state);
    }
    if (problem.isEmpty()) {
      problem = policy(tx, model, state);
    }
    return problem.map(p -> "the audit trail of model '" + model + "' does not explain its state: " + p
        + "; the trail or the registry's records were changed around the registry");
  }

  private static Optional<String> versions(Transaction tx, String model, State state) {
    Map<Integer, StoredRecord> stored = new TreeMap<>();
    for (StoredRecord r : all(tx, RecordQuery.in(RegistryImpl.VERSIONS).keyPrefix(model + "/"))) {
      stored.put(Docs.version(r.body()).version().number(), r);
    }
    // Also by key, for every number up to one past the highest known, so that a record without its attributes is
    // found too.
    int highest = Math.max(stored.isEmpty() ? 0 : ((TreeMap<Integer, StoredRecord>) stored).lastKey(),
        state.versions.isEmpty() ? 0 : ((TreeMap<Integer, Replayed>) state.versions).lastKey());
    for (int n = 1; n <= highest + 1; n++) {
      if (!stored.containsKey(n)) {
        int number = n;
        tx.get(RegistryImpl.VERSIONS, VersionRecords.versionKey(model, n)).ifPresent(r -> stored.put(number, r));
      }
    }
    for (Map.Entry<Integer, StoredRecord> e : stored.entrySet()) {
      Docs.VersionDoc doc = Docs.version(e.getValue().body());
      ModelVersion v = doc.version();
      Replayed expected = state.versions.get(e.getKey());
      if (expected == null) {
        if (v.status() == ModelVersionStatus.PENDING_REGISTRATION && v.stage() == Stage.NONE && v.aliases().isEmpty()
            && !doc.deleted()) {
          continue;
        }
        return Optional.of("v" + v.number() + " is " + v.status() + " in " + v.stage() + (doc.deleted() ? ", deleted"
            : "") + ", but no audit record registered it");
      }
      if (v.status() != expected.status || !Objects.equals(v.artifact(), expected.artifact)) {
        return Optional.of("v" + v.number() + " is " + v.status() + " with artifact " + v.artifact()
            + ", but the trail registered it " + expected.status + " with artifact " + expected.artifact);
      }
      if (v.stage() != expected.stage) {
        return Optional.of("v" + v.number() + " is in " + v.stage() + ", but the trail puts it in " + expected.stage);
      }
      if (!new TreeSet<>(v.aliases()).equals(expected.aliases)) {
        return Optional.of("v" + v.number() + " holds aliases " + new TreeSet<>(v.aliases()) + ", but the trail gives "
            + "it " + expected.aliases);
      }
      if (doc.deleted() != expected.deleted) {
        return Optional.of("v" + v.number() + (doc.deleted() ? " is deleted, but the trail never deleted it"
            : " exists, but the trail deleted it"));
      }
    }
    for (int n : state.versions.keySet()) {
      if (!stored.containsKey(n)) {
        return Optional.of("the trail registered v" + n + ", whose record is missing");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> stages(Transaction tx, String model, State state) {
    for (Map.Entry<Stage, List<Integer>> e : state.stages.entrySet()) {
      List<Integer> actual = RegistryImpl.stageHolders(tx, model, e.getKey());
      if (!actual.equals(e.getValue())) {
        return Optional.of("stage " + e.getKey() + " holds " + versionsText(actual) + ", but the trail puts "
            + versionsText(e.getValue()) + " there");
      }
    }
    return Optional.empty();
  }

  private static String versionsText(List<Integer> numbers) {
    return numbers.isEmpty() ? "no version" : numbers.stream().map(n -> "v" + n).toList().toString();
  }

  private static Optional<String> aliases(Transaction tx, String model, State state) {
    Map<String, Integer> actual = new TreeMap<>();
    String prefix = RegistryImpl.aliasKey(model, "");
    // Every alias record of the model, with or without its attributes, by key.
    for (StoredRecord r : all(tx, RecordQuery.in(RegistryImpl.ALIASES).keyPrefix(prefix))) {
      if (r.key().startsWith(prefix)) {
        actual.put(r.key().substring(prefix.length()), parse(r.body()));
      }
    }
    if (!actual.equals(state.aliases)) {
      return Optional.of("its aliases are " + actual + ", but the trail gives " + state.aliases);
    }
    return Optional.empty();
  }

  private static int parse(String body) {
    try {
      return Integer.parseInt(body.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Optional<String> approvals(Transaction tx, String model, State state) {
    Set<String> actual = new TreeSet<>();
    for (StoredRecord r : all(tx, RecordQuery.in(RegistryImpl.APPROVALS).keyPrefix(model + "/"))) {
      Object version = r.attributes().get("version");
      actual.add(approval(version instanceof Number n ? n.longValue() : -1, r.string("stage").orElse(null),
          r.string("actor").orElse(null)));
    }
    if (!actual.equals(state.approvals)) {
      Set<String> unexplained = new TreeSet<>(actual);
      unexplained.removeAll(state.approvals);
      Set<String> missing = new TreeSet<>(state.approvals);
      missing.removeAll(actual);
      return Optional.of("approvals " + (unexplained.isEmpty() ? "" : unexplained + " have no audit record")
          + (unexplained.isEmpty() || missing.isEmpty() ? "" : " and ")
          + (missing.isEmpty() ? "" : missing + " recorded in the trail are missing"));
    }
    return Optional.empty();
  }

  private static Optional<String> policy(Transaction tx, String model, State state) {
    Optional<String> stored = tx.get(PolicyStore.COLLECTION, model).map(StoredRecord::body);
    if (!Objects.equals(stored.orElse(null), state.policy)) {
      return Optional.of(stored.isEmpty() ? "the promotion policy the trail last set is missing"
          : state.policy == null ? "a promotion policy is stored but no audit record set it"
              : "the stored promotion policy differs from the one the trail last set");
    }
    return Optional.empty();
  }

  private static List<StoredRecord> all(Transaction tx, RecordQuery query) {
    List<StoredRecord> out = new ArrayList<>();
    for (long offset = 0; ; offset += 1000) {
      Page<StoredRecord> page = tx.query(query.limit(1000).offset(offset));
      out.addAll(page.items());
      if (!page.hasMore()) {
        return out;
      }
    }
  }
}
