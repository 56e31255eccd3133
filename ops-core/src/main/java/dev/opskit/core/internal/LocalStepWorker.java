package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.DatasetCheckException;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.PipelineRegistry;
import dev.opskit.run.StepError;
import dev.opskit.run.StepInvocation;
import dev.opskit.run.StepOutcome;
import dev.opskit.run.StepWorker;
import dev.opskit.spi.DataPlane;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Runs invocations by reference, for a scale-out executor's workers. Two cases:
 *
 * <ul>
 *   <li>the run is active in this workspace (a loopback executor, or a member of a cluster in the coordinator's own
 *       JVM): inputs are read, and outputs staged, in the run's memory, and the coordinator commits them;
 *   <li>the run is active elsewhere: the worker reads its inputs by version id from the workspace's shared stores,
 *       and commits its outputs there itself, at most once per run and step
 *       ({@link DataPlane#commitOnce(DataPlane.Commit)}), answering with their version ids. Every input and output
 *       of such a step needs a codec, since nothing else can cross processes.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class LocalStepWorker implements StepWorker {
  private static final String MEMORY_REF = "memory:";

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
    Optional<RunExecution> active = workspace.activeRun(invocation.runId());
    return active.isPresent() ? inRun(active.get(), invocation, pipeline, step)
        : detached(invocation, pipeline, step);
  }

  private static StepOutcome inRun(RunExecution run, StepInvocation invocation, Pipeline pipeline, Step step) {
    int position = pipeline.positionOf(step.name());
    StepContextImpl context = new StepContextImpl(invocation.runId(), pipeline.name(), position,
        step, invocation.attempt(), (p, s, index, input) -> read(run, invocation, s, input),
        () -> Thread.currentThread().isInterrupted(),
        (done, total) -> run.progress().report(position, invocation.attempt(), done, total));
    Throwable failure = call(invocation, pipeline, step, context);
    if (failure != null) {
      return StepOutcome.failed(invocation, StepError.of(failure));
    }
    Map<String, String> refs = new LinkedHashMap<>();
    List<Dataset<?>> outputs = step.outputs();
    for (int i = 0; i < outputs.size(); i++) {
      String name = outputs.get(i).name();
      refs.put(name, run.remote().stage(name, invocation.attempt(), context.outputs[i]));
    }
    return StepOutcome.succeeded(invocation, refs);
  }

  /** Runs an attempt of a run that is active in another process: inputs and outputs go through the shared stores. */
  private StepOutcome detached(StepInvocation invocation, Pipeline pipeline, Step step) {
    DataPlane plane = workspace.dataPlane();
    if (plane == null) {
      throw new OpsException("run " + invocation.runId() + " is not active in this workspace, and the workspace has "
          + "no data catalog to read its inputs from: a worker for a coordinator in another process needs ops-data "
          + "on its class path and a workspace on the coordinator's shared stores");
    }
    for (Dataset<?> out : step.outputs()) {
      if (RunExecution.codecOf(pipeline, out.name()) == null) {
        return StepOutcome.failed(invocation, StepError.of(new OpsException("output '" + out.name() + "' of step '"
            + step.name() + "' has no codec, so it cannot leave this worker's process; give dataset '" + out.name()
            + "' a codec to run the step under a scale-out executor")));
      }
    }
    Map<String, String> inputVersions = new LinkedHashMap<>();
    for (Dataset<?> in : step.inputs()) {
      String ref = invocation.inputs().get(in.name());
      if (ref == null) {
        throw new OpsException("invocation of step '" + step.name() + "' has no reference for input '" + in.name()
            + "'");
      }
      if (ref.startsWith(MEMORY_REF) || RunExecution.codecOf(pipeline, in.name()) == null) {
        throw new OpsException("input '" + in.name() + "' of step '" + step.name() + "' is held in the memory of run "
            + invocation.runId() + "'s coordinator (the dataset has no codec), so a worker in another process cannot "
            + "read it; give dataset '" + in.name() + "' a codec to run the step under a scale-out executor");
      }
      inputVersions.put(in.name(), ref);
    }
    Map<String, Object> loaded = new ConcurrentHashMap<>();
    int position = pipeline.positionOf(step.name());
    StepContextImpl context = new StepContextImpl(invocation.runId(), pipeline.name(), position, step,
        invocation.attempt(), (p, s, index, input) -> loaded.computeIfAbsent(input.name(), name -> load(plane,
            pipeline, name, inputVersions.get(name))),
        () -> Thread.currentThread().isInterrupted(), (done, total) -> { });
    Throwable failure = call(invocation, pipeline, step, context);
    if (failure != null) {
      return StepOutcome.failed(invocation, StepError.of(failure));
    }
    List<Dataset<?>> declared = step.outputs();
    if (declared.isEmpty()) {
      return StepOutcome.succeeded(invocation, Map.of()); // nothing to commit, so nothing to commit twice
    }
    List<DataPlane.Output> outputs = new ArrayList<>();
    for (int i = 0; i < declared.size(); i++) {
      Object value = context.outputs[i];
      outputs.add(new DataPlane.Output(RunExecution.codecOf(pipeline, declared.get(i).name()), value));
    }
    try {
      DataPlane.CommitResult result = plane.commitOnce(new DataPlane.Commit(invocation.runId(), pipeline.name(),
          step.name(), null, inputVersions, outputs));
      return StepOutcome.succeeded(invocation, result.versions());
    } catch (DatasetCheckException e) {
      return StepOutcome.failed(invocation, StepError.of(e));
    }
  }

  private static Object load(DataPlane plane, Pipeline pipeline, String dataset, @Nullable String version) {
    Dataset<?> handle = RunExecution.codecOf(pipeline, dataset);
    if (handle == null || version == null) {
      throw new OpsException("input '" + dataset + "' has no version to read");
    }
    return plane.load(handle, version);
  }

  private static @Nullable Throwable call(StepInvocation invocation, Pipeline pipeline, Step step,
      StepContextImpl context) {
    RunMdc mdc = RunMdc.enter(invocation.runId(), pipeline.name(), step.name());
    try {
      step.function().run(context);
      return context.missingOutputs();
    } catch (Throwable t) {
      return t;
    } finally {
      mdc.exit();
    }
  }

  /** Reads an input the invocation names, with the run's load callbacks, as the runner reads one for a local step. */
  private static Object read(RunExecution run, StepInvocation invocation, Step step, Dataset<?> input) {
    if (!invocation.inputs().containsKey(input.name())) {
      throw new OpsException("invocation of step '" + invocation.step() + "' has no reference for input '"
          + input.name() + "'");
    }
    return run.inputs().read(step, input);
  }
}
