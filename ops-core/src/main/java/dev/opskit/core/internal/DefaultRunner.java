package dev.opskit.core.internal;

import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.RunRequest;
import dev.opskit.run.Runner;
import java.util.Objects;

/** The workspace's runner. Stateless apart from its workspace; thread-safe. */
final class DefaultRunner implements Runner {
  private final CoreWorkspace workspace;

  DefaultRunner(CoreWorkspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public RunRequest plan(Pipeline pipeline) {
    Objects.requireNonNull(pipeline, "pipeline");
    workspace.checkOpen();
    return new RunRequestImpl(workspace, pipeline);
  }
}
