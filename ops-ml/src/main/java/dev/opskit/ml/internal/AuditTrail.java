package dev.opskit.ml.internal;

import dev.opskit.Page;
import dev.opskit.ml.Actor;
import dev.opskit.ml.Stage;
import dev.opskit.ml.audit.AuditLog;
import dev.opskit.ml.audit.AuditRecord;
import dev.opskit.ml.promotion.GateResult;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The append-only, hash-chained audit trail of each model. Records are keyed {@code <model>/<sequence, zero-padded>}.
 * A head record holds the last sequence and hash; an append reads it, writes the next record and moves it, in the
 * writing transaction, so two racing appends compete for one key and the store refuses the second as a conflict,
 * which the caller retries. Each record's hash covers the previous record's hash and its own content, so an edited,
 * deleted, reordered or truncated trail is detected.
 */
final class AuditTrail {
  static final String COLLECTION = "model-audit";
  static final String HEADS = "model-audit-head";
  static final String ZERO = "0".repeat(64);

  private final MetadataStore store;

  AuditTrail(MetadataStore store) {
    this.store = store;
  }

  static String key(String model, long sequence) {
    return model + "/" + VersionRecords.padded(sequence, 12);
  }

  /** The action of the two records of a rename: the last of the old name's trail, the first of the new name's. */
  static final String RENAME = "RENAME_MODEL";

  /** Appends a record in the caller's transaction and returns its key. */
  String append(Transaction tx, String model, String action, Actor actor, Instant at, int version,
      Map<String, String> before, Map<String, String> after, String reason, List<GateResult> gates) {
    return append(tx, model, action, actor, at, version, before, after, reason, gates, ZERO);
  }

  /**
   * Appends the two records of a rename in the caller's transaction: the last record of {@code from}'s trail, and the
   * first of {@code to}'s, which has none yet. The second is chained to the first (its previous hash is the first's
   * hash) and names it ({@code before.sequence}), so that {@code to}'s trail reads and verifies as the continuation of
   * {@code from}'s.
   */
  void appendRename(Transaction tx, String from, String to, Actor actor, Instant at) {
    if (tx.get(HEADS, to).isPresent()) {
      throw new IllegalStateException("model name '" + to + "' already has an audit trail");
    }
    append(tx, from, RENAME, actor, at, 0, Map.of("model", from), Map.of("model", to), "", List.of());
    String head = tx.require(HEADS, from).body();
    String sequence = head.substring(0, head.indexOf(':'));
    String hash = head.substring(head.indexOf(':') + 1);
    append(tx, to, RENAME, actor, at, 0, Map.of("model", from, "sequence", sequence), Map.of("model", to), "",
        List.of(), hash);
  }

  /**
   * The version of a model's trail head, 0 if it has none: read first by a transaction that then reads many of the
   * model's records, and checked with {@link #requireUnmoved} before it appends, so that it conflicts with every write
   * of the model that committed in between (each appends), even on a store whose reads see each commit as it happens.
   */
  static long headVersion(Transaction tx, String model) {
    return tx.get(HEADS, model).map(StoredRecord::version).orElse(0L);
  }

  /**
   * The head versions that {@link #requireUnmoved} checked, by transaction and model, for the next append of the model
   * in that transaction to check again against the head it reads. Weak keys: a transaction that appends nothing after
   * the check leaves nothing behind.
   */
  private static final Map<Transaction, Map<String, Long>> CHECKED =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /**
   * Throws a conflict, which the registry retries, if the model's trail moved since {@link #headVersion}; and has the
   * next append of the model in this transaction check the same again, against the head that append reads and then
   * updates conditionally. The check alone left a window on a store whose reads see each commit as it happens
   * (PostgreSQL's READ COMMITTED): a promotion that committed after it, and before the append read the head, let an
   * approval land after the promotion it raced.
   */
  static void requireUnmoved(Transaction tx, String model, long version) {
    if (headVersion(tx, model) != version) {
      throw moved(model);
    }
    CHECKED.computeIfAbsent(tx, t -> new HashMap<>()).put(model, version);
  }

  private static dev.opskit.store.StoreConflictException moved(String model) {
    return new dev.opskit.store.StoreConflictException(HEADS, model, "the audit trail of model '" + model
        + "' moved while the model was read", null);
  }

  /** The sequence of a model's last audit record, 0 if it has none. */
  static long lastSequence(Transaction tx, String model) {
    return tx.get(HEADS, model).map(r -> Long.parseLong(r.body().substring(0, r.body().indexOf(':')))).orElse(0L);
  }

