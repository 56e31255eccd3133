package dev.opskit.ml.promotion;

import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.Stage;
import dev.opskit.ml.access.AccessDeniedException;
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
   * Makes a version that is already in the target stage an error, rather than a report that nothing changed. For
   * callers that treat a repeated promotion as a mistake.
   *
   * @return this promotion
   * @since 0.1.0
   */
  Promotion strict();

  /**
   * Evaluates the gates and reports, changing nothing. A version already in the target stage is reported
   * {@linkplain PromotionReport#unchanged() unchanged}, with no gate evaluated.
   *
   * @return the report
   */
  PromotionReport dryRun();

  /**
   * Evaluates the gates and, if every one passes, promotes. Promoting a version that is already in the target stage
   * changes nothing and evaluates no gate: the report says so ({@link PromotionReport#unchanged()}), so a program that
   * runs twice does not fail the second time; {@link #strict()} makes it an {@link IllegalStateException} instead.
   *
   * @return the report of the committed promotion, or of a version already there
   * @throws PromotionRejectedException if a gate failed; it carries every gate's result, and nothing changed
   * @throws PromotionConflictException if another change of the target stage won a race; retry
   * @throws AccessDeniedException if the authorizer refuses the actor
   * @throws IllegalStateException if the version is not READY, or, when {@link #strict()}, already in the target stage
   */
  PromotionReport execute();
}
