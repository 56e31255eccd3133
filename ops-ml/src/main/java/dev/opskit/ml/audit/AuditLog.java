package dev.opskit.ml.audit;

import dev.opskit.Page;
import dev.opskit.ml.Stage;
import java.time.Instant;
import java.util.ArrayList;
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

  /** The largest page {@link #records(int, long)} returns. */
  int MAX_PAGE = 1000;

  /**
   * Returns one page of the trail, newest record first; a renamed model's page runs on into the trail of the name it
   * was renamed from, as {@link #records()} does. The built-in log reads a fixed number of records whatever the
   * length of the trail (the head, the page, and the first record of each older name reached), so a console can show
   * a trail of any size one page at a time. This default reads {@link #records()} and keeps one page of it.
   *
   * <p>Example: {@code log.records(50, 0)} gives the 50 latest records; {@code page.nextOffset()} the next page.
   *
   * @param limit the page size, from 1 to {@value #MAX_PAGE}
   * @param offset how many of the newest records to skip, at least 0
   * @return one page, newest first; {@code hasMore} tells whether older records follow
   * @throws IllegalArgumentException if the limit or the offset is out of range
   * @since 0.1.0
   */
  default Page<AuditRecord> records(int limit, long offset) {
    requirePage(limit, offset);
    List<AuditRecord> all = records();
    List<AuditRecord> page = new ArrayList<>();
    for (long i = all.size() - 1 - offset; i >= 0 && page.size() < limit; i--) {
      page.add(all.get((int) i));
    }
    return new Page<>(page, offset, all.size() - offset > limit);
  }

  /**
   * Checks the arguments of {@link #records(int, long)}.
   *
   * @param limit the page size
   * @param offset how many to skip
   * @throws IllegalArgumentException naming the value and the rule if either is out of range
   * @since 0.1.0
   */
  static void requirePage(int limit, long offset) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", got " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
  }

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
