package dev.opskit.ml.internal;

import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoreConflictException;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
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
 * <p>Workspaces written before this record existed have none: a lookup then walks the versions' keys newest first (a
 * primary-key range read), and the next change to the model writes the record.
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
   */
  record Head(int ready, Instant updatedAt, @Nullable String gone) {
    Head(int ready, Instant updatedAt) {
      this(ready, updatedAt, null);
    }
  }

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
        later(before.updatedAt(), at)));
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
      write(tx, v.model(), null, new Head(rebuilt.ready(), later(rebuilt.updatedAt(), at)));
      return;
    }
    boolean ready = v.status() == ModelVersionStatus.READY && !deleted;
    int latest = before.ready();
    if (ready && v.number() > latest) {
      latest = v.number();
    } else if (!ready && v.number() == latest) {
      latest = newestReady(tx, v.model());
    }
    write(tx, v.model(), r.get(), new Head(latest, later(before.updatedAt(), at)));
  }

  /**
   * Records in the caller's transaction that the model itself changed (its description or tags).
   *
   * @param tx the transaction
   * @param model the model
   * @param at when it changed
   */
  static void modelChanged(Transaction tx, String model, Instant at) {
    Optional<StoredRecord> r = tx.get(COLLECTION, model);
    Head before = r.map(x -> parse(x.body())).or(() -> rebuilt(tx, model)).orElse(new Head(0, at));
    write(tx, model, r.orElse(null), new Head(before.ready(), later(before.updatedAt(), at), before.gone()));
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
    write(tx, model, r.orElse(null), new Head(0, later(before, at), "deleted"));
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
    write(tx, from, r.orElse(null), new Head(0, later(before.updatedAt(), at), "renamed:" + to));
    write(tx, to, tx.get(COLLECTION, to).orElse(null), new Head(before.ready(), later(before.updatedAt(), at)));
  }

  private static void write(Transaction tx, String model, @Nullable StoredRecord previous, Head head) {
    String body = head.ready() + " " + head.updatedAt() + (head.gone() == null ? "" : " " + head.gone());
    Map<String, Object> attributes = head.gone() == null ? Map.of(UPDATED_AT, head.updatedAt())
        : Map.of(UPDATED_AT, head.updatedAt(), GONE, true);
    if (previous == null) {
      tx.insert(COLLECTION, model, body, attributes);
    } else if (!previous.body().equals(body) || !previous.attributes().containsKey(UPDATED_AT)
        || previous.attributes().containsKey(GONE) != (head.gone() != null)) {
      // the body holds the time too: an equal body means equal attributes, whatever precision the store keeps
      tx.update(previous, body, attributes);
    }
  }

  private static Head parse(String body) {
    String[] parts = body.split(" ", 3);
    return new Head(Integer.parseInt(parts[0]), Instant.parse(parts[1]), parts.length > 2 ? parts[2] : null);
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
