package dev.opskit.ml;

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
   * Checks the chain: every record's hash matches its content and the hash before it, and sequences have no gap.
   *
   * @return the first bad record's description, or empty if the trail is intact
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
