package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepRecord;
import dev.opskit.run.StepStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jspecify.annotations.Nullable;

/**
 * The shape and starting state of one run, worked out before it starts: a {@link StepState} per selected step (the
 * reused ones already final), the steps that run numbered locally, each one's dependents and count of unfinished
 * producers, which can be cached or commit versions, and how many steps read each dataset slot. A run of every step
 * takes the graph arrays from {@link Topology}, worked out once per pipeline. Used by the thread that prepares the
 * run; {@link RunExecution} takes the fields over.
 */
final class RunGraph {
  private static final int[] NONE = new int[0];

  /** Every selected step, in pipeline order, reused ones included. */
  final StepState[] report;
  /** The steps that run, by local number. */
  final StepState[] active;
  /** The state of each pipeline position that this run executes, null for the others. */
  final @Nullable StepState[] byPosition;
  final int[][] dependents;
  final AtomicIntegerArray remaining;
  final int[] readers;
  final AtomicIntegerArray readersLeft;
  final boolean[] releasable;
  final boolean[] cacheable;
  final boolean[] commits;

  RunGraph(Pipeline pipeline, RunStart start, DatasetSlots slots, boolean plane) {
    String resumedFrom = start.resumedFrom();
    boolean[] selected = start.selected();
    boolean[] reused = start.reused();
    Map<String, StepRecord> reusedRecords = start.reusedRecords();
    Planner planner = start.planner();
    List<Step> steps = pipeline.steps();
    int n = steps.size();
    int[] localOf = new int[n];
    int selectedCount = 0;
    int runCount = 0;
    for (int p = 0; p < n; p++) {
      if (selected[p]) {
        selectedCount++;
        if (!reused[p]) {
          runCount++;
        }
      }
    }
    StepState[] all = new StepState[selectedCount];
    StepState[] run = new StepState[runCount];
    int allSize = 0;
    int runSize = 0;
    for (int p = 0; p < n; p++) {
      localOf[p] = -1;
      if (!selected[p]) {
        continue;
      }
      if (reused[p]) {
        StepState s = new StepState(p, -1, steps.get(p));
        s.terminal = true;
        s.status = StepStatus.REUSED;
        s.note = "outputs reused from run " + resumedFrom;
        s.reason = StepReason.of(StepReason.Kind.REUSED, resumedFrom == null ? "" : resumedFrom);
        StepRecord previous = reusedRecords.get(steps.get(p).name());
        if (previous != null) {
          s.outputs = previous.outputs();
          s.fingerprint = previous.fingerprint();
        }
        all[allSize++] = s;
      } else {
        StepState s = new StepState(p, runSize, steps.get(p));
        s.reason = planner.reasonBefore(p);
        localOf[p] = runSize;
        all[allSize++] = s;
        run[runSize++] = s;
      }
    }
    this.report = all;
    this.active = run;
    this.byPosition = new StepState[n];
    for (StepState s : run) {
      byPosition[s.position] = s;
    }
    if (active.length == n) {
      // Every step runs: the graph of the run is the pipeline's, worked out once per pipeline.
      Topology t = Topology.of(pipeline);
      this.dependents = t.dependents;
      this.readers = t.readers;
      this.readersLeft = new AtomicIntegerArray(t.readers);
      this.releasable = t.produced;
      this.remaining = new AtomicIntegerArray(t.producers);
      this.cacheable = plane ? planner.cacheableByPosition() : new boolean[n];
      this.commits = plane ? t.versionedOutput : new boolean[n];
      return;
    }
    this.dependents = new int[active.length][];
    this.remaining = new AtomicIntegerArray(active.length);
    int[] scratch = new int[16];
    for (StepState s : active) {
      int count = 0;
      int downs = pipeline.downstreamCount(s.position);
      for (int k = 0; k < downs; k++) {
        int d = localOf[pipeline.downstreamAt(s.position, k)];
        if (d >= 0) {
          if (count == scratch.length) {
            scratch = java.util.Arrays.copyOf(scratch, count * 2);
          }
          scratch[count++] = d;
        }
      }
      dependents[s.local] = count == 0 ? NONE : java.util.Arrays.copyOf(scratch, count);
      int producers = 0;
      int ups = pipeline.upstreamCount(s.position);
      for (int k = 0; k < ups; k++) {
        if (localOf[pipeline.upstreamAt(s.position, k)] >= 0) {
          producers++;
        }
      }
      remaining.set(s.local, producers);
    }
    int[] readers = new int[slots.size()];
    this.releasable = new boolean[slots.size()];
    for (StepState s : active) {
      int ins = s.step.inputs().size();
      for (int i = 0; i < ins; i++) {
        readers[slots.inputSlot(s.position, i)]++;
      }
      int outs = s.step.outputs().size();
      for (int i = 0; i < outs; i++) {
        releasable[slots.outputSlot(s.position, i)] = true;
      }
    }
    this.readers = readers;
    this.readersLeft = new AtomicIntegerArray(readers);
    this.cacheable = new boolean[active.length];
    this.commits = new boolean[active.length];
    for (StepState s : active) {
      cacheable[s.local] = plane && planner.cacheable(s.position);
      commits[s.local] = plane && versionedOutput(pipeline, s.step);
    }
  }

  /**
   * What a run of every step of a pipeline needs of its graph: each step's dependents and producer count, which steps
   * write a versioned output, and how many steps read each dataset slot. Worked out on a pipeline's first whole run
   * and kept while the pipeline is reachable, so a pipeline run many times pays for it once. The arrays are never
   * written.
   */
  private static final class Topology {
    private static final PerPipeline<Topology> CACHE = new PerPipeline<>(Topology::new);

    final int[][] dependents;
    final int[] producers;
    final boolean[] versionedOutput;
    /** How many steps read each dataset slot. */
    final int[] readers;
    /** Which dataset slots some step produces. */
    final boolean[] produced;

    private Topology(Pipeline pipeline) {
      int n = pipeline.size();
      dependents = new int[n][];
      producers = new int[n];
      versionedOutput = new boolean[n];
      DatasetSlots slots = DatasetSlots.of(pipeline);
      readers = new int[slots.size()];
      produced = new boolean[slots.size()];
      List<Step> steps = pipeline.steps();
      for (int p = 0; p < n; p++) {
        int downs = pipeline.downstreamCount(p);
        int[] d = downs == 0 ? NONE : new int[downs];
        for (int k = 0; k < downs; k++) {
          d[k] = pipeline.downstreamAt(p, k);
        }
        dependents[p] = d;
        producers[p] = pipeline.upstreamCount(p);
        versionedOutput[p] = versionedOutput(pipeline, steps.get(p));
        for (int i = 0; i < steps.get(p).inputs().size(); i++) {
          readers[slots.inputSlot(p, i)]++;
        }
        for (int i = 0; i < steps.get(p).outputs().size(); i++) {
          produced[slots.outputSlot(p, i)] = true;
        }
      }
    }

    static Topology of(Pipeline pipeline) {
      return CACHE.of(pipeline);
    }
  }

  /** Whether some output of a step is a versioned dataset. */
  private static boolean versionedOutput(Pipeline pipeline, Step step) {
    for (Dataset<?> d : step.outputs()) {
      if (RunExecution.codecOf(pipeline, d.name()) != null) {
        return true;
      }
    }
    return false;
  }
}
