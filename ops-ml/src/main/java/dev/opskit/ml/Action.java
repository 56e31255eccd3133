package dev.opskit.ml;

import org.apiguardian.api.API;

/**
 * The registry writes an {@link Authorizer} is asked about, and that the audit trail records. Each constant says what
 * the action can change; nothing else in the registry changes without one of them. An authorizer that guards who moves
 * stages must guard every action for which {@link #movesStage()} is true, and {@link #SET_POLICY}, which decides what
 * a stage move needs.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public enum Action {
  /**
   * Creates a registered model, or changes its description and tags. Changes no version, stage, alias or policy.
   * Asked with version 0.
   */
  CREATE_MODEL,
  /**
   * Registers a new version, creating the model if it is missing. Adds a version in stage NONE; changes no existing
   * version, stage, alias or policy. Asked with version 0, since the number is assigned in the registration.
   */
  REGISTER,
  /**
   * Points an alias at a version, moves it from another version, or removes it; serving that follows the alias
   * ({@link ModelRegistry#live(String, String, ModelCodec)}) switches to the new target. Changes no stage. Asked with
   * the target version, or 0 for a removal.
   */
  SET_ALIAS,
  /**
   * Moves a version to another stage through the gates of the stored policy and the caller's: into STAGING or
   * PRODUCTION (which may archive the incumbent), or into ARCHIVED (out of serving). Asked with the version.
   */
  PROMOTE,
  /**
   * Records an approval of a version for a stage, which {@link Gates#approvals(int)} counts. Changes no stage by
   * itself. Asked with the version.
   */
  APPROVE,
  /**
   * Returns PRODUCTION to the previous production version, through the policy's rollback gates, archiving the current
   * one. A stage move like {@link #PROMOTE}. Asked with the version rolled back to.
   */
  ROLLBACK,
  /**
   * Deletes a version that is in no serving stage, and with {@code force} the aliases it holds. Changes no stage.
   * Asked with the version.
   */
  DELETE,
  /**
   * Stores a model's promotion policy in the workspace: the gates of each target stage and of rollbacks, and the rules
   * of staging, approvals and archiving that every process then enforces. It decides what every later stage move
   * needs, so guard it like the moves. Asked with version 0.
   */
  SET_POLICY;

  /**
   * Returns whether the action moves a version between stages, which changes what is served: {@link #PROMOTE} and
   * {@link #ROLLBACK}.
   *
   * @return true for the actions that move stages
   */
  public boolean movesStage() {
    return this == PROMOTE || this == ROLLBACK;
  }
}
