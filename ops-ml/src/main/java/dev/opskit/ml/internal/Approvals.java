package dev.opskit.ml.internal;

import dev.opskit.Page;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.Action;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.ml.internal.input.Principals;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.store.MetadataStore;
import dev.opskit.store.RecordQuery;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.time.Instant;
import java.util.ArrayList;
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
 * the version's registrant from approving it.
 *
 * <p>An approval counts for the next promotion of its version to its stage only: that promotion uses it up
 * ({@link #consume}, in the promotion's transaction, which records how many it used), whether or not a gate counted
 * it. So a version that leaves the stage and comes back needs new approvals. A version is not approved for the stage it
 * is in, and a stage out of service ({@link Stage#NONE}, {@link Stage#ARCHIVED}) takes approvals only when the model's
 * policy has a gate for it that may count them. Thread-safe.
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
    for (StoredRecord r : tx.query(RecordQuery.in(RegistryImpl.APPROVALS).keyPrefix(prefix(model, number, stage))
        .orderBy("at", true).limit(1000)).items()) {
      out.add(Actor.of(r.string("actor").orElseThrow()));
    }
    return List.copyOf(out);
  }

  /**
   * Deletes a version's approvals for a stage in the caller's transaction: the promotion of the version to the stage
   * uses them up, and a version leaving the stage withdraws any it held for it (recorded by versions of opskit that let
   * them outlive the promotion).
   *
   * @return how many were deleted
   */
  static int consume(Transaction tx, String model, int number, Stage stage) {
    List<StoredRecord> found = new ArrayList<>();
    RecordQuery range = RecordQuery.in(RegistryImpl.APPROVALS).keyPrefix(prefix(model, number, stage)).limit(1000);
    for (long offset = 0; ; offset += 1000) {
      Page<StoredRecord> page = tx.query(range.offset(offset));
      found.addAll(page.items());
      if (!page.hasMore()) {
        break;
      }
    }
    found.forEach(tx::delete);
    return found.size();
  }

  private static String prefix(String model, int number, Stage stage) {
    return VersionRecords.versionKey(model, number) + "/" + stage.name() + "/";
  }

  /**
   * Whether a gate may count approvals: the approvals gate, and gates whose code opskit cannot see (a gate registered
   * by name, or one with no stored description).
   */
  static boolean mayCountApprovals(PromotionGate gate) {
    return gate.spec().map(spec -> spec.kind().equals("approvals") || spec.kind().equals("named")).orElse(true);
  }

  void approve(String model, int number, Stage stage, Actor actor, String reason) {
    RegistryImpl.modelName(model);
    Objects.requireNonNull(stage, "stage");
    Arguments.text("reason", reason);
    PromotionPolicy policy = registry.policyOf(model);
    if ((stage == Stage.NONE || stage == Stage.ARCHIVED)
        && policy.gatesFor(stage).stream().noneMatch(Approvals::mayCountApprovals)) {
      // Demotions and archiving are gated only by the policy's gates for the stage; without one that counts
      // approvals, an approval for it would count for nothing.
      throw new IllegalArgumentException("stage " + stage + ": the promotion policy of model '" + model + "' has no "
          + "gate for " + stage + " that counts approvals, so an approval for " + stage + " would count for nothing; "
          + "approve for STAGING or PRODUCTION, or add Gates.approvals(n) to the policy's gates for " + stage);
    }
    registry.authorize(actor, Action.APPROVE, model, number);
    registry.retrying(() -> store.transact(tx -> {
      // The trail's head first, checked before the append: a promotion that commits after the version was read (a
      // read-committed store lets this transaction see it only then) makes this one conflict and read it again, so
      // an approval never lands after the promotion it was meant for without being refused.
      long trail = AuditTrail.headVersion(tx, model);
      ModelVersion v = VersionRecords.readVersion(tx, model, number);
      if (policy.fourEyes() && Principals.canonical(v.registeredBy()).equals(actor.id())) {
        throw new IllegalStateException("actor '" + actor + "' registered " + model + " v" + number
            + " and cannot approve it: the four-eyes rule needs someone else (a policy can turn it off)");
      }
      if (v.stage() == stage) {
        throw new IllegalStateException(model + " v" + number + " is already in " + stage + "; an approval counts "
            + "for the next promotion of a version to its stage, which uses it up");
      }
      String key = prefix(model, number, stage) + RegistryImpl.sha(actor.id()).substring(0, 24);
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
      // after the first write: on embedded H2, reads before it are not part of the database transaction
      AuditTrail.requireUnmoved(tx, model, trail);
      registry.audit.append(tx, model, Action.APPROVE.name(), actor, now, number, Map.of(), Map.of("stage", stage.name()),
          reason, List.of());
      return null;
    }));
  }
}
