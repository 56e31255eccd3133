package dev.opskit.core.internal;

import dev.opskit.pipeline.Step;
import dev.opskit.run.StepError;
import dev.opskit.run.StepProgress;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.time.Scheduler;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The mutable state of one step in one run. Every field is guarded by the object's monitor. */
final class StepState {
  final int position;
  final int local;
  final Step step;
  StepStatus status = StepStatus.PENDING;
  int attempts;
  @Nullable Instant startedAt;
  @Nullable Instant endedAt;
  @Nullable StepError error;
  String note = "";
  Map<String, String> outputs = Map.of();
  @Nullable String fingerprint;
  Map<String, String> inputVersions = Map.of();
  /** Inputs a listener replaced in the current attempt: not part of the outputs' lineage. */
  java.util.Set<String> replacedInputs = java.util.Set.of();
  /** Why the step runs or is reused: set when the run is planned, and again once a cacheable step is decided. */
  @Nullable StepReason reason;
  boolean terminal;
  @Nullable Attempt current;
  Scheduler.@Nullable Scheduled retry;
  /** While RETRYING, when the next attempt is due. */
  @Nullable Instant nextAttemptAt;
  /** The last progress the step reported. */
  @Nullable StepProgress progress;
  /** Who ran the last attempt elsewhere, as the executor's outcome named it; null for a step run here. */
  @Nullable String worker;
  /** When listeners last heard of the step's progress. */
  @Nullable Instant progressToldAt;

  StepState(int position, int local, Step step) {
    this.position = position;
    this.local = local;
    this.step = step;
  }

  /**
   * Moves the step to a final state, once. The caller holds the monitor.
   *
   * @return true if this call made the step terminal
   */
  boolean markTerminal(StepStatus finalStatus, @Nullable StepError failure, String why, Instant at) {
    if (terminal) {
      return false;
    }
    terminal = true;
    status = finalStatus;
    error = failure;
    note = why;
    endedAt = at;
    current = null;
    retry = null;
    nextAttemptAt = null;
    return true;
  }

  synchronized StepRecord record() {
    // A step that never started (skipped, cancelled while waiting) has no reason to report.
    boolean decided = attempts > 0 || status == StepStatus.CACHED || status == StepStatus.REUSED
        || status == StepStatus.RUNNING;
    return new StepRecord(step.name(), status, attempts, startedAt, endedAt, error, note, outputs, fingerprint,
        nextAttemptAt, progress, decided ? reason : null, worker);
  }

  synchronized int attemptsSoFar() {
    return attempts;
  }
}
