package dev.opskit.ml;

import dev.opskit.ml.promotion.PromotionReport;
import org.apiguardian.api.API;

/**
 * Registry events, delivered after the change committed. Every method has an empty default. A listener that throws
 * is logged and skipped. Listeners of a workspace's registries hear the changes made through any registry of that
 * workspace in this process.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface RegistryListener {
  /**
   * A version was registered (status READY) or failed to register.
   *
   * @param version the version
   */
  default void onRegistered(ModelVersion version) {}

  /**
   * An alias was set or moved.
   *
   * @param model the model
   * @param alias the alias
   * @param previous the version it pointed at before, or 0
   * @param version the version it points at now
   */
  default void onAliasSet(String model, String alias, int previous, int version) {}

  /**
   * An alias was removed.
   *
   * @param model the model
   * @param alias the alias
   * @param previous the version it pointed at
   */
  default void onAliasRemoved(String model, String alias, int previous) {}

  /**
   * A promotion passed its gates and committed.
   *
   * @param report the promotion
   */
  default void onPromoted(PromotionReport report) {}

  /**
   * A promotion was rejected by a gate; nothing changed.
   *
   * @param report the evaluation
   */
  default void onRejected(PromotionReport report) {}

  /**
   * Production went back to the previous production version.
   *
   * @param report the rollback
   */
  default void onRolledBack(PromotionReport report) {}

  /**
   * A live model switched to another version.
   *
   * @param model the model, by its name now (a live model follows its model across a rename)
   * @param from the version it served, or 0 if it served none
   * @param to the version it serves now
   */
  default void onLiveModelSwapped(String model, int from, int to) {}

  /**
   * A live model stopped serving: no version holds its stage or alias any more, because the version it served was
   * demoted or moved to another stage, its alias was removed, or its model was deleted. Its {@code get()} throws until
   * a version holds the stage or alias again, which {@link #onLiveModelSwapped} then reports with {@code from} 0.
   *
   * @param model the model
   * @param version the version it served
   * @param reason what happened, for people
   */
  default void onLiveModelWithdrawn(String model, int version, String reason) {}

  /**
   * A live model could not load a version and keeps serving the one it had, if any.
   *
   * @param model the model
   * @param version the version that failed to load
   * @param error why
   */
  default void onLiveModelLoadFailed(String model, int version, Throwable error) {}
}
