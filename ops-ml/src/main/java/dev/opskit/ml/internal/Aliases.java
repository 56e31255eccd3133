package dev.opskit.ml.internal;

import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.ModelVersionStatus;
import dev.opskit.ml.access.Action;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Aliases: one record per alias ({@value RegistryImpl#ALIASES}, keyed {@code <model>@<alias>}, its body the version
 * number), mirrored in the versions' records so that a page of versions carries each version's aliases. Setting an
 * alias that exists moves it and audits the old and the new target; removing one that does not exist returns nothing.
 * Every change writes the alias and version records, then the model's head, then the audit record, in the registry's one
 * lock order. Thread-safe.
 */
final class Aliases {
  private final RegistryImpl registry;
  private final MetadataStore store;

  Aliases(RegistryImpl registry) {
    this.registry = registry;
    this.store = registry.store;
  }

  Map<String, Integer> in(Transaction tx, String model) {
    Map<String, Integer> out = new TreeMap<>();
    for (StoredRecord r : tx.query(RecordQuery.in(RegistryImpl.ALIASES).keyPrefix(model + "@").limit(1000)).items()) {
      out.put(r.string("alias").orElseThrow(), Integer.parseInt(r.body()));
    }
    return out;
  }

  Map<String, Integer> of(String model) {
    RegistryImpl.modelName(model);
    return store.transact(tx -> in(tx, model));
  }

  int set(String model, String alias, int number, Actor actor) {
    RegistryImpl.modelName(model);
    RegistryImpl.checkAlias(alias);
    registry.authorize(actor, Action.SET_ALIAS, model, number);
    int previous = registry.retrying(() -> store.transact(tx -> {
      Instant now = registry.clock.instant();
      ModelVersion target = VersionRecords.readVersion(tx, model, number);
      if (target.status() != ModelVersionStatus.READY) {
        throw new IllegalStateException("alias '" + alias + "' cannot point at " + model + " v" + number + ", which is "
            + target.status() + "; only READY versions take aliases");
      }
      Optional<StoredRecord> existing = tx.get(RegistryImpl.ALIASES, RegistryImpl.aliasKey(model, alias));
      int old = existing.map(r -> Integer.parseInt(r.body())).orElse(0);
      if (old == number) {
        return old;
      }
      Map<String, Object> attrs = Map.of("model", model, "alias", alias, "version", (long) number);
      if (existing.isPresent()) {
        tx.update(existing.get(), Integer.toString(number), attrs);
        moveAlias(tx, model, old, alias, false, now);
      } else {
        tx.insert(RegistryImpl.ALIASES, RegistryImpl.aliasKey(model, alias), Integer.toString(number), attrs);
      }
      moveAlias(tx, model, number, alias, true, now);
      Map<String, String> before = old == 0 ? Map.of() : Map.of("version", Integer.toString(old));
      ModelHeads.modelChanged(tx, model, now);
      registry.audit.append(tx, model, Action.SET_ALIAS.name(), actor, now, number, before,
          Map.of("alias", alias, "version", Integer.toString(number)), "", List.of());
      return old;
    }));
    if (previous != number) {
      registry.hub().publish("onAliasSet", l -> l.onAliasSet(model, alias, previous, number));
    }
    return previous;
  }

  /** Adds an alias to, or removes it from, a version's record. */
  private void moveAlias(Transaction tx, String model, int number, String alias, boolean add, Instant now) {
    Optional<StoredRecord> r = tx.get(RegistryImpl.VERSIONS, VersionRecords.versionKey(model, number));
    if (r.isEmpty()) {
      return;
    }
    Docs.VersionDoc doc = Docs.version(r.get().body());
    TreeSet<String> aliases = new TreeSet<>(doc.version().aliases());
    if (add) {
      aliases.add(alias);
    } else {
      aliases.remove(alias);
    }
    ModelVersion v = VersionRecords.withState(doc.version(), doc.version().status(), doc.version().stage(), doc.version().artifact(),
        new ArrayList<>(aliases), now);
    VersionRecords.writeVersion(tx, r.get(), v, doc.deleted());
  }

  boolean remove(String model, String alias, Actor actor) {
    RegistryImpl.modelName(model);
    RegistryImpl.checkAlias(alias);
    registry.authorize(actor, Action.SET_ALIAS, model, 0);
    int previous = registry.retrying(() -> store.transact(tx -> removeIn(tx, model, alias, actor, "")));
    if (previous > 0) {
      registry.hub().publish("onAliasRemoved", l -> l.onAliasRemoved(model, alias, previous));
    }
    return previous > 0;
  }

  int removeIn(Transaction tx, String model, String alias, Actor actor, String reason) {
    Optional<StoredRecord> existing = tx.get(RegistryImpl.ALIASES, RegistryImpl.aliasKey(model, alias));
    if (existing.isEmpty()) {
      return 0;
    }
    Instant now = registry.clock.instant();
    int old = Integer.parseInt(existing.get().body());
    tx.delete(existing.get());
    moveAlias(tx, model, old, alias, false, now);
    ModelHeads.modelChanged(tx, model, now);
    registry.audit.append(tx, model, "REMOVE_ALIAS", actor, now, old, Map.of("alias", alias, "version", Integer.toString(old)),
        Map.of(), reason, List.of());
    return old;
  }
}
