package dev.opskit.ml.audit;

import dev.opskit.ml.promotion.GateResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One entry of a model's append-only audit trail. Each record holds the hash of the one before it, so that editing,
 * deleting or reordering records breaks the chain, which {@link AuditLog#verify()} detects.
 *
 * @param model the model
 * @param sequence the record's position in the model's trail, from 1
 * @param action what was done, such as {@code PROMOTE}, or {@code DENIED:PROMOTE} for a refusal
 * @param actor who did it
 * @param at when
 * @param version the version concerned, or 0
 * @param before the state before, such as {@code {"stage": "STAGING"}}
 * @param after the state after
 * @param reason why, as the actor said
 * @param gates the gate results of a promotion or rollback
 * @param previousHash the hash of the previous record, or 64 zeros for the first
 * @param hash this record's hash: SHA-256 of the previous hash and this record's content
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record AuditRecord(String model, long sequence, String action, String actor, Instant at, int version,
    Map<String, String> before, Map<String, String> after, String reason, List<GateResult> gates, String previousHash,
    String hash) {
  /**
   * Checks and copies the components.
   *
   * @param model the model
   * @param sequence the position
   * @param action the action
   * @param actor the actor
   * @param at when
   * @param version the version
   * @param before the state before
   * @param after the state after
   * @param reason the reason
   * @param gates the gate results
   * @param previousHash the previous hash
   * @param hash this hash
   */
  public AuditRecord {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
    before = Map.copyOf(before);
    after = Map.copyOf(after);
    Objects.requireNonNull(reason, "reason");
    gates = List.copyOf(gates);
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
  }
}
