package dev.opskit.ml.internal;

import dev.opskit.Page;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelAlreadyExistsException;
import dev.opskit.ml.ModelNotFoundException;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.RegisteredModel;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.RecordQuery.Op;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Models as a whole: create (only), update, rename, delete, copy a version into another model, and the newest version
 * of each stage. Each write is one transaction of the workspace's metadata store, checked by the registry's
 * authorizer and recorded in the audit trail.
 *
 * <p>A name whose model was deleted or renamed keeps a record in {@value #FORMER}: for a deleted model, the counter
 * that numbered its versions, which a model created again under the name continues (numbers are never reused, and the
 * deleted versions stay under the name); for a renamed one, the new name, which URIs and registrations to the old name
 * then report. A renamed model takes its counter with it ({@link Docs.ModelDoc#counter()}), so a model created again
 * under the old name gets a counter of its own and starts at 1. Thread-safe.
 */
final class ModelAdmin {
  /** Names whose model was deleted or renamed, keyed by name. */
  static final String FORMER = "model-former";

  private final RegistryImpl registry;
  private final MetadataStore store;

  ModelAdmin(RegistryImpl registry) {
    this.registry = registry;
    this.store = registry.store;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Create and update

  /** Creates a model; a null description is none (""), null tags are none, as MLflow takes a model without either. */
  RegisteredModel create(String name, @Nullable String givenDescription, @Nullable Map<String, String> givenTags,
      Actor actor) {
    RegistryImpl.modelName(name);
    String description = Arguments.text("description", givenDescription == null ? "" : givenDescription);
    Map<String, String> tags = Arguments.tags(givenTags == null ? Map.of() : givenTags);
    registry.authorize(actor, Action.CREATE_MODEL, name, 0);
    return registry.retrying(() -> store.transact(tx -> {
      if (tx.get(RegistryImpl.MODELS, name).isPresent()) {
        throw new ModelAlreadyExistsException(name, "createModel creates only: change its description with "
            + "updateModel and its tags with setModelTag or deleteModelTag");
      }
      Instant now = registry.clock.instant();
      Docs.ModelDoc doc = new Docs.ModelDoc(name, description, new TreeMap<>(tags), now, false, counterFor(tx, name));
      tx.insert(RegistryImpl.MODELS, name, Docs.write(doc), RegistryImpl.modelAttributes(doc));
      tx.get(FORMER, name).ifPresent(tx::delete);
      ModelHeads.revived(tx, name, now);
      registry.audit.append(tx, name, Action.CREATE_MODEL.name(), actor, now, 0, Map.of(),
          Map.of("description", description), "", List.of());
      return registry.toModel(tx, doc);
    }));
  }

  /**
   * The record of a model that a transaction creates implicitly (a registration or a copy), or the existing one.
   *
   * @throws ModelNotFoundException naming the new name, for a name whose model was renamed: a registration meant for
   *     the renamed model must not start another one under the old name
   */
  static Docs.ModelDoc ensure(Transaction tx, String name, Instant now) {
    Optional<StoredRecord> existing = tx.get(RegistryImpl.MODELS, name);
    if (existing.isPresent()) {
      Docs.ModelDoc old = Docs.model(existing.get().body());
      if (!old.deleted()) {
        return old;
      }
      // written by versions of opskit that marked deleted models in place
      Docs.ModelDoc doc = new Docs.ModelDoc(name, old.description(), old.tags(), now, false, old.counter());
      tx.update(existing.get(), Docs.write(doc), RegistryImpl.modelAttributes(doc));
      return doc;
    }
    Optional<StoredRecord> former = tx.get(FORMER, name);
    if (former.isPresent() && Docs.former(former.get().body()).renamedTo() != null) {
      throw ModelNotFoundException.renamed(name, Docs.former(former.get().body()).renamedTo());
    }
    Docs.ModelDoc doc = new Docs.ModelDoc(name, "", Map.of(), now, false, counterFor(tx, name));
    tx.insert(RegistryImpl.MODELS, name, Docs.write(doc), RegistryImpl.modelAttributes(doc));
    if (former.isPresent()) {
      tx.delete(former.get());
      ModelHeads.revived(tx, name, now);
    }
    return doc;
  }

  /**
   * The counter of a model created under a name: the deleted model's, which it continues; a fresh one if the model that
   * had the name was renamed and took its counter; the default if the name was never used.
   */
  private static @Nullable String counterFor(Transaction tx, String name) {
    Optional<StoredRecord> former = tx.get(FORMER, name);
    if (former.isEmpty()) {
      return null;
    }
    Docs.FormerDoc doc = Docs.former(former.get().body());
    if (doc.renamedTo() == null) {
      return doc.counter();
    }
    // The trail of the name only grows, so its length names this creation alone.
    return "model-version:" + name + "~" + AuditTrail.lastSequence(tx, name);
  }

  /** Changes a model's description; null clears it, as "" does. */
  RegisteredModel update(String name, @Nullable String givenDescription, Actor actor) {
    RegistryImpl.modelName(name);
    String description = Arguments.text("description", givenDescription == null ? "" : givenDescription);
    registry.authorize(actor, Action.UPDATE_MODEL, name, 0);
    return registry.retrying(() -> store.transact(tx -> {
      StoredRecord record = tx.get(RegistryImpl.MODELS, name).orElseThrow(() -> VersionRecords.noModelIn(tx, name));
      Docs.ModelDoc old = Docs.model(record.body());
      Docs.ModelDoc doc = old.withDescription(description);
      Instant now = registry.clock.instant();
      Map<String, Object> attributes = RegistryImpl.modelAttributes(doc);
      tx.update(record, Docs.write(doc), attributes);
      ModelHeads.modelChanged(tx, name, now, attributes);
      registry.audit.append(tx, name, Action.UPDATE_MODEL.name(), actor, now, 0,
          Map.of("description", old.description()), Map.of("description", description), "", List.of());
      return registry.toModel(tx, doc);
    }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rename

  RegisteredModel rename(String from, String to, Actor actor) {
    RegistryImpl.modelName(from);
    RegistryImpl.modelName(to);
    if (from.equals(to)) {
      throw new IllegalArgumentException("cannot rename model '" + from + "' to its own name");
    }
    registry.authorize(actor, Action.RENAME_MODEL, from, 0);
    registry.authorize(actor, Action.RENAME_MODEL, to, 0);
    RegisteredModel result = registry.retrying(() -> store.transact(tx -> {
      // first: every write of the model appends to its trail, so one that commits while this reads conflicts
      long trail = AuditTrail.headVersion(tx, from);
      StoredRecord model = tx.get(RegistryImpl.MODELS, from).orElseThrow(() -> VersionRecords.noModelIn(tx, from));
      if (tx.get(RegistryImpl.MODELS, to).isPresent()) {
        throw new ModelAlreadyExistsException(to, "model '" + from + "' cannot be renamed onto it; choose a name "
            + "never used");
      }
      List<String> traces = new ArrayList<>();
      if (tx.get(AuditTrail.HEADS, to).isPresent()) {
        traces.add("an audit trail");
      }
      if (tx.get(PolicyStore.COLLECTION, to).isPresent()) {
        traces.add("a promotion policy");
      }
      if (!tx.query(RecordQuery.in(RegistryImpl.VERSIONS).keyPrefix(to + "/").orderByKey(true).limit(1)).items()
          .isEmpty()) {
        traces.add("versions of a deleted model");
      }
      if (!traces.isEmpty()) {
        throw new IllegalStateException("model '" + from + "' cannot be renamed to '" + to + "': that name was used "
            + "before and keeps " + String.join(", ", traces) + ", which the renamed model's would mix with; rename "
            + "onto a name never used");
      }
      Instant now = registry.clock.instant();
      List<StoredRecord> versions = all(tx, RecordQuery.in(RegistryImpl.VERSIONS).keyPrefix(from + "/"));
      for (StoredRecord r : versions) {
        ModelVersion v = Docs.version(r.body()).version();
        if (v.status() == ModelVersionStatus.PENDING_REGISTRATION) {
          throw new IllegalStateException("model '" + from + "' cannot be renamed while " + v.model() + " v"
              + v.number() + " is PENDING_REGISTRATION: its artifact is being stored; try again when it is done");
        }
      }
      for (StoredRecord r : versions) {
        Docs.VersionDoc doc = Docs.version(r.body());
        ModelVersion v = doc.version();
        ModelVersion moved = new ModelVersion(to, v.number(), v.status(), v.stage(), v.artifact(), v.format(),
            v.signature(), v.provenance(), v.tags(), v.aliases(), v.description(), v.registeredBy(), v.createdAt(),
            v.updatedAt(), renamedSource(v.copiedFrom(), from, to));
        tx.delete(r);
        VersionRecords.writeVersion(tx, null, moved, doc.deleted());
      }
      relinkCopies(tx, from, to);
      moveAll(tx, RegistryImpl.ALIASES, RegistryImpl.aliasKey(from, ""), RegistryImpl.aliasKey(to, ""), to);
      for (Stage stage : Stage.values()) {
        moveAll(tx, RegistryImpl.STAGES, RegistryImpl.stageKey(from, stage), RegistryImpl.stageKey(to, stage), to);
      }
      moveAll(tx, RegistryImpl.APPROVALS, from + "/", to + "/", to);
      moveAll(tx, RegistryImpl.IDEMPOTENCY, from + "/", to + "/", to);
      moveAll(tx, RegistryImpl.DATASET_PINS, from + "/", to + "/", to);
      Docs.ModelDoc old = Docs.model(model.body());
      Docs.ModelDoc renamed = new Docs.ModelDoc(to, old.description(), old.tags(), old.createdAt(), false,
          old.counterName());
      tx.delete(model);
      tx.insert(RegistryImpl.MODELS, to, Docs.write(renamed), RegistryImpl.modelAttributes(renamed));
      writeFormer(tx, new Docs.FormerDoc(from, to, null, now));
      ModelHeads.moved(tx, from, to, now);
      AuditTrail.requireUnmoved(tx, from, trail);
      registry.audit.appendRename(tx, from, to, actor, now);
      Optional<StoredRecord> policy = tx.get(PolicyStore.COLLECTION, from);
      if (policy.isPresent()) {
        // The policy follows the model, with the record that sets it in the new name's trail (which the database's
        // audit guard requires of every stored policy); the old name keeps its copy.
        registry.audit.append(tx, to, Action.SET_POLICY.name(), actor, now, 0, Map.of("policy", ""),
            Map.of("policy", policy.get().body()), "follows the model renamed from '" + from + "'", List.of());
        PolicyStore.write(tx, to, policy.get().body(), Optional.empty());
      }
      return registry.toModel(tx, renamed);
    }));
    registry.hub().modelGone(from);
    return result;
  }

  /**
   * Points the copies of the renamed model's versions, in every other model, at the new name: a copy's source is
   * {@code models:/<model>/<number>}, which after the rename would fail (naming the new name) and, once a model is
   * created again under the old name, name another model's version. Found by their {@code source} attribute; each keeps
   * its {@code updatedAt}, as nothing about the copy changed. The copies' audit records keep the URI they were made
   * from.
   */
  private static void relinkCopies(Transaction tx, String from, String to) {
    String prefix = sourcePrefix(from);
    for (StoredRecord r : all(tx, RecordQuery.in(RegistryImpl.VERSIONS).where("source", Op.PREFIX, prefix))) {
      Docs.VersionDoc doc = Docs.version(r.body());
      ModelVersion v = doc.version();
      ModelVersion relinked = new ModelVersion(v.model(), v.number(), v.status(), v.stage(), v.artifact(), v.format(),
          v.signature(), v.provenance(), v.tags(), v.aliases(), v.description(), v.registeredBy(), v.createdAt(),
          v.updatedAt(), renamedSource(v.copiedFrom(), from, to));
      VersionRecords.writeVersion(tx, r, relinked, doc.deleted());
    }
  }

  /** The URI prefix of a model's versions, {@code models:/<model>/}, which copies record as their source. */
  private static String sourcePrefix(String model) {
    return "models:/" + model + "/";
  }

  /** A copy's source after its model was renamed: the same version under the new name; any other source as it is. */
  private static @Nullable String renamedSource(@Nullable String source, String from, String to) {
    String prefix = sourcePrefix(from);
    return source != null && source.startsWith(prefix) ? sourcePrefix(to) + source.substring(prefix.length())
        : source;
  }

  /** Moves every record of a collection whose key starts with {@code prefix} to the same key under {@code into}. */
  private static void moveAll(Transaction tx, String collection, String prefix, String into, String model) {
    for (StoredRecord r : all(tx, RecordQuery.in(collection).keyPrefix(prefix))) {
      Map<String, Object> attrs = new LinkedHashMap<>(r.attributes());
      if (attrs.containsKey("model")) {
        attrs.put("model", model);
      }
      tx.delete(r);
      tx.insert(collection, into + r.key().substring(prefix.length()), r.body(), attrs);
    }
  }

  private static void writeFormer(Transaction tx, Docs.FormerDoc doc) {
    Optional<StoredRecord> existing = tx.get(FORMER, doc.name());
    if (existing.isPresent()) {
      tx.update(existing.get(), Docs.write(doc), Map.of());
    } else {
      tx.insert(FORMER, doc.name(), Docs.write(doc), Map.of());
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Delete

  /** What a model deletion removed: the aliases, by the version they pointed at. */
  private record Deleted(Map<String, Integer> aliases) {}

  void delete(String name, Actor actor, boolean force) {
    RegistryImpl.modelName(name);
    registry.authorize(actor, Action.DELETE_MODEL, name, 0);
    List<Integer> serving = store.transact(tx -> {
      if (tx.get(RegistryImpl.MODELS, name).isEmpty()) {
        throw VersionRecords.noModelIn(tx, name);
      }
      return serving(tx, name);
    });
    if (!serving.isEmpty() && !force) {
      throw servingRefusal(name, serving);
    }
    // Taking versions out of serving is a stage move: the authorizer is asked about each, as for a demotion.
    for (int number : serving) {
      registry.authorize(actor, Action.DEMOTE, name, number);
    }
    Set<Integer> allowed = new TreeSet<>(serving);
    Deleted deleted = registry.retrying(() -> store.transact(tx -> {
      long trail = AuditTrail.headVersion(tx, name); // first: see rename
      StoredRecord model = tx.get(RegistryImpl.MODELS, name).orElseThrow(() -> VersionRecords.noModelIn(tx, name));
      List<Integer> now = serving(tx, name);
      if (!now.isEmpty() && !force) {
        throw servingRefusal(name, now);
      }
      if (!allowed.containsAll(now)) {
        throw new IllegalStateException("model '" + name + "': versions " + now + " moved into STAGING or PRODUCTION "
            + "while it was being deleted; delete it again");
      }
      List<StoredRecord> versions = all(tx, RecordQuery.in(RegistryImpl.VERSIONS).keyPrefix(name + "/"));
      for (StoredRecord r : versions) {
        ModelVersion v = Docs.version(r.body()).version();
        if (v.status() == ModelVersionStatus.PENDING_REGISTRATION) {
          throw new IllegalStateException("model '" + name + "' cannot be deleted while " + name + " v" + v.number()
              + " is PENDING_REGISTRATION: its artifact is being stored; try again when it is done");
        }
      }
      Instant at = registry.clock.instant();
      Map<String, Integer> aliases = new TreeMap<>();
      for (StoredRecord r : all(tx, RecordQuery.in(RegistryImpl.ALIASES).keyPrefix(RegistryImpl.aliasKey(name,
          "")))) {
        aliases.put(r.key().substring(RegistryImpl.aliasKey(name, "").length()), Integer.parseInt(r.body()));
        tx.delete(r);
      }
      for (Stage stage : List.of(Stage.STAGING, Stage.PRODUCTION)) {
        Optional<StoredRecord> pointer = tx.get(RegistryImpl.STAGES, RegistryImpl.stageKey(name, stage));
        if (pointer.isPresent() && !pointer.get().body().isEmpty()) {
          tx.update(pointer.get(), "", pointer.get().attributes());
        }
      }
      for (StoredRecord r : versions) {
        Docs.VersionDoc doc = Docs.version(r.body());
        ModelVersion v = doc.version();
        Stage stage = now.contains(v.number()) ? Stage.ARCHIVED : v.stage();
        if (doc.deleted() && stage == v.stage() && v.aliases().isEmpty()) {
          continue;
        }
        VersionRecords.writeVersion(tx, r, VersionRecords.withState(v, v.status(), stage, v.artifact(), List.of(),
            doc.deleted() ? v.updatedAt() : at), true);
      }
      for (StoredRecord r : all(tx, RecordQuery.in(RegistryImpl.IDEMPOTENCY).keyPrefix(name + "/"))) {
        tx.delete(r);
      }
      Docs.ModelDoc doc = Docs.model(model.body());
      tx.delete(model);
      writeFormer(tx, new Docs.FormerDoc(name, null, doc.counterName(), at));
      ModelHeads.cleared(tx, name, at);
      AuditTrail.requireUnmoved(tx, name, trail);
      for (Map.Entry<String, Integer> alias : aliases.entrySet()) {
        String target = Integer.toString(alias.getValue());
        registry.audit.append(tx, name, "REMOVE_ALIAS", actor, at, alias.getValue(),
            Map.of("alias", alias.getKey(), "version", target), Map.of(), "deleted with model '" + name + "'",
            List.of());
      }
      Map<String, String> after = new LinkedHashMap<>();
      after.put("deleted", "true");
      if (!now.isEmpty()) {
        after.put("archived", RegistryImpl.formatList(now));
      }
      registry.audit.append(tx, name, Action.DELETE_MODEL.name(), actor, at, 0,
          Map.of("versions", Integer.toString(versions.size())), after, force ? "forced" : "", List.of());
      return new Deleted(aliases);
    }));
    deleted.aliases().forEach((alias, number) ->
        registry.hub().publish("onAliasRemoved", l -> l.onAliasRemoved(name, alias, number)));
    registry.hub().modelGone(name);
  }

  private static List<Integer> serving(Transaction tx, String name) {
    List<Integer> out = new ArrayList<>(RegistryImpl.stageHolders(tx, name, Stage.STAGING));
    out.addAll(RegistryImpl.stageHolders(tx, name, Stage.PRODUCTION));
    out.sort(null);
    return out;
  }

  private static IllegalStateException servingRefusal(String name, List<Integer> serving) {
    return new IllegalStateException("model '" + name + "' has versions in STAGING or PRODUCTION ("
        + serving.stream().map(n -> "v" + n).toList() + ") and is not deleted; archive them first, or delete with "
        + "force, which archives them (asked of the authorizer as DEMOTE)");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Copy a version, latest versions

  ModelVersion copy(String model, int number, String toModel, Actor actor) {
    RegistryImpl.modelName(model);
    RegistryImpl.modelName(toModel);
    Arguments.number(number);
    registry.authorize(actor, Action.REGISTER, toModel, 0);
    ModelVersion copy = registry.retrying(() -> store.transact(tx -> {
      // The copy names its source by the source model's name. A rename of that model rewrites the names its copies
      // hold (relinkCopies), so this copy must not commit unseen beside it: both write the source's model record,
      // read first here, and whichever commits second conflicts and runs again, seeing the other.
      StoredRecord sourceModel = tx.get(RegistryImpl.MODELS, model)
          .orElseThrow(() -> VersionRecords.noModelIn(tx, model));
      ModelVersion source = VersionRecords.readVersion(tx, model, number);
      if (source.status() != ModelVersionStatus.READY || source.artifact() == null) {
        throw new IllegalStateException(source + " is " + source.status() + " and cannot be copied; only READY "
            + "versions have an artifact to share");
      }
      tx.update(sourceModel, sourceModel.body(), RegistryImpl.modelAttributes(Docs.model(sourceModel.body())));
      Instant now = registry.clock.instant();
      Docs.ModelDoc target = ensure(tx, toModel, now);
      int next = Math.toIntExact(tx.increment(target.counterName()));
      ModelVersion v = new ModelVersion(toModel, next, ModelVersionStatus.READY, Stage.NONE, source.artifact(),
          source.format(), source.signature(), source.provenance(), source.tags(), List.of(), source.description(),
          actor.principal(), now, now, source.uri());
      VersionRecords.writeVersion(tx, null, v, false);
      Registrations.pin(tx, v);
      ModelHeads.versionWritten(tx, v, false, now);
      Map<String, String> after = new LinkedHashMap<>();
      after.put("status", ModelVersionStatus.READY.name());
      after.put("artifact", source.artifact());
      after.put("copied_from", source.uri());
      registry.audit.append(tx, toModel, Action.REGISTER.name(), actor, now, next, Map.of(), after, "", List.of());
      return v;
    }));
    registry.hub().publish("onRegistered", l -> l.onRegistered(copy));
    return copy;
  }

  Map<Stage, ModelVersion> latest(String model) {
    RegistryImpl.modelName(model);
    return store.transact(tx -> {
      if (tx.get(RegistryImpl.MODELS, model).isEmpty()) {
        throw VersionRecords.noModelIn(tx, model);
      }
      Map<Stage, ModelVersion> out = new EnumMap<>(Stage.class);
      for (Stage stage : Stage.values()) {
        if (stage == Stage.STAGING || stage == Stage.PRODUCTION) {
          // the stage's pointer record: a key lookup; the last holder is the one promoted last
          List<Integer> holders = RegistryImpl.stageHolders(tx, model, stage);
          if (!holders.isEmpty()) {
            out.put(stage, VersionRecords.readVersion(tx, model, holders.get(holders.size() - 1)));
          }
        } else {
          // the model's version keys from the newest, stopping at the first in the stage: a primary-key range read
          List<StoredRecord> newest = tx.query(RecordQuery.in(RegistryImpl.VERSIONS).keyPrefix(model + "/")
              .where("stage", Op.EQ, stage.name()).where("deleted", Op.DISTINCT_FROM, true).orderByKey(false)
              .limit(1)).items();
          if (!newest.isEmpty()) {
            out.put(stage, Docs.version(newest.get(0).body()).version());
          }
        }
      }
      return out;
    });
  }

  /** Every record a query matches, read in pages of 1,000 in key order. */
  static List<StoredRecord> all(Transaction tx, RecordQuery query) {
    List<StoredRecord> out = new ArrayList<>();
    for (long offset = 0; ; offset += 1000) {
      Page<StoredRecord> page = tx.query(query.orderByKey(true).limit(1000).offset(offset));
      out.addAll(page.items());
      if (!page.hasMore()) {
        return out;
      }
    }
  }
}
