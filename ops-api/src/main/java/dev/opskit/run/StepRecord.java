package dev.opskit.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one step in a run.
 *
 * @param step the step name
 * @param status the step's state
 * @param attempts how many attempts started; 0 for a step that did not run
 * @param startedAt when the first attempt started, or null if none did
 * @param endedAt when the step reached its final state, or null while it has not
 * @param error why the step failed, or null
 * @param note why a step did not run, or which run's outputs it reused; an empty string otherwise
 * @param outputs for each output dataset, the id of the version committed (empty without a catalog)
 * @param fingerprint the step's fingerprint for incremental runs, or null without a catalog
 * @param nextAttemptAt while the step is {@link StepStatus#RETRYING}, when its next attempt is due; null otherwise
 * @param progress the last progress the step reported, or null if it reported none
 * @param reason why the step ran or was reused (the same reason {@link RunRequest#explain()} gives), or null for a
 *     step that did not run, and in records written before reasons were recorded
 * @param worker who ran the step's last attempt when a scale-out executor ran it elsewhere (for example a cluster
 *     member's address), or null when it ran in the run's own process or the executor did not say
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record StepRecord(
    String step,
    StepStatus status,
    int attempts,
    @Nullable Instant startedAt,
    @Nullable Instant endedAt,
    @Nullable StepError error,
    String note,
    Map<String, String> outputs,
    @Nullable String fingerprint,
    @Nullable Instant nextAttemptAt,
    @Nullable StepProgress progress,
    @Nullable StepReason reason,
    @Nullable String worker) {

  /**
   * Checks and copies the components.
   *
   * @param step the step name
   * @param status the step's state
   * @param attempts how many attempts started
   * @param startedAt when the first attempt started
   * @param endedAt when the step reached its final state
   * @param error why the step failed
   * @param note why a step did not run
   * @param outputs the committed output versions
   * @param fingerprint the step's fingerprint
   * @param nextAttemptAt when the next attempt is due
   * @param progress the last progress reported
   * @param reason why the step ran or was reused
   * @param worker who ran the last attempt elsewhere
   */
  public StepRecord {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(note, "note");
    outputs = Map.copyOf(Objects.requireNonNull(outputs, "outputs"));
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, got " + attempts);
    }
  }

  /**
   * Creates a record of a step run in the run's own process.
   *
   * @param step the step name
   * @param status the step's state
   * @param attempts how many attempts started
   * @param startedAt when the first attempt started
   * @param endedAt when the step reached its final state
   * @param error why the step failed
   * @param note why a step did not run
   * @param outputs the committed output versions
   * @param fingerprint the step's fingerprint
   * @param nextAttemptAt when the next attempt is due
   * @param progress the last progress reported
   * @param reason why the step ran or was reused
   */
  public StepRecord(String step, StepStatus status, int attempts, @Nullable Instant startedAt,
      @Nullable Instant endedAt, @Nullable StepError error, String note, Map<String, String> outputs,
      @Nullable String fingerprint, @Nullable Instant nextAttemptAt, @Nullable StepProgress progress,
      @Nullable StepReason reason) {
    this(step, status, attempts, startedAt, endedAt, error, note, outputs, fingerprint, nextAttemptAt, progress, reason,
        null);
  }

  /**
   * Creates a record without a reason.
   *
   * @param step the step name
   * @param status the step's state
   * @param attempts how many attempts started
   * @param startedAt when the first attempt started
   * @param endedAt when the step reached its final state
   * @param error why the step failed
   * @param note why a step did not run
   * @param outputs the committed output versions
   * @param fingerprint the step's fingerprint
   * @param nextAttemptAt when the next attempt is due
   * @param progress the last progress reported
   */
  public StepRecord(String step, StepStatus status, int attempts, @Nullable Instant startedAt,
      @Nullable Instant endedAt, @Nullable StepError error, String note, Map<String, String> outputs,
      @Nullable String fingerprint, @Nullable Instant nextAttemptAt, @Nullable StepProgress progress) {
    this(step, status, attempts, startedAt, endedAt, error, note, outputs, fingerprint, nextAttemptAt, progress, null,
        null);
  }

  /**
   * Creates the record of a step that is not waiting to retry and reported no progress.
   *
   * @param step the step name
   * @param status the step's state
   * @param attempts how many attempts started
   * @param startedAt when the first attempt started
   * @param endedAt when the step reached its final state
   * @param error why the step failed
   * @param note why a step did not run
   * @param outputs the committed output versions
   * @param fingerprint the step's fingerprint
   */
  public StepRecord(String step, StepStatus status, int attempts, @Nullable Instant startedAt,
      @Nullable Instant endedAt, @Nullable StepError error, String note, Map<String, String> outputs,
      @Nullable String fingerprint) {
    this(step, status, attempts, startedAt, endedAt, error, note, outputs, fingerprint, null, null, null, null);
  }

  /**
   * Returns why the step ran or was reused.
   *
   * @return the reason, or empty for a step that did not run
   * @since 0.1.0
   */
  public Optional<StepReason> why() {
    return Optional.ofNullable(reason);
  }

  /**
   * Returns who ran the step's last attempt, when a scale-out executor ran it elsewhere and said who.
   *
   * @return the worker, for example a cluster member's address
   * @since 0.1.0
   */
  public Optional<String> ranBy() {
    return Optional.ofNullable(worker);
  }

  /**
   * Returns when the next attempt of a step waiting to retry is due.
   *
   * @return the time, or empty unless the step is {@link StepStatus#RETRYING}
   * @since 0.1.0
   */
  public Optional<Instant> nextAttempt() {
    return Optional.ofNullable(nextAttemptAt);
  }

  /**
   * Returns the last progress the step reported.
   *
   * @return the progress, or empty if it reported none
   * @since 0.1.0
   */
  public Optional<StepProgress> lastProgress() {
    return Optional.ofNullable(progress);
  }

  /**
   * Returns how long the step took from its first attempt to its final state.
   *
   * @return the duration, or empty if the step did not run or has not ended
   */
  public Optional<Duration> duration() {
    if (startedAt == null || endedAt == null) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(startedAt, endedAt));
  }

  /**
   * Returns the failure, if the step failed.
   *
   * @return the error
   */
  public Optional<StepError> failure() {
    return Optional.ofNullable(error);
  }
}
