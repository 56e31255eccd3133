package dev.opskit.ml.audit;

import dev.opskit.ml.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * A model's audit trail: every registry change and refusal, hash-chained.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface AuditLog {
  /**
   * Returns every record, oldest first.
   *
   * @return the records
   */
  List<AuditRecord> records();

  /**
   * Checks the trail and that it explains the registry's state. The chain: every record's hash matches its content and
   * the hash before it, sequences have no gap, and the head names the last record; so an edited, deleted, reordered or
   * truncated record is found. The state: replaying the trail gives every version (its status, artifact, stage,
   * aliases and deletion), every stage pointer, alias, approval and the stored promotion policy as the registry holds
   * them; so a wiped trail, or state written around the registry, is found too. A version still
   * PENDING_REGISTRATION, in no stage and with no alias, is the one state no record explains yet.
   *
   * <p>The check reads the whole trail and the model's records; a change committed meanwhile makes it read again.
   *
   * @return the first problem found, described, or empty if the trail is intact and explains the state
   */
  Optional<String> verify();

  /**
   * Tells which version held a stage at an instant.
   *
   * @param stage the stage
   * @param time the instant
   * @return the version number, or empty if no version held it (for STAGING with several versions, the latest moved
   *     there)
   */
  OptionalInt stageAt(Stage stage, Instant time);

  /**
   * Tells which version an alias pointed at, at an instant.
   *
   * @param alias the alias
   * @param time the instant
   * @return the version number, or empty if the alias did not exist then
   */
  OptionalInt aliasAt(String alias, Instant time);
}
