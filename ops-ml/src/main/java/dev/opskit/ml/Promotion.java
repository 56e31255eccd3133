package dev.opskit.ml;

import org.apiguardian.api.API;

/**
 * A promotion being prepared; {@link #execute()} evaluates the gates and, if all pass, moves the stage in one
 * transaction with the incumbent's archival and the audit record. Obtain one with
 * {@link ModelRegistry#promote(String, int)}. Used by one thread.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Promotion {
  /**
   * Sets the target stage.
   *
   * @param stage STAGING, PRODUCTION or ARCHIVED
   * @return this promotion
   */
  Promotion to(Stage stage);

  /**
   * Names who promotes.
   *
   * @param actor the actor
   * @return this promotion
   */
  Promotion as(Actor actor);

  /**
   * Says why, for the audit trail.
   *
   * @param reason free text
   * @return this promotion
   */
  Promotion reason(String reason);

  /**
   * Adds gates to those of the model's policy stored in the workspace for the target stage. A caller can add gates to
   * one promotion, never drop stored ones.
   *
   * @param gates the gates
   * @return this promotion
   */
  Promotion gates(PromotionGate... gates);

  /**
   * Evaluates the gates and reports, changing nothing.
   *
   * @return the report
   */
  PromotionReport dryRun();

  /**
   * Evaluates the gates and, if every one passes, promotes.
   *
   * @return the report of the committed promotion
   * @throws PromotionRejectedException if a gate failed; it carries every gate's result, and nothing changed
   * @throws PromotionConflictException if another change of the target stage won a race; retry
   * @throws AccessDeniedException if the authorizer refuses the actor
   * @throws IllegalStateException if the version is not READY or already in the target stage
   */
  PromotionReport execute();
}
