package dev.opskit.ml.internal;

import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Per model, a small pointer record that answers in one key lookup what would otherwise be an ordered walk over its
 * versions: the newest READY version ({@code models:/m/latest}) and when the model or any of its versions last changed
 * ({@link dev.opskit.ml.RegisteredModel#updatedAt()}). Collection {@value #COLLECTION}, keyed by model name. Its
 * attributes are {@value #UPDATED_AT}, which a model search ordered by last update reads, and {@value #GONE} once the
 * name's model was deleted or renamed: one attribute row rewritten per change, the price of that order.
 *
 * <p>The record is written in the transaction that writes a version, so it is never behind what the versions say. It
 * is one more row that concurrent writers of one model both update; they already both update the model's audit head,
 * so this adds no new contention, and a lost race is a conflict that the registry retries from fresh reads. Every
 * transaction writes it after its version, alias and stage rows and before the audit record: one lock order, so two
 * transactions never wait on each other's rows (written between two version rows, it deadlocked under load).
 *
 * <p>The record also holds the highest version number the model used (so that a page of models needs no read per
 * model), and copies of the model record's searchable attributes (its {@code name}, {@code description} and
 * {@code tags.<key>}), so that a model search ordered by last update takes the same filters as the others. The copies
 * are written when the model record changes, which is rare, and carried over, unchanged, by every other write: the
 * store rewrites only the attributes that change.
 *
 * <p>Workspaces written before this record existed have none: a lookup then walks the versions' keys newest first (a
 * primary-key range read), and the next change to the model writes the record. A head written before it held the
 * highest number and the copies gets them at the model's next change; until then a page of models reads it alone.
 */
final class ModelHeads {
  static final String COLLECTION = "model-head";
  /** The attribute of the last change, which a model search ordered by last update reads. */
  static final String UPDATED_AT = "updated_at";
  /** The attribute of a head whose model was deleted or renamed: true, and absent while the model exists. */
  static final String GONE = "gone";

  private ModelHeads() {}

  /**
   * The body of a head record.
   *
   * @param ready the newest READY, undeleted version, or 0
   * @param updatedAt when the model or one of its versions last changed
   * @param gone null while the model exists under this name; {@code deleted} or {@code renamed:<new name>} once it is
   *     gone, until a model is created under the name again
   * @param highest the highest version number the model used, deleted versions included, or {@value #UNKNOWN}
   */
  record Head(int ready, Instant updatedAt, @Nullable String gone, int highest) {
    Head(int ready, Instant updatedAt) {
      this(ready, updatedAt, null, UNKNOWN);
    }

    /** Whether the highest number is known. */
    boolean knowsHighest() {
      return highest >= 0;
    }
  }

  /** The highest number of a head written before heads held it. */
  static final int UNKNOWN = -1;

  /**
   * The model's head, from its record or, for a model written before heads existed, from its versions.
   *
   * @param tx the transaction
   * @param model the model
   * @return the head, or empty if the model has no record of one and no versions
   */
  static Optional<Head> read(Transaction tx, String model) {
    Optional<StoredRecord> r = tx.get(COLLECTION, model);
    if (r.isPresent()) {
      return Optional.of(parse(r.get().body()));
    }
    return rebuilt(tx, model);
  }

  /**
   * The newest READY, undeleted version's number.
   *
   * @param tx the transaction
   * @param model the model
   * @return the number, or 0 if it has none
   */
  static int latestReady(Transaction tx, String model) {
    Optional<StoredRecord> r = tx.get(COLLECTION, model);
    return r.isPresent() ? parse(r.get().body()).ready() : newestReady(tx, model);
  }

  /**
   * Records in the caller's transaction that a model is created under a name whose model was deleted or renamed (or
   * never existed): the head no longer says the name's model is gone.
   *
   * @param tx the transaction
   * @param model the model
   * @param at when it was created
   */
  static void revived(Transaction tx, String model, Instant at) {
    Optional<StoredRecord> r = tx.get(COLLECTION, model);
    Head before = r.map(x -> parse(x.body())).orElse(new Head(0, at));
    write(tx, model, r.orElse(null), new Head(before.gone() == null ? before.ready() : 0,
        later(before.updatedAt(), at), null, VersionRecords.highestNumber(tx, model)), copiesOf(tx, model));
  }

  /**
   * Records in the caller's transaction that a version was written: it may be the newest READY version now, or, deleted
   * or no longer READY, no longer be it; the model changed at {@code at}.
   *
   * @param tx the transaction that wrote the version
   * @param v the version as written
   * @param deleted whether it is deleted
   * @param at when it changed
   */
  static void versionWritten(Transaction tx, ModelVersion v, boolean deleted, Instant at) {
    Optional<StoredRecord> r = tx.get(COLLECTION, v.model());
    Head before = r.map(x -> parse(x.body())).orElse(null);
    if (before != null && before.gone() != null) {
      // The model was deleted or renamed after this transaction found it (a read-committed store lets it read the model
      // record before that commit): the version would be left under a name without a model. Retried, the
      // registration sees the name as it is now.
      throw new StoreConflictException(COLLECTION, v.model(), "model '" + v.model() + "' was " + before.gone()
          + " while " + v + " was being written", null);
    }
    if (before == null) {
      // the version just written is seen by the rebuild, which reads in this transaction
      Head rebuilt = rebuilt(tx, v.model()).orElse(new Head(0, at));
      write(tx, v.model(), null, new Head(rebuilt.ready(), later(rebuilt.updatedAt(), at), null,
          Math.max(VersionRecords.highestNumber(tx, v.model()), v.number())), copiesOf(tx, v.model()));
      return;
    }
    boolean ready = v.status() == ModelVersionStatus.READY && !deleted;
    int latest = before.ready();
    if (ready && v.number() > latest) {
      latest = v.number();
    } else if (!ready && v.number() == latest) {
      latest = newestReady(tx, v.model());
    }
    write(tx, v.model(), r.get(), new Head(latest, later(before.updatedAt(), at), null,
        Math.max(highestOf(tx, v.model(), before), v.number())), null);
  }

  /**
   * Records in the caller's transaction that the model itself changed (its description or tags).
   *
   * @param tx the transaction
   * @param model the model
   * @param at when it changed
   */
  static void modelChanged(Transaction tx, String model, Instant at) {
    changed(tx, model, at, null);
  }

  /**
   * Records in the caller's transaction that the model record changed (its description or tags): the head's copies of
   * its searchable attributes change with it.
   *
   * @param tx the transaction
   * @param model the model
   * @param at when it changed
   * @param modelAttributes the model record's attributes, as written
   */
  static void modelChanged(Transaction tx, String model, Instant at, Map<String, Object> modelAttributes) {
    changed(tx, model, at, copies(modelAttributes));
  }

  private static void changed(Transaction tx, String model, Instant at, @Nullable Map<String, Object> copies) {
    Optional<StoredRecord> r = tx.get(COLLECTION, model);
    Head before = r.map(x -> parse(x.body())).or(() -> rebuilt(tx, model)).orElse(new Head(0, at));
    write(tx, model, r.orElse(null), new Head(before.ready(), later(before.updatedAt(), at), before.gone(),
        highestOf(tx, model, before)), copies);
  }

  /**
   * Records in the caller's transaction that the model was deleted: it has no READY version now.
   *
   * @param tx the transaction
   * @param model the model
   * @param at when it was deleted
   */
  static void cleared(Transaction tx, String model, Instant at) {
    Optional<StoredRecord> r = tx.get(COLLECTION, model);
    Instant before = r.map(x -> parse(x.body()).updatedAt()).orElse(at);
    write(tx, model, r.orElse(null), new Head(0, later(before, at), "deleted", UNKNOWN), null);
  }

  /**
   * Moves a renamed model's head to its new name in the caller's transaction; the model changed at {@code at}.
   *
   * @param tx the transaction
   * @param from the old name
   * @param to the new name, which has no head
   * @param at when it was renamed
   */
  static void moved(Transaction tx, String from, String to, Instant at) {
    Optional<StoredRecord> r = tx.get(COLLECTION, from);
    Head before = r.map(x -> parse(x.body())).or(() -> rebuilt(tx, from)).orElse(new Head(0, at));
    // The old name's head is kept, marked, not deleted: a registration that read the model before the rename then
    // conflicts on it, or reads the mark, rather than writing a version under a name without a model.
    write(tx, from, r.orElse(null), new Head(0, later(before.updatedAt(), at), "renamed:" + to, UNKNOWN), null);
    // the versions moved before the head: the new name's highest number is the old one's
    write(tx, to, tx.get(COLLECTION, to).orElse(null), new Head(before.ready(), later(before.updatedAt(), at), null,
        highestOf(tx, to, before)), copiesOf(tx, to));
  }

  /**
   * Writes a head.
   *
   * @param copies the model record's searchable attributes, or null to keep the previous head's (read from the model
   *     record for a head that has none)
   */
  private static void write(Transaction tx, String model, @Nullable StoredRecord previous, Head head,
      @Nullable Map<String, Object> copies) {
    String body = head.ready() + " " + head.updatedAt() + (head.knowsHighest() ? " #" + head.highest() : "")
        + (head.gone() == null ? "" : " " + head.gone());
    Map<String, Object> attributes = new LinkedHashMap<>();
    if (copies == null && head.gone() == null && (previous == null || !previous.attributes().containsKey(NAME))) {
      copies = copiesOf(tx, model); // a head written before heads held copies gets them now, once
    }
    if (copies != null) {
      attributes.putAll(copies);
    } else if (previous != null) {
      previous.attributes().forEach((name, value) -> {
        if (!name.equals(UPDATED_AT) && !name.equals(GONE)) {
          attributes.put(name, value);
        }
      });
    }
    attributes.put(UPDATED_AT, head.updatedAt());
    if (head.gone() != null) {
      attributes.put(GONE, true);
    }
    if (previous == null) {
      tx.insert(COLLECTION, model, body, attributes);
    } else if (!previous.body().equals(body) || !previous.attributes().containsKey(UPDATED_AT)
        || previous.attributes().containsKey(GONE) != (head.gone() != null)
        || copies != null && !copies.equals(withoutOwn(previous.attributes()))) {
      // the body holds the time too: an equal body means equal attributes, whatever precision the store keeps
      tx.update(previous, body, attributes);
    }
  }

  private static Map<String, Object> withoutOwn(Map<String, Object> attributes) {
    Map<String, Object> out = new LinkedHashMap<>(attributes);
    out.remove(UPDATED_AT);
    out.remove(GONE);
    return out;
  }

  /** The searchable attributes of a model record that a head copies: its name, description and tags. */
  static Map<String, Object> copies(Map<String, Object> modelAttributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    modelAttributes.forEach((name, value) -> {
      if (name.equals(NAME) || name.equals("description") || name.startsWith("tags.")) {
        out.put(name, value);
      }
    });
    return out;
  }

  /** The copies of the model record as this transaction sees it; none if it has no record under the name. */
  private static Map<String, Object> copiesOf(Transaction tx, String model) {
    return tx.get(RegistryImpl.MODELS, model).map(r -> copies(r.attributes())).orElse(Map.of());
  }

  /** The head's highest number or, for a head written before heads held it, the one its version keys say. */
  private static int highestOf(Transaction tx, String model, Head head) {
    return head.knowsHighest() ? head.highest() : VersionRecords.highestNumber(tx, model);
  }

  /** The attribute of a head that names its model, copied from the model record. */
  static final String NAME = "name";

  /**
   * Reads a head's body.
   *
   * @param body {@code <ready> <updatedAt> [#<highest>] [<gone>]}
   * @return the head
   */
  static Head parse(String body) {
    String[] parts = body.split(" ", 4);
    int i = 2;
    int highest = UNKNOWN;
    if (parts.length > i && parts[i].startsWith("#")) {
      highest = Integer.parseInt(parts[i].substring(1));
      i++;
    } else if (parts.length > 3) {
      // a gone mark never holds a space: rejoin what the split cut
      parts = body.split(" ", 3);
    }
    return new Head(Integer.parseInt(parts[0]), Instant.parse(parts[1]), parts.length > i ? parts[i] : null, highest);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * The newest READY, undeleted version, found by walking the model's version keys from the newest: one primary-key
   * range read that stops at the first match. Used when the newest READY version is deleted, and for models without a
   * head record.
   */
  static int newestReady(Transaction tx, String model) {
    List<StoredRecord> found = tx.query(RecordQuery.in(RegistryImpl.VERSIONS).keyPrefix(model + "/")
        .where("status", Op.EQ, ModelVersionStatus.READY.name()).where("deleted", Op.DISTINCT_FROM, true)
        .orderByKey(false).limit(1)).items();
    return found.isEmpty() ? 0 : ((Long) found.get(0).attributes().get("number")).intValue();
  }

  /**
   * A head computed from the versions, for a model written before heads existed (or whose first version this
   * transaction wrote); empty if it has no versions. Finding the latest change of a model with many versions is an
   * ordered read, made once: the next change writes the head.
   */
  private static Optional<Head> rebuilt(Transaction tx, String model) {
    RecordQuery versions = RecordQuery.in(RegistryImpl.VERSIONS).keyPrefix(model + "/");
    List<StoredRecord> newest = tx.query(versions.orderByKey(false).limit(2)).items();
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    if (newest.size() > 1) {
      newest = tx.query(versions.orderBy("updated_at", false).limit(1)).items();
    }
    return Optional.of(new Head(newestReady(tx, model), (Instant) newest.get(0).attributes().get("updated_at")));
  }
}
