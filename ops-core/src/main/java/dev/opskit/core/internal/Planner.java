package dev.opskit.core.internal;

import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Freshness;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.pipeline.Step;
import dev.opskit.run.PlannedStep;
import dev.opskit.run.RunPlan;
import dev.opskit.run.StepReason;
import dev.opskit.run.StepReason.Kind;
import dev.opskit.run.StepRecord;
import dev.opskit.spi.DataPlane;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for each step of one run, whether it runs and why: forcing, freshness rules, fingerprints and cache
 * lookups, on top of the selection ({@link Selections}) and what is known of each step before any run
 * ({@link StepModes}). The same decisions serve {@code explain()}, which simulates a run, and the run itself, which asks
 * for each cacheable step once its inputs are known. Thread-safe once built: decisions for different steps may be
 * asked for concurrently.
 */
final class Planner {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);
  private static final StepReason FORCED = StepReason.of(Kind.FORCED);
  private static final StepReason NOT_CACHEABLE = StepReason.of(Kind.NOT_CACHEABLE);

  private final Pipeline pipeline;
  private final @Nullable DataPlane plane;
  private final StepBases bases;
  /** Null without a catalog: then nothing is cacheable. */
  private final @Nullable StepModes modes;
  /** Per-run reasons that replace the pipeline's fixed ones (forced steps, failed probes); null when there are none. */
  private final @Nullable StepReason @Nullable [] overrides;
  private final boolean @Nullable [] forced;
  /** Probe tokens of the selected steps that have a probe; null when there are none. */
  private final @Nullable String @Nullable [] tokens;
  private volatile @Nullable Map<String, StepBases.Basis> lastBases;

  /**
   * What a cacheable step's decision found.
   *
   * @param fingerprint the fingerprint to record with its outputs, or null if none could be computed
   * @param inputs the input versions it was computed from
   * @param reason why the step runs or is reused
   * @param hit the reused outputs' versions, or null if the step runs
   */
  record Decision(@Nullable String fingerprint, Map<String, String> inputs, StepReason reason,
      @Nullable Map<String, String> hit) {}

  /**
   * Plans a run.
   *
   * @param selected the selected positions; probes of the others are not called
   * @param forced positions forced to run, or null
   * @param forcedBy for each forced position, the step whose downstream it is ("" for a step forced itself), or null
   */
  Planner(Pipeline pipeline, @Nullable DataPlane plane, StepBases bases, boolean[] selected, boolean @Nullable [] forced,
      String @Nullable [] forcedBy) {
    this.pipeline = pipeline;
    this.plane = plane;
    this.bases = bases;
    this.modes = plane == null ? null : StepModes.of(pipeline);
    this.forced = forced;
    StepReason[] over = null;
    String[] tok = null;
    int n = pipeline.size();
    if (forced != null) {
      over = new StepReason[n];
      for (int p = 0; p < n; p++) {
        if (forced[p]) {
          over[p] = forcedBy == null || forcedBy[p] == null ? FORCED : StepReason.of(Kind.FORCED, forcedBy[p]);
        }
      }
    }
    if (modes != null && modes.probes) {
      for (int p = 0; p < n; p++) {
        if (!selected[p] || modes.mode[p] != StepModes.PROBE) {
          continue;
        }
        Freshness.Probe probe = pipeline.steps().get(p).freshness().flatMap(Freshness::probe).orElseThrow();
        if (tok == null) {
          tok = new String[n];
        }
        try {
          String token = probe.token();
          if (token == null) {
            throw new IllegalStateException("the probe returned null");
          }
          tok[p] = token;
        } catch (Exception | LinkageError e) {
          LOG.warn("The freshness probe of step '{}' failed; the step runs", pipeline.steps().get(p).name(), e);
          if (over == null) {
            over = new StepReason[n];
          }
          if (over[p] == null) {
            over[p] = StepReason.of(Kind.PROBE_FAILED, String.valueOf(e.getMessage()));
          }
        }
      }
    }
    this.overrides = over;
    this.tokens = tok;
  }

  // ---------------------------------------------------------------------------------------------------- decisions

  /** Whether a step's outputs can be reused in this run: a catalog, versioned datasets, and a rule that allows it. */
  boolean cacheable(int position) {
    return modes != null && modes.cacheable[position] && (overrides == null || overrides[position] == null
        || overrides[position].kind() == Kind.FORCED);
  }

  /** The cacheable flag of every position, shared between runs when no per-run rule changes it. */
  boolean[] cacheableByPosition() {
    if (modes == null) {
      return new boolean[pipeline.size()];
    }
    if (overrides == null) {
      return modes.cacheable;
    }
    boolean[] out = new boolean[pipeline.size()];
    for (int p = 0; p < out.length; p++) {
      out[p] = cacheable(p);
    }
    return out;
  }

  /**
   * The reason a step has before its inputs are known: final for a step that is not cacheable, provisional (until
   * {@link #decide}) for one that is.
   */
  StepReason reasonBefore(int position) {
    if (overrides != null && overrides[position] != null) {
      return overrides[position];
    }
    return modes == null ? NOT_CACHEABLE : modes.reason[position];
  }

  /** The freshness token of a step with a probe, for this run. */
  @Nullable String token(int position) {
    return tokens == null ? null : tokens[position];
  }

  /**
   * Decides a cacheable step once its inputs' versions are known: computes its fingerprint and reuses an earlier
   * execution if its outputs still exist, or says why it runs.
   */
  Decision decide(int position, Step step, Map<String, String> versions) {
    DataPlane dp = plane;
    Map<String, String> inputs = new TreeMap<>();
    for (Dataset<?> in : step.inputs()) {
      String version = versions.get(in.name());
      if (version == null) {
        return new Decision(null, Map.of(), StepReason.of(Kind.CHANGED), null);
      }
      inputs.put(in.name(), version);
    }
    String code;
    String fingerprint;
    String token = token(position);
    try {
      code = CodeVersions.of(step);
      fingerprint = Fingerprints.of(step, code, inputs, token);
    } catch (RuntimeException e) {
      LOG.warn("Could not fingerprint step '{}'; it runs without caching", step.name(), e);
      return new Decision(null, inputs, StepReason.of(Kind.CHANGED), null);
    }
    if (forced != null && forced[position]) {
      return new Decision(fingerprint, inputs, reasonBefore(position), null);
    }
    List<String> outputs = outputNames(step);
    if (modes.mode[position] == StepModes.FROZEN) {
      StepBases.Basis last = bases().get(step.name());
      if (last != null) {
        DataPlane.CachedExecution frozen = lookup(dp, step, last.fingerprint(), outputs);
        if (frozen != null) {
          return new Decision(last.fingerprint(), last.inputs(), StepReason.of(Kind.FROZEN, frozen.run()),
              frozen.outputs());
        }
      }
    }
    DataPlane.CachedExecution hit = lookup(dp, step, fingerprint, outputs);
    if (hit != null) {
      return new Decision(fingerprint, inputs, StepReason.of(Kind.CACHED, hit.run()), hit.outputs());
    }
    return new Decision(fingerprint, inputs, whyMiss(step, code, fingerprint, inputs, token, outputs), null);
  }

  private static DataPlane.@Nullable CachedExecution lookup(DataPlane dp, Step step, String fingerprint,
      List<String> outputs) {
    try {
      return dp.cachedExecution(fingerprint, outputs).orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("Could not look up the cache for step '{}'; it runs", step.name(), e);
      return null;
    }
  }

  /** Compares a step that must run with its last execution, and names the first difference. */
  private StepReason whyMiss(Step step, String code, String fingerprint, Map<String, String> inputs,
      @Nullable String token, List<String> outputs) {
    StepBases.Basis last = bases().get(step.name());
    if (last == null) {
      return StepReason.of(Kind.NEVER_RAN);
    }
    StepReason definition = definitionChanged(step, code, last);
    if (definition != null) {
      return definition;
    }
    for (String dataset : union(last.inputs().keySet(), inputs.keySet())) {
      String before = last.inputs().getOrDefault(dataset, "");
      String after = inputs.getOrDefault(dataset, "");
      if (!before.equals(after)) {
        return new StepReason(Kind.INPUT_CHANGED, dataset, before, after);
      }
    }
    StepReason fresh = tokenChanged(token, last);
    if (fresh != null) {
      return fresh;
    }
    if (last.fingerprint().equals(fingerprint)) {
      for (String output : outputs) {
        if (lookup(plane, step, fingerprint, List.of(output)) == null) {
          return StepReason.of(Kind.OUTPUT_MISSING, output);
        }
      }
      return StepReason.of(Kind.OUTPUT_MISSING);
    }
    return StepReason.of(Kind.CHANGED);
  }

  /**
   * Whether a step's code version or parameters differ from those of an earlier execution with a given fingerprint.
   * Only the last execution of each step is described ({@link StepBases}); when it is not the one with that
   * fingerprint, nothing is known, and the answer is false.
   *
   * @param step the step as defined now
   * @param fingerprint the earlier execution's fingerprint
   * @param bases the last execution of each step of the pipeline
   * @return true if the definition changed since
   */
  static boolean definitionChangedSince(Step step, String fingerprint, Map<String, StepBases.Basis> bases) {
    StepBases.Basis last = bases.get(step.name());
    if (last == null || !last.fingerprint().equals(fingerprint)) {
      return false;
    }
    try {
      return definitionChanged(step, CodeVersions.of(step), last) != null;
    } catch (RuntimeException e) {
      LOG.warn("Could not compare step '{}' with its last execution; it runs again", step.name(), e);
      return true;
    }
  }

  /** A change of code version or parameters since the last execution, which alone makes a step run. */
  private static @Nullable StepReason definitionChanged(Step step, String code, StepBases.Basis last) {
    if (!last.code().equals(code)) {
      return new StepReason(Kind.CODE_CHANGED, "", shown(last.code()), shown(code));
    }
    Map<String, String> params = params(step);
    for (String key : union(last.params().keySet(), params.keySet())) {
      String before = last.params().getOrDefault(key, "");
      String after = params.getOrDefault(key, "");
      if (!before.equals(after)) {
        return new StepReason(Kind.PARAMETER_CHANGED, key, before, after);
      }
    }
    return null;
  }

  /** A code version as the user set it; a derived one (a hash of the function's class) as it is. */
  private static String shown(String code) {
    return code.startsWith("explicit:") ? code.substring("explicit:".length()) : code;
  }

  private static @Nullable StepReason tokenChanged(@Nullable String token, StepBases.Basis last) {
    String lastToken = last.token() == null ? "" : last.token();
    String nowToken = token == null ? "" : token;
    return lastToken.equals(nowToken) ? null : new StepReason(Kind.FRESHNESS_CHANGED, "", lastToken, nowToken);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Each parameter as canonical JSON, as it goes into the fingerprint. */
  static Map<String, String> params(Step step) {
    if (step.params().isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    step.params().forEach((k, v) -> out.put(k, Fingerprints.canonical(v)));
    return out;
  }

  private static List<String> outputNames(Step step) {
    List<Dataset<?>> outs = step.outputs();
    if (outs.size() == 1) {
      return List.of(outs.get(0).name());
    }
    List<String> names = new ArrayList<>(outs.size());
    for (Dataset<?> out : outs) {
      names.add(out.name());
    }
    return names;
  }

  /** The last bases of the pipeline's steps, read once per run on first need. */
  Map<String, StepBases.Basis> bases() {
    Map<String, StepBases.Basis> b = lastBases;
    if (b == null) {
      synchronized (this) {
        b = lastBases;
        if (b == null) {
          try {
            b = bases.load(pipeline.name());
          } catch (RuntimeException e) {
            LOG.warn("Could not read the last executions of pipeline '{}'; reasons will say less", pipeline.name(), e);
            b = Map.of();
          }
          lastBases = b;
        }
      }
    }
    return b;
  }

  /**
   * Records what the fingerprints of the steps that ran or were reused were made of, for the next run's reasons.
   * Steps whose basis did not change are not written again, nor are steps that produced no outputs.
   */
  void remember(String runId, List<StepState> finished) {
    if (modes == null || !modes.anyCacheable) {
      return;
    }
    List<StepBases.Basis> changed = new ArrayList<>();
    Map<String, StepBases.Basis> known = null;
    for (StepState s : finished) {
      String fingerprint;
      Map<String, String> inputs;
      boolean produced;
      synchronized (s) {
        fingerprint = s.fingerprint;
        inputs = s.inputVersions;
        produced = s.status.hasOutputs();
      }
      // A step that failed or was cancelled wrote nothing: the next run compares with its last execution that did,
      // instead of saying that the failed one's outputs are missing.
      if (fingerprint == null || !produced) {
        continue;
      }
      if (known == null) {
        known = bases();
      }
      StepBases.Basis last = known.get(s.step.name());
      if (last != null && last.fingerprint().equals(fingerprint)) {
        continue;
      }
      try {
        changed.add(new StepBases.Basis(s.step.name(), fingerprint, CodeVersions.of(s.step), params(s.step), inputs,
            token(s.position), runId));
      } catch (RuntimeException e) {
        LOG.debug("Could not describe the fingerprint of step '{}'", s.step.name(), e);
      }
    }
    try {
      bases.save(pipeline.name(), changed);
    } catch (RuntimeException e) {
      LOG.warn("Could not record the fingerprints of run {}; the next run's reasons will say less", runId, e);
    }
  }

  // ---------------------------------------------------------------------------------------------------- explain

  /**
   * Simulates a run: each selected step in order, with the versions that earlier cache hits would give their
   * consumers. Nothing runs and nothing is written.
   *
   * @param versions the versions known before the run (resumed outputs, latest versions of inputs from outside);
   *     the map is used as scratch
   * @param supplied datasets whose values are given to the run and committed only when it starts
   */
  RunPlan explain(boolean[] selected, boolean[] reused, Map<String, StepRecord> reusedRecords,
      @Nullable String resumedFrom, Map<String, String> versions, Set<String> supplied) {
    List<Step> steps = pipeline.steps();
    int n = steps.size();
    Map<String, String> pending = new HashMap<>();
    for (String name : supplied) {
      if (!versions.containsKey(name)) {
        pending.put(name, "input");
      }
    }
    List<PlannedStep> out = new ArrayList<>(n);
    StepReason notSelected = StepReason.of(Kind.NOT_SELECTED);
    for (int p = 0; p < n; p++) {
      Step step = steps.get(p);
      if (!selected[p]) {
        out.add(new PlannedStep(step.name(), notSelected, Map.of()));
        continue;
      }
      if (reused[p]) {
        StepRecord record = reusedRecords.get(step.name());
        Map<String, String> kept = record == null ? Map.of() : record.outputs();
        versions.putAll(kept);
        out.add(new PlannedStep(step.name(), StepReason.of(Kind.REUSED, resumedFrom == null ? "" : resumedFrom), kept));
        continue;
      }
      Decision d = null;
      StepReason reason = reasonBefore(p);
      if (cacheable(p) && !(forced != null && forced[p])) {
        String waitingFor = null;
        for (Dataset<?> in : step.inputs()) {
          if (!versions.containsKey(in.name()) && pending.containsKey(in.name())) {
            waitingFor = in.name();
            break;
          }
        }
        d = waitingFor == null ? decide(p, step, versions) : decidePending(p, step, waitingFor,
            pending.get(waitingFor));
        reason = d.reason();
      }
      if (d != null && d.hit() != null) {
        versions.putAll(d.hit());
        out.add(new PlannedStep(step.name(), reason, d.hit()));
      } else if (reason.runs()) {
        for (Dataset<?> o : step.outputs()) {
          versions.remove(o.name());
          pending.put(o.name(), step.name());
        }
        out.add(new PlannedStep(step.name(), reason, Map.of()));
      } else {
        out.add(new PlannedStep(step.name(), reason, Map.of()));
      }
    }
    return new RunPlan(pipeline.name(), out);
  }

  /**
   * Decides a step one of whose inputs is produced during the simulated run, so that its new version is unknown: a
   * frozen step is still reused if its last outputs exist; otherwise a change of definition or token since the last
   * execution is a certain reason to run, and without one the step runs because its input is pending.
   */
  private Decision decidePending(int position, Step step, String dataset, String producer) {
    StepBases.Basis last = bases().get(step.name());
    if (last == null) {
      return new Decision(null, Map.of(), StepReason.of(Kind.NEVER_RAN), null);
    }
    if (modes.mode[position] == StepModes.FROZEN) {
      DataPlane.CachedExecution frozen = lookup(plane, step, last.fingerprint(), outputNames(step));
      if (frozen != null) {
        return new Decision(last.fingerprint(), last.inputs(), StepReason.of(Kind.FROZEN, frozen.run()),
            frozen.outputs());
      }
    }
    StepReason reason;
    try {
      reason = definitionChanged(step, CodeVersions.of(step), last);
    } catch (RuntimeException e) {
      reason = null;
    }
    if (reason == null) {
      reason = tokenChanged(token(position), last);
    }
    if (reason == null) {
      reason = new StepReason(Kind.INPUT_PENDING, dataset, "", producer);
    }
    return new Decision(null, Map.of(), reason, null);
  }
}
