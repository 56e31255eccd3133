package dev.opskit;

import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.Runner;
import dev.opskit.run.StepWorker;
import java.time.Clock;
import org.apiguardian.api.API;

/**
 * Everything opskit keeps and shares: the metadata and blob stores, the clock, the default executor, and the listeners
 * of every run. It is the entry point of the runtime.
 *
 * <pre>{@code
 * try (Workspace ws = Workspace.inMemory()) {
 *   Run run = ws.runner().run(pipeline);
 *   System.out.println(run.summary());
 * }
 * }</pre>
 *
 * <p>A workspace is thread-safe. Closing it releases its stores and the executor it owns; runs still going on are
 * cancelled.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public interface Workspace extends AutoCloseable {
  /**
   * Opens a workspace that keeps everything in memory, for tests and experiments. Nothing survives {@link #close()}.
   *
   * @return the workspace
   */
  static Workspace inMemory() {
    return builder().openInMemory();
  }

  /**
   * Starts configuring a workspace: clock, scheduler, default executor, listeners.
   *
   * @return a new builder
   */
  static WorkspaceBuilder builder() {
    return new WorkspaceBuilder();
  }

  /**
   * Returns the runner that runs pipelines in this workspace.
   *
   * @return the runner
   */
  Runner runner();

  /**
   * Returns a worker that runs steps sent by a coordinator sharing this workspace, looking them up in a registry.
   *
   * @param pipelines the pipelines this process knows by name
   * @return the worker
   */
  StepWorker worker(PipelineRegistry pipelines);

  /**
   * Returns the workspace's clock; every time opskit records comes from it.
   *
   * @return the clock
   */
  Clock clock();

  /**
   * Closes the workspace. Idempotent.
   */
  @Override
  void close();
}
