package dev.opskit.ml.promotion;

import dev.opskit.Workspace;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Stage;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a gate sees when it evaluates a promotion.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface GateContext {
  /**
   * Returns the version being promoted.
   *
   * @return the candidate
   */
  ModelVersion candidate();

  /**
   * Returns the stage it is promoted to.
   *
   * @return the target stage
   */
  Stage target();

  /**
   * Returns the version in the target stage now, which the candidate would replace.
   *
   * @return the incumbent, or empty
   */
  Optional<ModelVersion> incumbent();

  /**
   * Returns the current production version: the champion a challenger is compared with.
   *
   * @return the champion, or empty if nothing is in production
   */
  Optional<ModelVersion> champion();

  /**
   * Returns the distinct actors who approved the candidate for the target stage.
   *
   * @return the approvers
   */
  List<Actor> approvals();

  /**
   * Returns who asks for the promotion.
   *
   * @return the actor
   */
  Actor actor();

  /**
   * Returns the workspace, for gates that read datasets.
   *
   * @return the workspace
   */
  Workspace workspace();
}
