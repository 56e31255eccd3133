package dev.opskit.ml.internal;

import dev.opskit.OpsException;
import dev.opskit.ml.Stage;
import dev.opskit.ml.promotion.GateSpec;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionPolicy;
import dev.opskit.store.StoredRecord;
import dev.opskit.store.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The promotion policies stored in the workspace, one record per model in {@value #COLLECTION}, keyed by the model
 * name. The body is the policy in canonical JSON, its gates as {@link GateSpec}s; the audit record of each change holds
 * the same JSON, so that the audit cross-check can tell that the stored policy is the one last set. A promotion reads
 * the record in its snapshot and checks in its own transaction that the record did not change in between.
 */
final class PolicyStore {
  static final String COLLECTION = "model-policy";

  private PolicyStore() {}

  /** The body of a policy record. */
  record PolicyDoc(Map<String, List<GateSpec>> gates, List<GateSpec> rollbackGates, int maxStaging, boolean fourEyes,
      boolean autoArchive, boolean rollbackAllowed) {
    PolicyDoc {
      gates = new TreeMap<>(gates);
      rollbackGates = List.copyOf(rollbackGates);
    }
  }

  /** A model's stored policy as read in a transaction: the policy, and the record's version (0 when none). */
  record Stored(PromotionPolicy policy, long recordVersion, Optional<String> body) {}

  static Stored read(Transaction tx, String model) {
    Optional<StoredRecord> r = tx.get(COLLECTION, model);
    if (r.isEmpty()) {
      return new Stored(PromotionPolicy.defaults(), 0, Optional.empty());
    }
    return new Stored(decode(model, r.get().body()), r.get().version(), Optional.of(r.get().body()));
  }

  /** The version of the stored record, 0 when none. */
  static long recordVersion(Transaction tx, String model) {
    return tx.get(COLLECTION, model).map(StoredRecord::version).orElse(0L);
  }

  /**
   * Stores a policy's canonical JSON in the caller's transaction, after the audit record that sets it: on PostgreSQL
   * under {@code PostgresAuditRoles} the database accepts a policy only if it is the one in the model's last audit
   * record.
   */
  static void write(Transaction tx, String model, String body, Optional<StoredRecord> existing) {
    if (existing.isPresent()) {
      tx.update(existing.get(), body, Map.of("model", model));
    } else {
      tx.insert(COLLECTION, model, body, Map.of("model", model));
    }
  }

  /** The canonical JSON of a policy whose gates all have a spec. */
  static String encode(PromotionPolicy policy) {
    List<String> unstorable = policy.unstorableGates();
    if (!unstorable.isEmpty()) {
      throw new IllegalArgumentException("the policy has gates that are only code and cannot be stored in the "
          + "workspace: " + unstorable + "; use the gates of Gates, or register your own with NamedGates and store "
          + "Gates.named(its name)");
    }
    Map<String, List<GateSpec>> gates = new TreeMap<>();
    for (Stage stage : Stage.values()) {
      if (policy.declares(stage)) {
        gates.put(stage.name(), specs(policy.gatesFor(stage)));
      }
    }
    return Docs.write(new PolicyDoc(gates, specs(policy.rollbackGates()), policy.maxStaging(), policy.fourEyes(),
        policy.autoArchive(), policy.rollbackAllowed()));
  }

  private static List<GateSpec> specs(List<PromotionGate> gates) {
    List<GateSpec> out = new ArrayList<>();
    for (PromotionGate g : gates) {
      out.add(g.spec().orElseThrow());
    }
    return out;
  }

  /**
   * Rebuilds a stored policy. A record that cannot be read fails the caller, so that no promotion passes a policy it
   * could not read; a gate of an unknown kind becomes one that fails ({@link Gates#fromSpec}).
   */
  static PromotionPolicy decode(String model, String body) {
    try {
      PolicyDoc doc = Docs.JSON.readValue(body, PolicyDoc.class);
      PromotionPolicy.Builder b = PromotionPolicy.builder();
      doc.gates().forEach((stage, specs) -> b.gates(Stage.valueOf(stage), gates(specs)));
      b.rollbackGates(gates(doc.rollbackGates()));
      return b.maxStaging(doc.maxStaging()).fourEyes(doc.fourEyes()).autoArchive(doc.autoArchive())
          .rollbackAllowed(doc.rollbackAllowed()).build();
    } catch (RuntimeException e) {
      throw new OpsException("the stored promotion policy of model '" + model + "' cannot be read ("
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); nothing is promoted until it is set "
          + "again with setPolicy, and the audit trail's verify() tells whether it was edited", e);
    }
  }

  private static PromotionGate[] gates(List<GateSpec> specs) {
    PromotionGate[] out = new PromotionGate[specs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Gates.fromSpec(specs.get(i));
    }
    return out;
  }
}