  private String append(Transaction tx, String model, String action, Actor actor, Instant at, int version,
      Map<String, String> before, Map<String, String> after, String reason, List<GateResult> gates, String first) {
    // The head holds the last sequence and hash. Two appends that read the same head race for the same record key,
    // and the store refuses the second insert as a conflict to retry.
    Optional<StoredRecord> head = tx.get(HEADS, model);
    Map<String, Long> checked = CHECKED.get(tx);
    Long expected = checked == null ? null : checked.remove(model);
    if (expected != null && head.map(StoredRecord::version).orElse(0L).longValue() != expected.longValue()) {
      throw moved(model); // the update of the head below is conditional on the version read here
    }
    long sequence = head.map(r -> Long.parseLong(r.body().substring(0, r.body().indexOf(':')))).orElse(0L) + 1;
    String previous = head.map(StoredRecord::body).map(b -> b.substring(b.indexOf(':') + 1)).orElse(first);
    AuditRecord unsigned = new AuditRecord(model, sequence, action, actor.principal(), at, version, before, after,
        reason, gates, previous, ZERO);
    String hash = hash(unsigned);
    AuditRecord record = new AuditRecord(model, sequence, action, actor.principal(), at, version, before, after, reason,
        gates, previous, hash);
    // The only attribute is the one the trail is read by; its key, zero-padded, orders it. Each attribute costs an
    // index entry in every append.
    String key = key(model, sequence);
    tx.insert(COLLECTION, key, Docs.write(record), Map.of("model", model));
    String headBody = sequence + ":" + hash;
    if (head.isPresent()) {
      tx.update(head.get(), headBody, Map.of("model", model));
    } else {
      tx.insert(HEADS, model, headBody, Map.of("model", model));
    }
    return key;
  }

