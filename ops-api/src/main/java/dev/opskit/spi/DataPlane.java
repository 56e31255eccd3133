package dev.opskit.spi;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.ValidationReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How the runner reads and writes versioned datasets (those with a codec). {@code ops-data} implements it with its
 * catalog; without it, every dataset passes in memory. Implementations are thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.INTERNAL, since = "0.1.0")
public interface DataPlane {
  /**
   * Finds the newest usable version of a dataset: committed, not quarantined.
   *
   * @param dataset the dataset name
   * @return its id, or empty if the dataset has none
   */
  Optional<String> latestId(String dataset);

  /**
   * Loads a version.
   *
   * @param dataset the dataset, with its codec
   * @param versionId the version id
   * @param <T> the value type
   * @return the value; it may read its content lazily
   */
  <T> T load(Dataset<T> dataset, String versionId);

  /**
   * Commits the outputs of one step execution together, with their lineage, checks and profiles.
   *
   * @param commit what to commit
   * @return the version of each output, and the validation reports
   * @throws dev.opskit.pipeline.DatasetCheckException if an output failed an ERROR check; that version was recorded as
   *     quarantined and nothing else was committed
   */
  CommitResult commit(Commit commit);

  /**
   * Commits the outputs of a step attempt that ran on another machine, at most once per run and step: if an earlier
   * attempt of the same run and step committed (and its answer was lost), this records nothing and answers that
   * attempt's versions, so a retried step never leaves two versions of an output. The check and the commit are one
   * transaction. The default refuses, for data planes that cannot serve scale-out workers.
   *
   * @param commit what to commit; its fingerprint is ignored (the coordinator records the execution)
   * @return the version of each output, and the validation reports (none when an earlier attempt's versions answer)
   * @throws dev.opskit.pipeline.DatasetCheckException as {@link #commit(Commit)}
   * @throws UnsupportedOperationException if this data plane cannot
   * @since 0.1.0
   */
  default CommitResult commitOnce(Commit commit) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot commit the outputs of remote steps");
  }

  /**
   * Records that an execution with a fingerprint produced these versions, so that later runs may reuse them: the
   * coordinator's half of a step whose outputs a worker elsewhere committed with {@link #commitOnce(Commit)}. The
   * default records nothing, and such steps then do not serve the cache.
   *
   * @param fingerprint the step's fingerprint
   * @param runId the run
   * @param step the step
   * @param outputs the version id of each output, by dataset name
   * @since 0.1.0
   */
  default void recordExecution(String fingerprint, String runId, String step, Map<String, String> outputs) {}

  /**
   * Finds an earlier successful execution with the same fingerprint whose outputs still exist.
   *
   * @param fingerprint the step fingerprint
   * @param outputs the datasets the step writes
   * @return the earlier outputs' version ids by dataset name, or empty
   */
  Optional<Map<String, String>> cached(String fingerprint, List<String> outputs);

  /**
   * Finds an earlier successful execution with the same fingerprint whose outputs still exist, with the run that
   * recorded it. The default calls {@link #cached} and knows no run.
   *
   * @param fingerprint the step fingerprint
   * @param outputs the datasets the step writes
   * @return the execution, or empty
   * @since 0.1.0
   */
  default Optional<CachedExecution> cachedExecution(String fingerprint, List<String> outputs) {
    return cached(fingerprint, outputs).map(versions -> new CachedExecution("", versions));
  }

  /**
   * An earlier execution whose outputs can be reused.
   *
   * @param run the run that recorded it, or an empty string if unknown
   * @param outputs the version id of each output, by dataset name
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  record CachedExecution(String run, Map<String, String> outputs) {
    /**
     * Checks and copies the components.
     *
     * @param run the run
     * @param outputs the versions
     */
    public CachedExecution {
      Objects.requireNonNull(run, "run");
      outputs = Map.copyOf(outputs);
    }
  }

  /**
   * What to commit.
   *
   * @param runId the run
   * @param pipeline the pipeline
   * @param step the producing step, or the pseudo-step {@code input} for values supplied to a run
   * @param fingerprint the step's fingerprint, recorded so that a later run can reuse the outputs; null if the step
   *     is not cacheable
   * @param inputs the version ids the step read, by dataset name
   * @param outputs the values to commit, in the step's output order
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  record Commit(String runId, String pipeline, String step, @Nullable String fingerprint, Map<String, String> inputs,
      List<Output> outputs) {
    /**
     * Checks and copies the components.
     *
     * @param runId the run
     * @param pipeline the pipeline
     * @param step the producing step
     * @param fingerprint the step's fingerprint
     * @param inputs the input versions
     * @param outputs the values to commit
     */
    public Commit {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(pipeline, "pipeline");
      Objects.requireNonNull(step, "step");
      inputs = Map.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }
  }

  /**
   * One output value.
   *
   * @param dataset the dataset, with its codec
   * @param value the value
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  record Output(Dataset<?> dataset, Object value) {
    /**
     * Checks the components.
     *
     * @param dataset the dataset
     * @param value the value
     */
    public Output {
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * What a commit produced.
   *
   * @param versions the version id of each output, by dataset name
   * @param reports the validation report of each output that has checks
   * @since 0.1.0
   */
  @API(status = API.Status.INTERNAL, since = "0.1.0")
  record CommitResult(Map<String, String> versions, List<ValidationReport> reports) {
    /**
     * Copies the components.
     *
     * @param versions the versions
     * @param reports the reports
     */
    public CommitResult {
      versions = Map.copyOf(versions);
      reports = List.copyOf(reports);
    }
  }
}
