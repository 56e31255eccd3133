package dev.opskit.ml.tracking;

import dev.opskit.Page;
import dev.opskit.Workspace;
import dev.opskit.ml.internal.tracking.CurrentRun;
import dev.opskit.ml.internal.tracking.TrackingImpl;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The tracking runs of a workspace: start them, find them, and log to them from inside pipeline steps.
 *
 * <pre>{@code
 * Tracking tracking = Tracking.in(ws);
 *
 * // By hand:
 * try (TrackingRun run = tracking.start("churn")) {
 *   run.logParam("lr", 0.1);
 *   run.logMetric("auc", 0.91);
 * }
 *
 * // Around a pipeline run: one tracking run per pipeline run, bound to every step's thread.
 * ws.runner().plan(training)
 *     .listener(tracking.autolog("churn").context("crm/holdout", "evaluation"))
 *     .run();
 * // ... and in a step:
 * Tracking.current().orElseThrow().logMetric("auc", auc);
 * }</pre>
 *
 * <p><b>Storage.</b> Runs are records of the workspace's metadata store: collection {@value #RUN_COLLECTION}, keyed by
 * run id, with the indexed attributes {@code experiment}, {@code status}, {@code started_at}, {@code ended_at},
 * {@code pipeline_run} and {@code seq} (the store-wide start order). Every metric point is a record of
 * {@value #METRIC_COLLECTION}, with the attributes {@code run}, {@code key}, {@code step}, {@code value} and
 * {@code at}. Artifacts are blobs, each pinned by a record of {@code blob-pin} keyed by its id.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Tracking {
  /**
   * The rule of parameter, metric and tag keys and artifact names: a letter or digit, then letters, digits,
   * {@code .}, {@code _}, {@code -} or {@code /}, at most 128 characters in all. It is {@link dev.opskit.Names#NAME_RULE}
   * with {@code /} for namespaces such as {@code val/auc}.
   */
  String KEY_RULE = "[A-Za-z0-9][A-Za-z0-9._/-]{0,127}";

  /** The longest parameter or tag value, in characters, as in MLflow. */
  int MAX_VALUE_LENGTH = 6000;

  /** The metadata store collection of tracking runs. */
  String RUN_COLLECTION = "tracking-run";

  /** The metadata store collection of metric points. */
  String METRIC_COLLECTION = "tracking-metric";

  /**
   * Returns the tracking of a workspace. Cheap: it holds no state beyond the workspace and an id generator.
   *
   * @param workspace the workspace
   * @return its tracking
   */
  static Tracking in(Workspace workspace) {
    return TrackingImpl.of(workspace);
  }

  /**
   * Returns the tracking run bound to the calling thread: during a step of a pipeline run that an
   * {@link #autolog(String)} listener watches, the run tracking that pipeline run. Runs started by hand with
   * {@link #start(String)} are not bound to any thread; pass them along instead.
   *
   * @return the run, or empty outside such a step or once the run has ended
   */
  static Optional<TrackingRun> current() {
    return CurrentRun.get();
  }

  /**
   * Starts a tracking run.
   *
   * @param experiment the experiment name, following {@link dev.opskit.Names#NAME_RULE}
   * @return the active run; end or close it when done
   * @throws IllegalArgumentException if the experiment name is illegal, naming it and the rule
   */
  TrackingRun start(String experiment);

  /**
   * Finds a run.
   *
   * @param runId the run id
   * @return the run as stored now, or empty if there is none
   */
  Optional<TrackingRunRecord> find(String runId);

  /**
   * Finds the run that tracked a pipeline run.
   *
   * @param pipelineRunId the pipeline run's id
   * @return the tracking run, or empty if none tracked it
   */
  Optional<TrackingRunRecord> findByPipelineRun(String pipelineRunId);

  /**
   * Lists an experiment's runs, the most recently started first.
   *
   * @param experiment the experiment name
   * @param limit the page size, 1 to 1000
   * @param offset how many runs to skip
   * @return one page
   */
  Page<TrackingRunRecord> runs(String experiment, int limit, long offset);

  /**
   * Reads every value logged for a metric of a run, by step and, within a step, in the order logged.
   *
   * @param runId the run id
   * @param key the metric key
   * @return the points; empty if the run or the metric does not exist
   */
  List<MetricPoint> metricHistory(String runId, String key);

  /**
   * Makes a listener that tracks pipeline runs: attach it to a run with
   * {@code runner().plan(p).listener(tracking.autolog("churn"))}. See {@link Autolog}.
   *
   * @param experiment the experiment of the runs it starts, following {@link dev.opskit.Names#NAME_RULE}
   * @return the listener, recording inputs in the context {@value DatasetInput#TRAINING}
   * @throws IllegalArgumentException if the experiment name is illegal
   */
  Autolog autolog(String experiment);
}