  /** SHA-256 of the previous hash and the record's content, in a canonical form with sorted maps. */
  static String hash(AuditRecord r) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("model", r.model());
    content.put("sequence", r.sequence());
    content.put("action", r.action());
    content.put("actor", r.actor());
    content.put("at", r.at().toString());
    content.put("version", r.version());
    content.put("before", new TreeMap<>(r.before()));
    content.put("after", new TreeMap<>(r.after()));
    content.put("reason", r.reason());
    List<Object> gates = new ArrayList<>();
    for (GateResult g : r.gates()) {
      Map<String, Object> gate = new LinkedHashMap<>();
      gate.put("gate", g.gate());
      gate.put("passed", g.passed());
      gate.put("message", g.message());
      gate.put("evidence", new TreeMap<>(g.evidence()));
      gates.add(gate);
    }
    content.put("gates", gates);
    return RegistryImpl.sha(r.previousHash() + "\n" + Docs.write(content));
  }

  List<Integer> productionHistory(String model) {
    List<Integer> out = new ArrayList<>();
    for (AuditRecord r : log(model).records()) {
      if ((r.action().equals("PROMOTE") || r.action().equals("ROLLBACK"))
          && Stage.PRODUCTION.name().equals(r.after().get("stage"))) {
        out.add(r.version());
      }
    }
    return out;
  }

  AuditLog log(String model) {
    return new Log(model);
  }

  /** One model name's part of a trail: its stored records, in sequence order. */
  private record Segment(String model, List<StoredRecord> records) {}

  /** A stored record as an audit record, or empty if it cannot be read (which only verification reports). */
  private static Optional<AuditRecord> readable(StoredRecord stored) {
    try {
      return Optional.of(Docs.audit(stored.body()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The outcome of one attempt of a verification, and whether the trail moved while it ran. */
  private record Checked(Optional<String> problem, boolean retry) {}

  private final class Log implements AuditLog {
    private final String model;

    Log(String model) {
      this.model = model;
    }

    /** A model's stored records up to a sequence, in sequence order. */
    private List<StoredRecord> raw(String name, long upTo) {
      List<StoredRecord> out = new ArrayList<>();
      String last = key(name, upTo);
      for (long offset = 0; ; offset += 1000) {
        long from = offset;
        // In key order, which is sequence order: keys are the model and the zero-padded sequence.
        var page = store.transact(tx -> tx.query(RecordQuery.in(COLLECTION).keyPrefix(name + "/")
            .limit(1000).offset(from)));
        for (StoredRecord r : page.items()) {
          if (upTo != Long.MAX_VALUE && r.key().length() == last.length() && r.key().compareTo(last) > 0) {
            return out;
          }
          out.add(r);
        }
        if (!page.hasMore()) {
          return out;
        }
      }
    }

    /**
     * The model's own trail, preceded by the trails of the names it was renamed from, each up to its rename record:
     * a trail whose first record is a rename into this name continues the old name's trail.
     */
    private List<Segment> segments() {
      java.util.LinkedList<Segment> out = new java.util.LinkedList<>();
      List<StoredRecord> first = raw(model, Long.MAX_VALUE);
      out.add(new Segment(model, first));
      String current = model;
      while (!first.isEmpty() && out.size() < 10_000) {
        AuditRecord r;
        try {
          r = Docs.audit(first.get(0).body());
        } catch (RuntimeException e) {
          break; // reported by the chain check
        }
        String from = r.before().get("model");
        String upTo = r.before().get("sequence");
        if (!RENAME.equals(r.action()) || r.sequence() != 1 || !current.equals(r.after().get("model")) || from == null
            || upTo == null || !upTo.matches("[0-9]{1,18}")) {
          break;
        }
        first = raw(from, Long.parseLong(upTo));
        out.addFirst(new Segment(from, first));
        current = from;
      }
      return out;
    }

    @Override
    public List<AuditRecord> records() {
      List<AuditRecord> out = new ArrayList<>();
      for (Segment segment : segments()) {
        for (StoredRecord r : segment.records()) {
          out.add(Docs.audit(r.body()));
        }
      }
      return out;
    }

    /**
     * One page, newest first, in one transaction: the head, the page's records of each name it spans (read from the
     * nearer end of that name's records) and the first record of each name it runs past, to find the older name.
     */
    @Override
    public Page<AuditRecord> records(int limit, long offset) {
      AuditLog.requirePage(limit, offset);
      return store.transact(tx -> {
        List<AuditRecord> out = new ArrayList<>();
        String name = model;
        long count = lastSequence(tx, model);
        long skip = offset;
        for (int segment = 0; segment < 10_000; segment++) {
          if (skip >= count) {
            skip -= count;
          } else {
            int need = (int) Math.min(limit - out.size(), count - skip);
            out.addAll(newestFirst(tx, name, count, skip, need));
            if (skip + need < count) {
              return new Page<>(out, offset, true);
            }
            skip = 0;
          }
          Optional<AuditRecord> first = tx.get(COLLECTION, key(name, 1)).flatMap(AuditTrail::readable);
          String from = first.map(r -> r.before().get("model")).orElse(null);
          String upTo = first.map(r -> r.before().get("sequence")).orElse(null);
          if (first.isEmpty() || !RENAME.equals(first.get().action()) || from == null || upTo == null
              || !upTo.matches("[0-9]{1,18}") || !name.equals(first.get().after().get("model"))) {
            return new Page<>(out, offset, false);
          }
          if (out.size() == limit) {
            return new Page<>(out, offset, Long.parseLong(upTo) > 0);
          }
          name = from;
          count = Long.parseLong(upTo);
        }
        return new Page<>(out, offset, false);
      });
    }

    /**
     * Records {@code count - skip} down to {@code count - skip - need + 1} of a name's trail, newest first. The name's
     * trail may run past {@code count} (a name reused after a rename); the query starts from whichever end of its
     * records is nearer, so a page deep in a long trail costs no more than one near its head.
     */
    private List<AuditRecord> newestFirst(Transaction tx, String name, long count, long skip, int need) {
      long fromTop = lastSequence(tx, name) - count + skip;
      long fromBottom = Math.max(0, count - skip - need);
      RecordQuery q = RecordQuery.in(COLLECTION).keyPrefix(name + "/").limit(need);
      List<AuditRecord> out = new ArrayList<>();
      if (fromTop <= fromBottom) {
        tx.query(q.orderByKey(false).offset(fromTop)).items().forEach(r -> out.add(Docs.audit(r.body())));
      } else {
        tx.query(q.orderByKey(true).offset(fromBottom)).items().forEach(r -> out.add(Docs.audit(r.body())));
        java.util.Collections.reverse(out);
      }
      return out;
    }

    @Override
    public Optional<String> verify() {
      Optional<String> problem = Optional.empty();
      // A write that commits while the trail is read moves the head; the check is then run again on a fresh read.
      for (int attempt = 0; attempt < 5; attempt++) {
        List<AuditRecord> records = new ArrayList<>();
        List<Segment> segments = segments();
        Optional<String> chain = chain(segments, records);
        if (chain.isPresent()) {
          return chain;
        }
        int own = segments.get(segments.size() - 1).records().size();
        String last = own == 0 ? null : own + ":" + records.get(records.size() - 1).hash();
        Checked checked = store.transact(tx -> {
          Optional<StoredRecord> head = tx.get(HEADS, model);
          Optional<String> headProblem = head(head, last, own);
          if (headProblem.isPresent()) {
            return new Checked(headProblem, true);
          }
          Optional<String> state = AuditCrossCheck.check(tx, model, records);
          // Every change of the state moves the head in its own transaction, so an unmoved head means the state read
          // belongs to the trail read.
          boolean moved = !tx.get(HEADS, model).map(StoredRecord::body).equals(head.map(StoredRecord::body));
          return new Checked(state, moved);
        });
        problem = checked.problem();
        if (!checked.retry()) {
          return problem;
        }
      }
      return problem;
    }

    /**
     * Checks the hash chain of the stored records and collects them; returns the first bad record. The chain runs on
     * from one segment to the next: the first record of a renamed model's trail follows the old name's rename record.
     */
    private Optional<String> chain(List<Segment> segments, List<AuditRecord> into) {
      String previous = ZERO;
      for (Segment segment : segments) {
        Optional<String> problem = chain(segment.model(), segment.records(), previous, into);
        if (problem.isPresent()) {
          return problem;
        }
        previous = into.isEmpty() ? ZERO : into.get(into.size() - 1).hash();
      }
      return Optional.empty();
    }

    private Optional<String> chain(String model, List<StoredRecord> raw, String first, List<AuditRecord> into) {
      String previous = first;
      long expected = 1;
      for (StoredRecord stored : raw) {
        AuditRecord r;
        try {
          r = Docs.audit(stored.body());
        } catch (RuntimeException e) {
          return Optional.of("audit record " + stored.key() + " of model '" + model + "' cannot be read: it was "
              + "edited (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        if (r.sequence() != expected) {
          return Optional.of("audit record " + expected + " of model '" + model + "' is missing: record "
              + r.sequence() + " follows record " + (expected - 1) + "; a record was deleted");
        }
        if (!stored.key().equals(key(model, r.sequence()))) {
          return Optional.of("audit record " + r.sequence() + " of model '" + model + "' is stored under "
              + stored.key() + "; records were moved");
        }
        if (!r.model().equals(model)) {
          return Optional.of("audit record " + r.sequence() + " of model '" + model + "' belongs to model '"
              + r.model() + "'; records were moved");
        }
        if (!r.previousHash().equals(previous)) {
          return Optional.of("audit record " + r.sequence() + " of model '" + model + "' does not follow record "
              + (r.sequence() - 1) + ": its previous hash differs; records were reordered or replaced");
        }
        if (!hash(r).equals(r.hash())) {
          return Optional.of("audit record " + r.sequence() + " of model '" + model + "' was edited: its content "
              + "does not match its hash");
        }
        into.add(r);
        previous = r.hash();
        expected++;
      }
      return Optional.empty();
    }

    /** Checks that the head names the last record; the head is what an append continues from. */
    private Optional<String> head(Optional<StoredRecord> head, @Nullable String last, int count) {
      if (head.isPresent() && !head.get().body().equals(last)) {
        String body = head.get().body();
        return Optional.of("the audit trail of model '" + model + "' ends at record " + count
            + " but its head says " + (body.indexOf(':') < 0 ? body : body.substring(0, body.indexOf(':')))
            + "; records at the end were deleted or the head was edited");
      }
      if (head.isEmpty() && count > 0) {
        return Optional.of("the audit trail of model '" + model + "' has records but no head; it was edited");
      }
      return Optional.empty();
    }

    @Override
    public OptionalInt stageAt(Stage stage, Instant time) {
      Map<Integer, Stage> stages = new LinkedHashMap<>();
      int latest = 0;
      for (AuditRecord r : records()) {
        if (r.at().isAfter(time)) {
          break;
        }
        if (r.action().equals("PROMOTE") || r.action().equals("ROLLBACK") || r.action().equals("DEMOTE")
            || r.action().equals("DELETE_MODEL")) {
          String archived = r.after().get("archived");
          if (archived != null) {
            RegistryImpl.parseList(archived).forEach(a -> stages.put(a, Stage.ARCHIVED));
          }
          if (r.action().equals("DELETE_MODEL")) {
            continue;
          }
          Stage to = Stage.valueOf(r.after().get("stage"));
          stages.put(r.version(), to);
          if (to == stage) {
            latest = r.version();
          }
        }
      }
      if (latest != 0 && stages.get(latest) == stage) {
        return OptionalInt.of(latest);
      }
      for (Map.Entry<Integer, Stage> e : stages.entrySet()) {
        if (e.getValue() == stage) {
          return OptionalInt.of(e.getKey());
        }
      }
      return OptionalInt.empty();
    }

    @Override
    public OptionalInt aliasAt(String alias, Instant time) {
      int current = 0;
      for (AuditRecord r : records()) {
        if (r.at().isAfter(time)) {
          break;
        }
        if (r.action().equals("SET_ALIAS") && alias.equals(r.after().get("alias"))) {
          current = Integer.parseInt(r.after().get("version"));
        } else if (r.action().equals("REMOVE_ALIAS") && alias.equals(r.before().get("alias"))) {
          current = 0;
        }
      }
      return current == 0 ? OptionalInt.empty() : OptionalInt.of(current);
    }
  }
}
