package dev.opskit.run;

import dev.opskit.pipeline.Dataset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The report of one execution of a pipeline: its id, status, timing, and a {@link StepRecord} for every selected step.
 *
 * <p>A run obtained from a finished {@link RunHandle} or from {@link Runner#run} never changes. A snapshot of a run in
 * progress ({@link RunHandle#snapshot()}) is a copy of that moment. Reports are thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Run {
  /**
   * Returns the run id, unique in its workspace and ordered by start time.
   *
   * @return the id
   */
  String id();

  /**
   * Returns the name of the pipeline that ran.
   *
   * @return the pipeline name
   */
  String pipeline();

  /**
   * Returns the run's status.
   *
   * @return the status
   */
  RunStatus status();

  /**
   * Returns when the run started.
   *
   * @return the start time
   */
  Instant startedAt();

  /**
   * Returns when the run ended.
   *
   * @return the end time, or empty while it runs
   */
  Optional<Instant> endedAt();

  /**
   * Returns how long the run took.
   *
   * @return the duration, or empty while it runs
   */
  default Optional<Duration> duration() {
    return endedAt().map(end -> Duration.between(startedAt(), end));
  }

  /**
   * Returns the name of the executor that ran the steps.
   *
   * @return the executor name
   */
  String executor();

  /**
   * Returns the id of the failed run this run resumed.
   *
   * @return the resumed run's id, or empty
   */
  Optional<String> resumedFrom();

  /**
   * Returns a record for every selected step, in the pipeline's topological order.
   *
   * @return the step records
   */
  List<StepRecord> steps();

  /**
   * Returns the record of one step.
   *
   * @param stepName the step name
   * @return the record
   * @throws IllegalArgumentException if the step was not part of this run; the message lists the run's steps
   */
  StepRecord step(String stepName);

  /**
   * Returns the value a step wrote to a dataset in this run, or the value it read as an input.
   *
   * @param dataset the dataset
   * @param <T> the value type
   * @return the value
   * @throws IllegalArgumentException if the run has no value for the dataset; the message says why
   */
  <T> T output(Dataset<T> dataset);

  /**
   * Returns the id of the dataset version this run committed for a dataset, or reused for it from a cached or resumed
   * step: what the run's lineage records, and a stable key for what the run produced.
   *
   * <pre>{@code
   * registry.registration("churn", run.output(model), codec)
   *     .idempotencyKey(run.versionOf(model).orElseThrow())   // the same model again: the same version
   *     .by(ci).register();
   * }</pre>
   *
   * @param dataset a versioned dataset the run wrote
   * @return the version id, or empty if the run has no version of it (not written, not versioned, or not finished)
   * @since 0.1.0
   */
  default Optional<String> versionOf(Dataset<?> dataset) {
    String name = dataset.name();
    for (StepRecord s : steps()) {
      String id = s.outputs().get(name);
      if (id != null) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /**
   * Tells whether the run succeeded.
   *
   * @return true if the status is {@link RunStatus#SUCCEEDED}
   */
  default boolean succeeded() {
    return status() == RunStatus.SUCCEEDED;
  }

  /**
   * Returns the records of the steps that failed, in topological order.
   *
   * @return the failed steps, empty unless the run failed
   */
  default List<StepRecord> failedSteps() {
    return steps().stream().filter(s -> s.status() == StepStatus.FAILED).toList();
  }

  /**
   * Returns a readable table of the run: one line per step with its status, attempts and duration, then the error of
   * every failed step and, for a failed run, the call that resumes it.
   *
   * @return the summary text
   */
  String summary();

  /**
   * Throws if the run did not succeed.
   *
   * @return this run, if it succeeded
   * @throws RunFailedException naming the failed step, its cause, and the call that resumes the run
   */
  Run throwIfFailed();
}
