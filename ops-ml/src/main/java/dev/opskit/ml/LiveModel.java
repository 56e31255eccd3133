package dev.opskit.ml;

import org.apiguardian.api.API;

/**
 * A handle on the model that holds a stage or alias, for serving code. It switches atomically to the new version when
 * a promotion or rollback moves the stage or alias: at once within this process, and within the poll interval across
 * processes sharing a PostgreSQL workspace. A call that fetched the model with {@link #get()} keeps using that
 * instance, so calls in flight finish on the version they started with. If a new version fails to load, the handle
 * keeps serving the old one and reports the failure as an event and a metric.
 *
 * <pre>{@code
 * LiveModel<ChurnModel> live = registry.live("churn", Stage.PRODUCTION, ModelCodecs.json(ChurnModel.class));
 * double p = live.get().predict(features);   // one volatile read
 * }</pre>
 *
 * <p>Thread-safe. Close it to stop following the stage.
 *
 * @param <T> the model type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface LiveModel<T> extends AutoCloseable {
  /**
   * Returns the model serving now.
   *
   * @return the model
   * @throws ModelVersionNotFoundException if no version has ever held the stage or alias since the handle was made
   */
  T get();

  /**
   * Returns the version serving now.
   *
   * @return the version number, or 0 if none
   */
  int version();

  /**
   * Checks the stage or alias now, and switches if it moved. Called on every change in this process and every poll
   * interval; call it to force a check.
   *
   * @return true if the handle switched
   */
  boolean refresh();

  /** Stops following the stage or alias. The model last served stays available. */
  @Override
  void close();
}
