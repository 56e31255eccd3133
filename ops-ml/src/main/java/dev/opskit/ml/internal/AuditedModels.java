package dev.opskit.ml.internal;

import dev.opskit.Page;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.audit.AuditedModel;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The names that have an audit trail, and what became of their models: a name has a trail when its trail has a head
 * ({@value AuditTrail#HEADS}, one per name, keyed by it); the model record, or the name's record of a deleted or
 * renamed model ({@value ModelAdmin#FORMER}), says the rest. This is what lets a deleted model's trail be read and
 * verified, and a name that never had a model nor a trail be refused rather than read as an empty, intact trail.
 * Stateless; thread-safe.
 */
final class AuditedModels {
  /** The most names read for the suggestions of an unknown name's error. */
  static final int SUGGESTED_FROM = 1000;

  private AuditedModels() {}

  /**
   * What became of the model of a name.
   *
   * @return empty if the name has neither a model, nor a deleted or renamed one, nor an audit trail
   */
  static Optional<AuditedModel> of(Transaction tx, String name) {
    if (tx.get(RegistryImpl.MODELS, name).isPresent()) {
      return Optional.of(new AuditedModel(name, AuditedModel.State.REGISTERED, null, null));
    }
    Optional<StoredRecord> former = tx.get(ModelAdmin.FORMER, name);
    if (former.isPresent()) {
      Docs.FormerDoc doc = Docs.former(former.get().body());
      return Optional.of(doc.renamedTo() == null
          ? new AuditedModel(name, AuditedModel.State.DELETED, null, doc.at())
          : new AuditedModel(name, AuditedModel.State.RENAMED, doc.renamedTo(), doc.at()));
    }
    if (tx.get(AuditTrail.HEADS, name).isPresent()) {
      return Optional.of(new AuditedModel(name, AuditedModel.State.NO_MODEL, null, null));
    }
    return Optional.empty();
  }

  /** A page of the names with a trail, in name order: one query, and at most three key lookups per name. */
  static Page<AuditedModel> page(Transaction tx, int limit, long offset) {
    Page<StoredRecord> heads = tx.query(RecordQuery.in(AuditTrail.HEADS).orderByKey(true).limit(limit)
        .offset(offset));
    List<AuditedModel> out = new ArrayList<>(heads.items().size());
    for (StoredRecord head : heads.items()) {
      out.add(of(tx, head.key()).orElseThrow());
    }
    return new Page<>(out, heads.offset(), heads.hasMore());
  }

  /**
   * The error for a name that has nothing to read: no model, no deleted or renamed one, no trail. It suggests the
   * names with a trail closest to it.
   */
  static ModelNotFoundException never(Transaction tx, String name) {
    List<String> named = tx.query(RecordQuery.in(AuditTrail.HEADS).orderByKey(true).limit(SUGGESTED_FROM)).items()
        .stream().map(StoredRecord::key).toList();
    return ModelNotFoundException.neverUsed(name, named);
  }
}
