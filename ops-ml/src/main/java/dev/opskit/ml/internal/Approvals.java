package dev.opskit.ml.internal;

import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.ml.internal.input.Principals;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Approvals of a version for a stage, which a promotion's approval gates count: one record per actor, version and
 * stage ({@value RegistryImpl#APPROVALS}, keyed {@code <version key>/<stage>/<actor hash>}, so one version's approvals
 * for one stage are a key range), each audited. Actors compare by canonical id, and the policy's four-eyes rule keeps
 * the version's registrant from approving it. Thread-safe.
 */
final class Approvals {
  private final RegistryImpl registry;
  private final MetadataStore store;

  Approvals(RegistryImpl registry) {
    this.registry = registry;
    this.store = registry.store;
  }

  /** The actors who approved a version for a stage, each once, in the order they approved. */
  static List<Actor> in(Transaction tx, String model, int number, Stage stage) {
    // A set of actors, which compare by canonical id: approvals recorded under two spellings of one id count once.
    Set<Actor> out = new LinkedHashSet<>();
    // approval keys are <version key>/<stage>/<actor hash>: one version's approvals for one stage are a key range
    for (StoredRecord r : tx.query(RecordQuery.in(RegistryImpl.APPROVALS).keyPrefix(VersionRecords.versionKey(model, number) + "/" + stage.name()
        + "/").orderBy("at", true).limit(1000)).items()) {
      out.add(Actor.of(r.string("actor").orElseThrow()));
    }
    return List.copyOf(out);
  }

  void approve(String model, int number, Stage stage, Actor actor, String reason) {
    RegistryImpl.modelName(model);
    Objects.requireNonNull(stage, "stage");
    Arguments.text("reason", reason);
    registry.authorize(actor, Action.APPROVE, model, number);
    PromotionPolicy policy = registry.policyOf(model);
    registry.retrying(() -> store.transact(tx -> {
      ModelVersion v = VersionRecords.readVersion(tx, model, number);
      if (policy.fourEyes() && Principals.canonical(v.registeredBy()).equals(actor.id())) {
        throw new IllegalStateException("actor '" + actor + "' registered " + model + " v" + number
            + " and cannot approve it: the four-eyes rule needs someone else (a policy can turn it off)");
      }
      String key = VersionRecords.versionKey(model, number) + "/" + stage.name() + "/" + RegistryImpl.sha(actor.id()).substring(0, 24);
      if (tx.get(RegistryImpl.APPROVALS, key).isPresent()) {
        throw new IllegalStateException("actor '" + actor + "' already approved " + model + " v" + number + " for "
            + stage + "; an actor approves once");
      }
      Instant now = registry.clock.instant();
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put("model", model);
      attrs.put("version", (long) number);
      attrs.put("stage", stage.name());
      attrs.put("actor", actor.principal());
      attrs.put("at", now);
      tx.insert(RegistryImpl.APPROVALS, key, reason, attrs);
      ModelHeads.modelChanged(tx, model, now);
      registry.audit.append(tx, model, Action.APPROVE.name(), actor, now, number, Map.of(), Map.of("stage", stage.name()),
          reason, List.of());
      return null;
    }));
  }
}
