package dev.opskit.ml.access;

import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.promotion.Gates;
import dev.opskit.ml.serving.ModelCodec;
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
   * Creates a registered model that does not exist ({@link ModelRegistry#createModel}). Changes no version, stage,
   * alias or policy. Asked with version 0.
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
  SET_POLICY,
  /**
   * Changes a model's description ({@link ModelRegistry#updateModel}). Changes no version, stage, alias or policy.
   * Asked with version 0.
   *
   * @since 0.1.0
   */
  UPDATE_MODEL,
  /**
   * Sets or deletes one tag of a model (asked with version 0) or of a version (asked with the version). Changes no
   * stage, alias or policy.
   *
   * @since 0.1.0
   */
  SET_TAG,
  /**
   * Renames a model: its versions, aliases, stages, approvals, policy and audit trail follow it. Asked twice with
   * version 0: once for the old name and once for the new one, so an authorizer that scopes names sees both.
   *
   * @since 0.1.0
   */
  RENAME_MODEL,
  /**
   * Deletes a model and all its versions ({@link ModelRegistry#deleteModel}). Asked with version 0. A forced delete of
   * a model with versions in STAGING or PRODUCTION also asks {@link #DEMOTE} for each of them, since it takes them out
   * of serving.
   *
   * @since 0.1.0
   */
  DELETE_MODEL,
  /**
   * Moves a version out of its stage back to NONE, through the gates the policy sets for NONE (none by default), or
   * takes it out of serving in a forced {@link #DELETE_MODEL}. A stage move. Asked with the version.
   *
   * @since 0.1.0
   */
  DEMOTE;

  /**
   * Returns whether the action moves a version between stages, which changes what is served: {@link #PROMOTE},
   * {@link #ROLLBACK} and {@link #DEMOTE}.
   *
   * @return true for the actions that move stages
   */
  public boolean movesStage() {
    return this == PROMOTE || this == ROLLBACK || this == DEMOTE;
  }
}
