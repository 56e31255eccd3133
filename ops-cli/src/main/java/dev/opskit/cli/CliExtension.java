package dev.opskit.cli;

import dev.opskit.WorkspaceBuilder;
import dev.opskit.pipeline.Pipeline;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What an application gives the {@code opskit} command line: its pipeline definitions (for {@code opskit plan}, the
 * edges of a report's graph, and keyed {@code opskit diff}s) and its workspace settings, above all its
 * {@code Authorizer}, so that writes from the command line ({@code model promote}, {@code model approve}) are checked
 * exactly as the application's own.
 *
 * <p>Found with {@link java.util.ServiceLoader}: an application lists its implementation in
 * {@code META-INF/services/dev.opskit.cli.CliExtension} and puts its jar on the command line's class path
 * ({@code OPSKIT_CLASSPATH=app.jar bin/opskit ...}). Every extension found is applied, in class path order.
 *
 * <pre>{@code
 * public final class ChurnCli implements CliExtension {
 *   public List<Pipeline> pipelines() {
 *     return List.of(ChurnPipelines.training());
 *   }
 *   public void configure(WorkspaceBuilder workspace) {
 *     workspace.attribute(Authorizer.KEY, ReleaseManagers.authorizer());
 *   }
 * }
 * }</pre>
 *
 * <p>Implementations need a public no-argument constructor and must be cheap to create: the command line makes one per
 * invocation.
 *
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public interface CliExtension {
  /**
   * Returns the application's pipeline definitions.
   *
   * @return the pipelines; none by default
   */
  default List<Pipeline> pipelines() {
    return List.of();
  }

  /**
   * Configures the workspace the command line opens, as the application configures its own: its authorizer and any
   * other module setting ({@link WorkspaceBuilder#attribute}). The command line sets no clock, executor or listener of
   * its own, so any may be set here.
   *
   * @param workspace the builder the command line opens the workspace with
   */
  default void configure(WorkspaceBuilder workspace) {}
}
