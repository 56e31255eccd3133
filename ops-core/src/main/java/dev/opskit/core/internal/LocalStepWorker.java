package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.StepError;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepWorker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs invocations by reference. Inputs are read, and outputs staged, through the workspace; with the in-memory data
 * plane of this release that reaches the runs of this process only, so this worker serves loopback executors and
 * tests of the scale-out path. Thread-safe.
 */
final class LocalStepWorker implements StepWorker {
  private final CoreWorkspace workspace;
  private final PipelineRegistry pipelines;

  LocalStepWorker(CoreWorkspace workspace, PipelineRegistry pipelines) {
    this.workspace = workspace;
    this.pipelines = pipelines;
  }

  @Override
  public StepOutcome execute(StepInvocation invocation) {
    Pipeline pipeline = pipelines.require(invocation.pipeline());
    Step step = pipeline.step(invocation.step()).orElseThrow(() -> new OpsException("pipeline '" + pipeline.name()
        + "' registered in this process has no step '" + invocation.step() + "'; the coordinator and the worker run "
        + "different definitions"));
    RunExecution run = workspace.activeRun(invocation.runId()).orElseThrow(() -> new OpsException("run "
        + invocation.runId() + " is not active in this workspace, so its in-memory inputs cannot be read"));
    int position = pipeline.positionOf(step.name());
    StepContextImpl context = new StepContextImpl(invocation.runId(), pipeline.name(), position,
        step, invocation.attempt(), (p, s, index, input) -> read(run, invocation, s, input),
        () -> Thread.currentThread().isInterrupted(),
        (done, total) -> run.progress(position, invocation.attempt(), done, total));
    Throwable failure;
    RunMdc mdc = RunMdc.enter(invocation.runId(), pipeline.name(), step.name());
    try {
      step.function().run(context);
      failure = context.missingOutputs();
    } catch (Throwable t) {
      failure = t;
    } finally {
      mdc.exit();
    }
    if (failure != null) {
      return StepOutcome.failed(invocation, StepError.of(failure));
    }
    Map<String, String> refs = new LinkedHashMap<>();
    List<Dataset<?>> outputs = step.outputs();
    for (int i = 0; i < outputs.size(); i++) {
      refs.put(outputs.get(i).name(), run.stage(outputs.get(i).name(), invocation.attempt(), context.outputs[i]));
    }
    return StepOutcome.succeeded(invocation, refs);
  }

  /** Reads an input the invocation names, with the run's load callbacks, as the runner reads one for a local step. */
  private static Object read(RunExecution run, StepInvocation invocation, Step step, Dataset<?> input) {
    if (!invocation.inputs().containsKey(input.name())) {
      throw new OpsException("invocation of step '" + invocation.step() + "' has no reference for input '"
          + input.name() + "'");
    }
    return run.readInput(step, input);
  }
}
