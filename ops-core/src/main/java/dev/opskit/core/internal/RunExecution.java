package dev.opskit.core.internal;

import dev.opskit.OpsException;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.Executor;
import dev.opskit.run.FailureMode;
import dev.opskit.run.Run;
import dev.opskit.run.RunInfo;
import dev.opskit.run.RunStatus;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import dev.opskit.spi.DataPlane;
import dev.opskit.time.Scheduler;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run in progress. Steps are dispatched when their last producer finishes: each finishing step decrements its
 * dependents' counters and dispatches those that reach zero, on whatever thread finished it, so the runner adds no
 * thread hop of its own. Every state change of a step happens under that step's monitor, and each step reaches its
 * final state exactly once; the run ends when the last one does.
 *
 * <p>This class keeps that order of things: the cache decisions, dispatching and running attempts, counting steps
 * finished, releasing intermediates, and the run's end and report. Its parts hold the rest, one capability each:
 * {@link InputReader} (a step's inputs), {@link StepCommits} (a returned attempt's outputs), {@link StepFailures}
 * (retries, timeouts, failed steps), {@link RunStop} (cancelling and failing fast), {@link RemoteAttempts} (attempts
 * shipped to workers) and {@link ProgressReports}. Thread-safe.
 */
final class RunExecution {
  private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);

  private final RunScope scope;
  private final String runId;
  private final Pipeline pipeline;
  private final Executor executor;
  private final RunEnvironment env;
  private final Listeners listeners;
  private final RunLoop loop;
  private final @Nullable String resumedFrom;
  private final StepState[] report;
  private final StepState[] active;
  private final int[][] dependents;
  private final AtomicIntegerArray remaining;
  private final AtomicInteger unfinished;
  /** Steps of this run that ended neither SUCCEEDED nor CACHED. */
  private final AtomicInteger unsuccessful = new AtomicInteger();
  private final DatasetSlots slots;
  private final RunValues values;
  /** For each dataset slot, how many steps of this run that read it have not finished yet. */
  private final AtomicIntegerArray readersLeft;
  /** How many steps of this run read each slot, before any finished; never written. */
  private final int[] readers;
  /** Slots whose value a step of this run produces: released once their last reader finishes. */
  private final boolean[] releasable;
  private final boolean release;
  private final Map<String, String> versions;
  private final @Nullable DataPlane dataPlane;
  private final boolean[] cacheable;
  private final Planner planner;
  /** The direct executor runs steps in exactly the order of {@link Pipeline#steps()}; the run loop keeps it. */
  private final boolean inOrder;
  private final InputReader inputs;
  private final ProgressReports progress;
  private final StepCommits stepCommits;
  private final RemoteAttempts remote;
  private final RunStop runStop;
  private final StepFailures failures;
  private final CompletableFuture<Run> done = new CompletableFuture<>();
  private final Instant startedAt;

  /**
   * Prepares a run.
   *
   * @param scope the run's id, pipeline, environment, listeners and data plane
   * @param start which steps run, which are reused, and what is known before any runs
   */
  RunExecution(RunScope scope, Executor executor, FailureMode failureMode, RunLoop loop, RunStart start) {
    String resumedFrom = start.resumedFrom();
    Planner planner = start.planner();
    Pipeline pipeline = scope.pipeline();
    this.scope = scope;
    this.runId = scope.runId();
    this.pipeline = pipeline;
    this.executor = executor;
    this.env = scope.env();
    this.listeners = scope.listeners();
    this.loop = loop;
    this.resumedFrom = resumedFrom;
    this.slots = DatasetSlots.of(pipeline);
    this.values = new RunValues(slots);
    this.values.putAll(start.seed());
    this.versions = new ConcurrentHashMap<>(start.seedVersions());
    this.dataPlane = scope.dataPlane();
    this.planner = planner;
    this.release = !start.keepIntermediates();
    this.inOrder = executor == Executor.direct();
    this.startedAt = env.clock().instant();

    RunGraph graph = new RunGraph(pipeline, start, slots, this.dataPlane != null);
    this.report = graph.report;
    this.active = graph.active;
    this.dependents = graph.dependents;
    this.remaining = graph.remaining;
    this.readers = graph.readers;
    this.readersLeft = graph.readersLeft;
    this.releasable = graph.releasable;
    this.cacheable = graph.cacheable;
    this.unfinished = new AtomicInteger(active.length);
    RunDatasets datasets = new RunDatasets(slots, values, versions);
    this.inputs = new InputReader(scope, datasets);
    this.progress = new ProgressReports(scope, graph.byPosition);
    this.runStop = new RunStop(this, scope, active);
    this.failures = new StepFailures(this, scope, graph, runStop, failureMode);
    this.stepCommits = new StepCommits(this, scope, graph, datasets, failures);
    this.remote = new RemoteAttempts(this, scope, datasets, stepCommits, failures);
  }

  /** The dataset handle that carries the codec: the producer's, or the declared external's. */
  static @Nullable Dataset<?> codecOf(Pipeline pipeline, String dataset) {
    Dataset<?> d = pipeline.datasets().get(dataset);
    return d != null && d.codec().isPresent() ? d : null;
  }

  String runId() {
    return runId;
  }

  Pipeline pipeline() {
    return pipeline;
  }

  RunLoop loop() {
    return loop;
  }

  /** How the steps of this run read their inputs, for a worker in this process. */
  InputReader inputs() {
    return inputs;
  }

  /** The progress the steps of this run report. */
  ProgressReports progress() {
    return progress;
  }

  /** The attempts of this run that its executor ships to workers. */
  RemoteAttempts remote() {
    return remote;
  }

  boolean isStopping() {
    return runStop.isStopping();
  }

  /**
   * Stops the run, as {@link RunStop#stop} does.
   *
   * @return true if this call stopped the run
   */
  boolean stop(boolean cancel, String note) {
    return runStop.stop(cancel, note);
  }

  CompletableFuture<Run> completion() {
    return done;
  }

  /** Announces the run and dispatches every step whose inputs are ready. */
  void start() {
    Instant now = startedAt;
    if (listeners.beforePipelineRun) {
      List<String> names = new ArrayList<>(report.length);
      for (StepState s : report) {
        names.add(s.step.name());
      }
      listeners.beforePipelineRun(new RunInfo(runId, pipeline.name(), names, executor.name(), now, resumedFrom));
    }
    if (listeners.onStepFinished) {
      for (StepState s : report) {
        if (s.local < 0) {
          listeners.onStepFinished(scope.event(s.step, 0), s.record());
        }
      }
    }
    if (active.length == 0) {
      finishRun();
      return;
    }
    ArrayDeque<StepState> ready = new ArrayDeque<>();
    for (StepState s : active) {
      if (remaining.get(s.local) == 0) {
        ready.add(s);
      }
    }
    launch(ready);
  }

  /**
   * Starts steps whose inputs are all ready. A cacheable step whose earlier outputs still exist finishes at once as
   * CACHED and its dependents are launched in turn, iteratively, so long chains of cache hits use no stack.
   */
  private void launch(ArrayDeque<StepState> todo) {
    while (!todo.isEmpty()) {
      StepState s = todo.poll();
      if (cacheHit(s)) {
        for (int d : dependents[s.local]) {
          if (remaining.decrementAndGet(d) == 0) {
            todo.add(active[d]);
          }
        }
      } else {
        dispatch(s, 1);
      }
    }
  }

  /**
   * Asks the planner about a cacheable step whose inputs are now known, and reuses an earlier execution's outputs if
   * it says so.
   */
  private boolean cacheHit(StepState s) {
    if (!cacheable[s.local] || runStop.isStopping()) {
      return false;
    }
    Planner.Decision decision = planner.decide(s.position, s.step, versions);
    synchronized (s) {
      s.fingerprint = decision.fingerprint();
      s.inputVersions = decision.inputs();
      s.reason = decision.reason();
    }
    Map<String, String> hit = decision.hit();
    if (listeners.onStepCacheLookup && decision.fingerprint() != null
        && decision.reason().kind() != StepReason.Kind.FORCED) {
      listeners.onStepCacheLookup(scope.event(s.step, 0), hit != null);
    }
    if (hit == null) {
      return false;
    }
    versions.putAll(hit);
    boolean first;
    synchronized (s) {
      first = s.markTerminal(StepStatus.CACHED, null, decision.reason().kind() == StepReason.Kind.FROZEN
          ? "frozen: outputs of its last execution" : "outputs of an earlier execution with the same fingerprint",
          env.clock().instant());
      if (first) {
        s.outputs = hit;
      }
    }
    if (first) {
      stepFinished(s, 0);
    }
    return first;
  }

  /** Hands an attempt to the executor, unless the run is stopping. */
  void dispatch(StepState s, int number) {
    Attempt attempt = null;
    boolean stoppedNow;
    synchronized (s) {
      if (s.terminal) {
        return;
      }
      stoppedNow = runStop.isStopping() && runStop.markStopped(s, false);
      if (!stoppedNow) {
        attempt = new Attempt(this, s, number);
        s.current = attempt;
        s.retry = null;
        s.nextAttemptAt = null;
        s.status = StepStatus.PENDING;
      }
    }
    if (stoppedNow) {
      stepFinished(s, number - 1);
      return;
    }
    try {
      if (inOrder) {
        loop.executeInOrder(attempt);
      } else {
        executor.execute(attempt);
      }
    } catch (RuntimeException rejected) {
      if (attempt.advance(Attempt.QUEUED, Attempt.DONE)) {
        failures.attemptFailed(attempt, new OpsException("executor " + executor.name() + " refused step '"
            + s.step.name() + "': " + rejected.getMessage(), rejected));
      }
    }
  }

  /** Runs an attempt on the current thread. */
  void runAttempt(Attempt a) {
    if (!a.advance(Attempt.QUEUED, Attempt.RUNNING)) {
      return;
    }
    StepState s = a.state;
    Step step = s.step;
    Instant now = env.clock().instant();
    synchronized (s) {
      s.status = StepStatus.RUNNING;
      s.attempts = a.number;
      if (s.startedAt == null) {
        s.startedAt = now;
      }
    }
    a.bindThread(Thread.currentThread());
    failures.startTimeout(a);
    RunMdc mdc = RunMdc.enter(runId, pipeline.name(), step.name());
    try {
      StepContextImpl.InputSource source = inputs;
      Throwable failure = null;
      if (listeners.beforeStepRun) {
        Map<String, Object> replaced = listeners.beforeStepRun(
            scope.event(step, a.number, now), new StepInputs(inputs, step));
        if (!replaced.isEmpty()) {
          try {
            source = inputs.replacing(s, replaced);
          } catch (IllegalArgumentException e) {
            failure = e;
          }
        } else {
          synchronized (s) {
            s.replacedInputs = java.util.Set.of(); // an earlier attempt's; its execution stays unrecorded
          }
        }
      }
      StepContextImpl context = new StepContextImpl(runId, pipeline.name(), s.position, step, a.number, source,
          a, (done, total) -> progress.report(s, a.number, done, total));
      if (failure == null && a.phase() == Attempt.RUNNING) {
        try {
          step.function().run(context);
          failure = context.missingOutputs();
        } catch (Throwable t) {
          failure = t;
        }
      }
      finishAttempt(a, context, failure);
    } finally {
      mdc.exit();
    }
  }

  private void finishAttempt(Attempt a, StepContextImpl context, @Nullable Throwable failure) {
    Scheduler.Scheduled watchdog = a.timeout;
    if (watchdog != null) {
      watchdog.cancel();
    }
    boolean mine = a.advance(Attempt.RUNNING, Attempt.DONE);
    if (a.unbindThread()) {
      Thread.interrupted();
    }
    if (!mine) {
      return;
    }
    if (failure == null) {
      stepCommits.succeeded(a, context.outputs);
    } else {
      failures.attemptFailed(a, failure);
    }
  }

  /** Counts a succeeded step off its dependents, and starts those it was the last producer of. */
  void startDependents(StepState s) {
    if (dataPlane == null) {
      for (int d : dependents[s.local]) {
        if (remaining.decrementAndGet(d) == 0) {
          dispatch(active[d], 1);
        }
      }
      return;
    }
    // As launch() would, in the same order; the queue is only needed once a step could be a cache hit.
    ArrayDeque<StepState> todo = null;
    for (int d : dependents[s.local]) {
      if (remaining.decrementAndGet(d) == 0) {
        if (todo == null && !cacheable[d]) {
          dispatch(active[d], 1);
        } else {
          if (todo == null) {
            todo = new ArrayDeque<>();
          }
          todo.add(active[d]);
        }
      }
    }
    if (todo != null) {
      launch(todo);
    }
  }

  /**
   * Counts a step that reached its final state: releases the inputs of a succeeded one, tells the listeners, and ends
   * the run after its last step.
   *
   * @param attempt the attempt the step ended on, 0 if none ran
   */
  void stepFinished(StepState s, int attempt) {
    StepStatus finalStatus;
    Instant endedAt;
    synchronized (s) {
      finalStatus = s.status;
      endedAt = s.endedAt;
    }
    if (finalStatus != StepStatus.SUCCEEDED && finalStatus != StepStatus.CACHED) {
      // Its inputs stay: a resume of this run in this process runs it again without recomputing them.
      unsuccessful.incrementAndGet();
    } else if (release) {
      release(s);
    }
    if (listeners.onStepFinished) {
      listeners.onStepFinished(scope.event(s.step, attempt, endedAt != null ? endedAt : env.clock().instant()),
          s.record());
    }
    if (unfinished.decrementAndGet() == 0) {
      finishRun();
    }
  }

  /**
   * Drops the values of a succeeded step's inputs that no step of this run still has to read, if a step of this run
   * produced them: an intermediate is held only as long as it is needed. A versioned one can be loaded again. The
   * inputs of a step that did not succeed are never dropped, so that a resume in this process finds them.
   */
  private void release(StepState s) {
    int ins = s.step.inputs().size();
    for (int i = 0; i < ins; i++) {
      int slot = slots.inputSlot(s.position, i);
      // A value with one reader (every link of a chain) needs no count: its reader is its last.
      if (releasable[slot] && (readers[slot] == 1 || readersLeft.decrementAndGet(slot) == 0)) {
        values.release(slot);
      }
    }
  }

  private void finishRun() {
    RunStatus status;
    if (runStop.cancelled()) {
      status = RunStatus.CANCELLED;
    } else {
      status = unsuccessful.get() == 0 ? RunStatus.SUCCEEDED : RunStatus.FAILED;
    }
    if (dataPlane != null) {
      planner.remember(runId, java.util.Arrays.asList(active));
    }
    RunReport run = snapshot(status, env.clock().instant());
    try {
      env.store().save(run);
    } catch (RuntimeException e) {
      LOG.error("Run {} of pipeline '{}' ended {} but its record could not be saved in the workspace", runId,
          pipeline.name(), status, e);
    }
    if (resumedFrom != null && status == RunStatus.SUCCEEDED) {
      env.store().resumed(resumedFrom);
    }
    if (listeners.onPipelineError && status != RunStatus.SUCCEEDED) {
      Throwable error = failures.firstError();
      listeners.onPipelineError(run, error != null ? error : new CancellationException(runStop.note()));
    }
    if (listeners.afterPipelineRun) {
      listeners.afterPipelineRun(run);
    }
    done.complete(run);
    loop.finish();
  }

  /** A copy of the run's state now; the steps of a finished run are recorded when first read. */
  RunReport snapshot(RunStatus status, @Nullable Instant endedAt) {
    List<StepRecord> records;
    if (status != RunStatus.RUNNING) {
      records = new FinishedSteps(report);
    } else {
      records = new ArrayList<>(report.length);
      for (StepState s : report) {
        records.add(s.record());
      }
    }
    return new RunReport(runId, pipeline.name(), status, startedAt, endedAt, executor.name(), resumedFrom, records,
        values, inputs::valueOf);
  }

  RunReport snapshot() {
    return done.isDone() ? (RunReport) done.join() : snapshot(RunStatus.RUNNING, null);
  }

  /** The report of a run that has just started, without its steps, for the run's first record. */
  RunReport header() {
    return new RunReport(runId, pipeline.name(), RunStatus.RUNNING, startedAt, null, executor.name(), resumedFrom,
        List.of(), values, inputs::valueOf);
  }
}
