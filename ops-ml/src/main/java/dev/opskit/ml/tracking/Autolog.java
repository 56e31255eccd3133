package dev.opskit.ml.tracking;

import dev.opskit.run.RunListener;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A listener that tracks every pipeline run it is attached to, made by {@link Tracking#autolog(String)}.
 *
 * <ul>
 *   <li>When a pipeline run starts, it starts a tracking run in its experiment, linked to the pipeline run (see
 *       {@link TrackingRunRecord#pipelineRun()}) and tagged {@code opskit.pipeline} with the pipeline's name.
 *   <li>While each step runs, that tracking run is {@link Tracking#current()} on the step's thread; under a parallel
 *       executor, every step running at once sees the same run.
 *   <li>Every versioned dataset a step loads is logged as an input, in the context mapped to its name, or the default
 *       context, {@value DatasetInput#TRAINING}. Datasets passed in memory, without a version, are not.
 *   <li>When the pipeline run ends, the tracking run ends: {@link TrackingStatus#FINISHED} if the pipeline run
 *       succeeded, {@link TrackingStatus#KILLED} if it was cancelled, {@link TrackingStatus#FAILED} otherwise.
 * </ul>
 *
 * <p>Several pipeline runs may use one listener at once; each gets its own tracking run. Configuring returns a new
 * listener and leaves this one unchanged, so configure it before attaching it:
 *
 * <pre>{@code
 * Autolog autolog = tracking.autolog("churn")
 *     .context("crm/holdout", "evaluation")
 *     .context("crm/validation", "validation");
 * }</pre>
 *
 * <p>Thread-safe. Like every listener, a failure of its own (a store that is down) is logged by the runner and never
 * fails the pipeline run; steps then find no {@link Tracking#current()} run.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public interface Autolog extends RunListener {
  /**
   * Returns the experiment of the runs this listener starts.
   *
   * @return the experiment name
   */
  String experiment();

  /**
   * Returns a listener that logs loads of one dataset in another context than the default.
   *
   * @param dataset the dataset name
   * @param context the context, following {@link dev.opskit.Names#NAME_RULE}, such as {@code "evaluation"}
   * @return the new listener
   * @throws IllegalArgumentException if the dataset name or the context is illegal, naming it and the rule
   * @throws IllegalStateException if the dataset already has a context, naming the dataset and both contexts
   */
  Autolog context(String dataset, String context);

  /**
   * Returns a listener with another default context, for datasets without one of their own.
   *
   * @param context the context, following {@link dev.opskit.Names#NAME_RULE}
   * @return the new listener
   * @throws IllegalArgumentException if the context is illegal
   * @throws IllegalStateException if the default context was already set, naming both
   */
  Autolog defaultContext(String context);

  /**
   * Returns the context of every dataset given one.
   *
   * @return contexts by dataset name
   */
  Map<String, String> contexts();

  /**
   * Returns the context of the datasets without one of their own.
   *
   * @return the default context
   */
  String defaultContext();
}
