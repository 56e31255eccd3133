package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.Executor;
import dev.opskit.run.FailureMode;
import dev.opskit.run.Run;
import dev.opskit.run.RunHandle;
import dev.opskit.run.RunListener;
import dev.opskit.run.RunPlan;
import dev.opskit.run.RunRequest;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepRecord;
import dev.opskit.spi.DataPlane;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A run being prepared. Used by one thread. */
final class RunRequestImpl implements RunRequest {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunRequestImpl.class);

  private final CoreWorkspace workspace;
  private final Pipeline pipeline;
  private final Map<String, Object> inputs = new HashMap<>();
  private final List<RunListener> extraListeners = new ArrayList<>();
  private final Selection selection = new Selection();
  private @Nullable String resuming;
  private @Nullable Executor executor;
  private @Nullable FailureMode failureMode;
  private boolean spent;
  private boolean keepIntermediates;

  RunRequestImpl(CoreWorkspace workspace, Pipeline pipeline) {
    this.workspace = workspace;
    this.pipeline = pipeline;
  }

  @Override
  public RunRequest only(String... steps) {
    selection.only = names("only", selection.only, steps);
    return this;
  }

  @Override
  public RunRequest from(String... steps) {
    selection.from = names("from", selection.from, steps);
    return this;
  }

  @Override
  public RunRequest to(String... steps) {
    selection.to = names("to", selection.to, steps);
    return this;
  }

  @Override
  public RunRequest withTags(String... values) {
    selection.tags = names("withTags", selection.tags, values);
    return this;
  }

  @Override
  public RunRequest inNamespace(String... namespaces) {
    selection.namespaces = names("inNamespace", selection.namespaces, namespaces);
    return this;
  }

  @Override
  public RunRequest fromInputs(String... datasets) {
    selection.fromInputs = names("fromInputs", selection.fromInputs, datasets);
    return this;
  }

  @Override
  public RunRequest toOutputs(String... datasets) {
    selection.toOutputs = names("toOutputs", selection.toOutputs, datasets);
    return this;
  }

  @Override
  public <T> RunRequest input(Dataset<T> dataset, T value) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(value, () -> "value of input '" + dataset.name() + "'");
    Dataset<?> known = pipeline.datasets().get(dataset.name());
    if (known == null) {
      throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' has no dataset '" + dataset.name() + "'"
          + dev.opskit.Names.hint(dataset.name(), pipeline.datasets().keySet(), "datasets"));
    }
    if (!dataset.type().accepts(known.type()) && !known.type().accepts(dataset.type())) {
      throw new IllegalArgumentException("input '" + dataset.name() + "' is given as " + dataset.type()
          + " but pipeline '" + pipeline.name() + "' uses it as " + known.type());
    }
    if (inputs.putIfAbsent(dataset.name(), dataset.cast(value)) != null) {
      throw new IllegalStateException("input '" + dataset.name() + "' is already set; set it once");
    }
    return this;
  }

  @Override
  public RunRequest resuming(String runId) {
    RunStore.checkRunId(runId);
    if (resuming != null) {
      throw new IllegalStateException("resuming is already set (to " + resuming + "); set it once");
    }
    resuming = runId;
    return this;
  }

  @Override
  public RunRequest force(String... steps) {
    selection.forced = names("force", selection.forced, steps);
    for (String step : selection.forced) {
      Selections.position(pipeline, "force", step);
    }
    return this;
  }

  @Override
  public RunRequest forceDownstream(String... steps) {
    selection.forcedDownstream = names("forceDownstream", selection.forcedDownstream, steps);
    for (String step : selection.forcedDownstream) {
      Selections.position(pipeline, "forceDownstream", step);
    }
    return this;
  }

  @Override
  public RunRequest keepIntermediates() {
    if (keepIntermediates) {
      throw new IllegalStateException("keepIntermediates is already set; set it once");
    }
    keepIntermediates = true;
    return this;
  }

  @Override
  public RunRequest forceAll() {
    if (selection.forceAll) {
      throw new IllegalStateException("forceAll is already set; set it once");
    }
    selection.forceAll = true;
    return this;
  }

  @Override
  public RunRequest executor(Executor value) {
    Objects.requireNonNull(value, "executor");
    if (executor != null) {
      throw new IllegalStateException("executor is already set (to " + executor.name() + "); set it once");
    }
    executor = value;
    return this;
  }

  @Override
  public RunRequest listener(RunListener listener) {
    extraListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public RunRequest failureMode(FailureMode mode) {
    Objects.requireNonNull(mode, "mode");
    if (failureMode != null) {
      throw new IllegalStateException("failureMode is already set (to " + failureMode + "); set it once");
    }
    failureMode = mode;
    return this;
  }

  @Override
  public Run run() {
    RunLoop loop = RunLoop.onCaller();
    RunExecution execution = prepare(loop);
    boolean interrupted = false;
    execution.start();
    while (true) {
      try {
        loop.drainUntilDone();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        execution.stop(true, "the thread waiting for the run was interrupted");
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return execution.completion().join().throwIfFailed();
  }

  @Override
  public RunHandle start() {
    String runId = workspace.newRunId();
    RunLoop loop = RunLoop.onOwnThread("opskit-run-" + runId);
    RunExecution execution = prepare(loop, runId);
    execution.start();
    return new RunHandleImpl(execution);
  }

  private RunExecution prepare(RunLoop loop) {
    return prepare(loop, workspace.newRunId());
  }

  /** What a request resolves to before anything is written: the selection, the resumed run, the known values. */
  private final class Resolved {
    final boolean[] selected;
    final boolean[] reused;
    final Map<String, Object> seed = new HashMap<>();
    final Map<String, String> seedVersions = new HashMap<>();
    final Map<String, StepRecord> reusedRecords = new HashMap<>();
    final @Nullable String resumedFrom;
    final Planner planner;

    Resolved() {
      workspace.checkOpen();
      int n = pipeline.size();
      if (resuming != null && selection.selects()) {
        throw new IllegalArgumentException("a resumed run runs the steps of the run it resumes; drop "
            + String.join(" and ", selection.describe()));
      }
      selected = Selections.select(pipeline, selection);
      reused = new boolean[n];
      resumedFrom = resuming;
      if (resuming != null) {
        resume(resuming);
      }
      seed.putAll(inputs);
      String[] forcedBy = selection.forcedDownstream != null ? new String[n] : null;
      boolean[] forced = Selections.forced(pipeline, selection, forcedBy);
      planner = new Planner(pipeline, workspace.dataPlane(), workspace.env().store().bases(), selected, forced,
          forcedBy);
    }

    /** The resumed run, if its record still said RUNNING: its coordinator stopped without finishing it. */
    @Nullable RunReport lost;

    private void resume(String runId) {
      DataPlane plane = workspace.dataPlane();
      RunReport previous = workspace.env().store().find(runId).orElseThrow(() -> new OpsException(
          "no run " + dev.opskit.Names.quote(runId) + " in this workspace; resume needs the id of a failed or "
              + "cancelled run"));
      if (!previous.pipeline().equals(pipeline.name())) {
        throw new IllegalArgumentException("run " + runId + " ran pipeline '" + previous.pipeline()
            + "', not '" + pipeline.name() + "'");
      }
      if (previous.succeeded()) {
        throw new IllegalArgumentException("run " + runId + " succeeded; there is nothing to resume");
      }
      // Outputs this process still holds, or that were committed as versions, are reused. A step that succeeded but
      // whose outputs are gone (kept in memory by another process) runs again only if a step that runs again needs
      // them; otherwise it is reused without them.
      Map<String, Object> values = workspace.env().store().valuesOf(runId).orElse(Map.of());
      Arrays.fill(selected, false);
      int n = pipeline.size();
      boolean[] rerun = new boolean[n];
      boolean[] gone = new boolean[n];
      StepRecord[] records = new StepRecord[n];
      for (StepRecord record : previous.steps()) {
        int p = pipeline.positionOf(record.step());
        if (p < 0) {
          throw new OpsException("run " + runId + " has step '" + record.step() + "', which pipeline '"
              + pipeline.name() + "' no longer has; the definition changed since the run");
        }
        selected[p] = true;
        records[p] = record;
        if (!record.status().hasOutputs()) {
          rerun[p] = true;
          continue;
        }
        for (Dataset<?> out : pipeline.steps().get(p).outputs()) {
          gone[p] |= !values.containsKey(out.name()) && !(plane != null && record.outputs().containsKey(out.name()));
        }
      }
      if (previous.status() == RunStatus.RUNNING) {
        lost = previous;
        // Its coordinator stopped without a final record (a crash, a lost machine): the steps it did not record run
        // again. Those whose outputs a worker committed and the coordinator recorded are cache hits.
        for (int p = 0; p < n; p++) {
          if (records[p] == null) {
            selected[p] = true;
            rerun[p] = true;
          }
        }
      }
      // A step that succeeded runs again if its code version or parameters changed since: reusing its outputs would
      // mix the old definition's results into a run of the new one. So do the steps downstream of one that runs again
      // (positions are in topological order); with a catalog, those whose inputs come out the same are cache hits.
      Map<String, StepBases.Basis> bases = null;
      for (int p = 0; p < n; p++) {
        if (!selected[p] || rerun[p]) {
          continue;
        }
        for (int k = 0; k < pipeline.upstreamCount(p) && !rerun[p]; k++) {
          rerun[p] = rerun[pipeline.upstreamAt(p, k)];
        }
        StepRecord record = records[p];
        if (rerun[p] || record == null || record.fingerprint() == null) {
          continue;
        }
        if (bases == null) {
          try {
            bases = workspace.env().store().bases().load(pipeline.name());
          } catch (RuntimeException e) {
            LOG.warn("Could not read the last executions of pipeline '{}'; the resumed run reuses every step that "
                + "succeeded, without checking their definitions", pipeline.name(), e);
            bases = Map.of();
          }
        }
        rerun[p] = Planner.definitionChangedSince(pipeline.steps().get(p), record.fingerprint(), bases);
      }
      ArrayDeque<Integer> todo = new ArrayDeque<>();
      for (int p = 0; p < n; p++) {
        if (rerun[p]) {
          todo.push(p);
        }
      }
      while (!todo.isEmpty()) {
        int p = todo.pop();
        for (int k = 0; k < pipeline.upstreamCount(p); k++) {
          int u = pipeline.upstreamAt(p, k);
          if (selected[u] && gone[u] && !rerun[u]) {
            rerun[u] = true;
            todo.push(u);
          }
        }
      }
      for (int p = 0; p < n; p++) {
        if (!selected[p] || rerun[p]) {
          continue;
        }
        StepRecord record = records[p];
        reused[p] = true;
        reusedRecords.put(record.step(), record);
        if (gone[p]) {
          continue; // nothing that runs again reads its outputs
        }
        for (Dataset<?> out : pipeline.steps().get(p).outputs()) {
          String version = record.outputs().get(out.name());
          if (version != null) {
            seedVersions.put(out.name(), version);
          } else {
            seed.put(out.name(), values.get(out.name()));
          }
        }
      }
      for (Dataset<?> external : pipeline.externalInputs()) {
        Object value = values.get(external.name());
        if (value != null) {
          seed.put(external.name(), value);
        }
      }
    }

    boolean whole() {
      return resumedFrom == null && allTrue(selected);
    }
  }

  @Override
  public RunPlan explain() {
    if (spent) {
      throw new IllegalStateException("this run request was already used; plan a new one");
    }
    Resolved r = new Resolved();
    DataPlane plane = workspace.dataPlane();
    Map<String, String> versions = new HashMap<>(r.seedVersions);
    if (plane != null) {
      for (Dataset<?> in : r.whole() ? pipeline.externalInputs() : inputsFromOutside(r.selected, r.reused)) {
        Dataset<?> handle = pipeline.datasets().get(in.name());
        if (!versions.containsKey(in.name()) && handle != null && handle.codec().isPresent()
            && !r.seed.containsKey(in.name())) {
          plane.latestId(in.name()).ifPresent(version -> versions.put(in.name(), version));
        }
      }
    }
    checkInputs(r.selected, r.reused, r.seed, versions);
    return r.planner.explain(r.selected, r.reused, r.reusedRecords, r.resumedFrom, versions, r.seed.keySet());
  }

  private RunExecution prepare(RunLoop loop, String runId) {
    if (spent) {
      throw new IllegalStateException("this run request was already used; plan a new one");
    }
    spent = true;
    Resolved r = new Resolved();
    boolean[] selected = r.selected;
    boolean[] reused = r.reused;
    Map<String, Object> seed = r.seed;
    Map<String, String> seedVersions = r.seedVersions;
    DataPlane plane = workspace.dataPlane();
    // A run of every step reads nothing from outside but the declared externals, so only they need a look; other
    // selections go through every input of every selected step.
    boolean whole = r.whole();
    if (plane != null) {
      versionInputs(plane, runId, whole ? pipeline.externalInputs() : inputsFromOutside(selected, reused), seed,
          seedVersions);
    }
    if (!whole || !externalsSupplied(seed, seedVersions)) {
      checkInputs(selected, reused, seed, seedVersions);
    }
    List<RunListener> listeners = new ArrayList<>();
    listeners.add(RunLog.forRun());
    listeners.addAll(workspace.listeners());
    listeners.addAll(extraListeners);
    RunScope scope = new RunScope(runId, pipeline, workspace.env(), new Listeners(listeners), plane);
    RunExecution execution = new RunExecution(scope, executor == null ? workspace.defaultExecutor() : executor,
        failureMode == null ? FailureMode.KEEP_GOING : failureMode, loop, new RunStart(r.resumedFrom, selected,
            reused, seed, seedVersions, r.reusedRecords, r.planner, keepIntermediates));
    workspace.env().store().started(execution.header());
    RunReport lost = r.lost;
    if (lost != null) {
      // Its coordinator is gone (the caller says so by resuming it): the record ends as cancelled, so that no list
      // shows it running forever. A coordinator that was only slow and finishes after all writes its own end over it.
      workspace.env().store().save(new RunReport(lost.id(), lost.pipeline(), RunStatus.CANCELLED, lost.startedAt(),
          workspace.env().clock().instant(), lost.executor(), lost.resumedFrom().orElse(null), lost.steps(), Map.of(),
          dataset -> null));
      LOG.warn("Run {} of pipeline '{}' was still RUNNING in the workspace: its coordinator stopped without finishing "
          + "it. It is recorded CANCELLED and resumed as run {}", lost.id(), lost.pipeline(), runId);
    }
    workspace.started(execution);
    execution.completion().whenComplete((run, error) -> workspace.ended(execution));
    return execution;
  }

  /**
   * With a catalog: values supplied for versioned datasets are committed as versions, and versioned inputs that no
   * selected step produces come from their latest version.
   */
  private void versionInputs(DataPlane plane, String runId, Iterable<? extends Dataset<?>> candidates,
      Map<String, Object> seed, Map<String, String> seedVersions) {
    List<DataPlane.Output> supplied = new ArrayList<>();
    for (Dataset<?> in : candidates) {
      String name = in.name();
      Dataset<?> handle = pipeline.datasets().get(name);
      if (seedVersions.containsKey(name) || handle == null || handle.codec().isEmpty()) {
        continue;
      }
      Object value = seed.get(name);
      if (value != null) {
        supplied.add(new DataPlane.Output(handle, value));
      } else {
        plane.latestId(name).ifPresent(version -> seedVersions.put(name, version));
      }
    }
    if (!supplied.isEmpty()) {
      seedVersions.putAll(plane.commit(new DataPlane.Commit(runId, pipeline.name(), "input", null, Map.of(), supplied))
          .versions());
    }
  }

  /** The inputs of the selected steps that no selected step produces, each once. */
  private List<Dataset<?>> inputsFromOutside(boolean[] selected, boolean[] reused) {
    Map<String, Dataset<?>> outside = new java.util.LinkedHashMap<>();
    List<Step> steps = pipeline.steps();
    for (int p = 0; p < steps.size(); p++) {
      if (!selected[p] || reused[p]) {
        continue;
      }
      for (Dataset<?> in : steps.get(p).inputs()) {
        int producer = pipeline.producerPosition(in.name());
        if (producer < 0 || !selected[producer]) {
          outside.putIfAbsent(in.name(), in);
        }
      }
    }
    return new ArrayList<>(outside.values());
  }

  private boolean externalsSupplied(Map<String, Object> seed, Map<String, String> seedVersions) {
    for (Dataset<?> external : pipeline.externalInputs()) {
      if (!seed.containsKey(external.name()) && !seedVersions.containsKey(external.name())) {
        return false;
      }
    }
    return true;
  }

  private static boolean allTrue(boolean[] flags) {
    for (boolean f : flags) {
      if (!f) {
        return false;
      }
    }
    return true;
  }

  /** Every input of a step that runs must come from a step that runs, or have a value or a version already. */
  private void checkInputs(boolean[] selected, boolean[] reused, Map<String, Object> seed,
      Map<String, String> seedVersions) {
    Set<String> problems = new java.util.TreeSet<>();   // sorted, as every list in a message
    List<Step> steps = pipeline.steps();
    for (int p = 0; p < steps.size(); p++) {
      if (!selected[p] || reused[p]) {
        continue;
      }
      Step step = steps.get(p);
      for (Dataset<?> in : step.inputs()) {
        if (seed.containsKey(in.name()) || seedVersions.containsKey(in.name())) {
          continue;
        }
        int pp = pipeline.producerPosition(in.name());
        if (pp < 0) {
          problems.add("external input '" + in.name() + "' of step '" + step.name() + "' has no value; pass it with "
              + "input(dataset, value)");
        } else if (!selected[pp] || reused[pp]) {
          problems.add("step '" + step.name() + "' reads '" + in.name() + "', produced by step '"
              + steps.get(pp).name() + "', which is not part of this run; select it too or pass the value with "
              + "input(dataset, value)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Cannot run pipeline '" + pipeline.name() + "': " + problems.size()
          + (problems.size() == 1 ? " input has" : " inputs have") + " no value:\n  - " + String.join("\n  - ", problems));
    }
  }

  private static String[] names(String selection, String @Nullable [] current, String[] values) {
    Objects.requireNonNull(values, selection);
    if (current != null) {
      throw new IllegalStateException(selection + " is already set (to " + Arrays.toString(current) + "); set it once");
    }
    if (values.length == 0) {
      throw new IllegalArgumentException(selection + "(...) needs at least one name");
    }
    for (int i = 0; i < values.length; i++) {
      Objects.requireNonNull(values[i], selection + "[" + i + "]");
    }
    return values.clone();
  }
}
