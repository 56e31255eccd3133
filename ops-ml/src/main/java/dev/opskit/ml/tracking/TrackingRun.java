package dev.opskit.ml.tracking;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * An active tracking run: what a training job logs its parameters, metrics, tags, artifacts and dataset inputs to.
 * Every call writes through to the workspace's metadata store at once, in a transaction, so a crash loses nothing
 * logged before it.
 *
 * <pre>{@code
 * try (TrackingRun run = Tracking.in(ws).start("churn")) {
 *   run.logParams(Map.of("lr", 0.1, "depth", 6));
 *   for (int epoch = 0; epoch < 10; epoch++) {
 *     run.logMetric("loss", train(epoch));                  // steps 0, 1, 2, ...
 *   }
 *   run.logArtifact("model.bin", bytes);                    // a blob, spared by dataset garbage collection
 * }                                                         // ends the run FINISHED
 * }</pre>
 *
 * <p><b>Rules.</b> Keys of parameters, metrics and tags, and artifact names, follow {@link Tracking#KEY_RULE}.
 * Parameters and artifacts are immutable: logging a key again with the same value does nothing, with another value it
 * is an {@link IllegalStateException} naming the key and both values. Tags can be changed. Metric values are finite.
 * Every write after the run ended is an {@link IllegalStateException} naming the run and its status. A bad argument is
 * an {@link IllegalArgumentException} naming the value and the rule it breaks.
 *
 * <p><b>Threads.</b> Thread-safe: any number of threads may log to one run at once, and no update is lost. Writes
 * that race are retried on the store's optimistic versions; a {@link dev.opskit.store.StoreConflictException} escapes
 * only after many retries fail.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface TrackingRun extends AutoCloseable {
  /**
   * Returns the run id: 26 characters, unique, ordered by start time within one process.
   *
   * @return the id
   */
  String id();

  /**
   * Returns the experiment the run belongs to.
   *
   * @return the experiment name
   */
  String experiment();

  /**
   * Returns the id of the pipeline run this run tracks.
   *
   * @return the pipeline run id, or empty for a run started by hand
   */
  Optional<String> pipelineRun();

  /**
   * Tells whether the run still accepts writes, as far as this handle knows.
   *
   * @return true until the run is ended through this handle, or a write finds that it was ended elsewhere
   */
  boolean isActive();

  /**
   * Logs a parameter, stored as {@code String.valueOf(value)}.
   *
   * @param key the key, following {@link Tracking#KEY_RULE}
   * @param value the value, at most {@value Tracking#MAX_VALUE_LENGTH} characters as text
   * @throws IllegalStateException if the key was logged with another value, naming the key and both values, or the
   *     run has ended
   */
  void logParam(String key, Object value);

  /**
   * Logs several parameters at once: all of them or, if one conflicts with a value logged before, none.
   *
   * @param params the parameters; each value is stored as {@code String.valueOf(value)}
   * @throws IllegalStateException if a key was logged with another value, naming the key and both values, or the run
   *     has ended
   */
  void logParams(Map<String, ?> params);

  /**
   * Logs a metric value at the key's next step: one more than the highest step this handle logged for the key, 0 the
   * first time.
   *
   * @param key the key, following {@link Tracking#KEY_RULE}
   * @param value a finite value
   * @return the point logged, with its step and timestamp
   * @throws IllegalArgumentException if the value is NaN or infinite
   * @throws IllegalStateException if the run has ended
   */
  MetricPoint logMetric(String key, double value);

  /**
   * Logs a metric value at a given step. Several values may share a step; the later one logged counts as latest.
   *
   * @param key the key, following {@link Tracking#KEY_RULE}
   * @param value a finite value
   * @param step the step, 0 or more
   * @return the point logged, with its timestamp
   * @throws IllegalArgumentException if the value is NaN or infinite, or the step is negative
   * @throws IllegalStateException if the run has ended
   */
  MetricPoint logMetric(String key, double value, long step);

  /**
   * Sets a tag, replacing any value it had.
   *
   * @param key the key, following {@link Tracking#KEY_RULE}
   * @param value the value, at most {@value Tracking#MAX_VALUE_LENGTH} characters
   * @throws IllegalStateException if the run has ended
   */
  void setTag(String key, String value);

  /**
   * Stores an artifact in the workspace's blob store and records it under a name. The blob is pinned, so dataset
   * garbage collection never deletes it.
   *
   * @param name the name, following {@link Tracking#KEY_RULE}, such as {@code "model.bin"} or {@code "plots/roc.png"}
   * @param content the bytes
   * @return the blob id, the SHA-256 of the content
   * @throws IllegalStateException if the name was logged with other content, naming it and both blob ids, or the
   *     run has ended
   */
  String logArtifact(String name, byte[] content);

  /**
   * Streams an artifact into the workspace's blob store and records it under a name; the stream is read to its end
   * but not closed. See {@link #logArtifact(String, byte[])}.
   *
   * @param name the name, following {@link Tracking#KEY_RULE}
   * @param content the bytes
   * @return the blob id
   * @throws IllegalStateException if the name was logged with other content, or the run has ended
   */
  String logArtifact(String name, InputStream content);

  /**
   * Records a dataset version the run read. Logging the same input again does nothing; the same version in two
   * contexts is two inputs.
   *
   * @param dataset the dataset name
   * @param versionId the version id
   * @param context the role, such as {@code "training"} or {@code "evaluation"}; see {@link DatasetInput}
   * @throws IllegalArgumentException if a component breaks the rules of {@link DatasetInput}
   * @throws IllegalStateException if the run has ended
   */
  void logInput(String dataset, String versionId, String context);

  /**
   * Reads the run back from the store, with everything logged so far.
   *
   * @return the record
   */
  TrackingRunRecord record();

  /**
   * Ends the run.
   *
   * @param status how it ended: {@link TrackingStatus#FINISHED}, {@link TrackingStatus#FAILED} or
   *     {@link TrackingStatus#KILLED}
   * @throws IllegalArgumentException if the status is {@link TrackingStatus#RUNNING}
   * @throws IllegalStateException if the run has already ended, naming how
   */
  void end(TrackingStatus status);

  /**
   * Ends the run as {@link TrackingStatus#FINISHED} if it is still active; otherwise does nothing.
   */
  @Override
  void close();
}
