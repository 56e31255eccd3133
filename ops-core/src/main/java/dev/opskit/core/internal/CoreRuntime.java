package dev.opskit.core.internal;

import dev.opskit.Workspace;
import dev.opskit.run.Executor;
import dev.opskit.spi.OpsRuntime;
import dev.opskit.spi.WorkspaceConfig;

/** The runtime {@link java.util.ServiceLoader} finds. */
public final class CoreRuntime implements OpsRuntime {
  /** Called by the service loader. */
  public CoreRuntime() {}

  @Override
  public Workspace openWorkspace(WorkspaceConfig config) {
    if (config.storage() instanceof WorkspaceConfig.InMemory) {
      return new CoreWorkspace(config, new RunStore());
    }
    throw new UnsupportedOperationException("storage " + config.storage() + " is not supported by this runtime");
  }

  @Override
  public Executor parallelExecutor(int threads) {
    return new ParallelExecutor(threads);
  }
}
