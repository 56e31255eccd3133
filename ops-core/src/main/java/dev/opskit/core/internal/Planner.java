package dev.opskit.core.internal;

import dev.opskit.Names;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Decides, for each step of one run, whether it runs and why: the selection, forcing, freshness rules, fingerprints
 * and cache lookups. The same decisions serve {@code explain()}, which simulates a run, and the run itself, which asks
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
  private final Modes modes;
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
    this.modes = plane == null ? null : Modes.of(pipeline);
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
        if (!selected[p] || modes.mode[p] != Modes.PROBE) {
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

  // ---------------------------------------------------------------------------------------------------- selection

  /** Applies every selection; their intersection must not be empty. */
  static boolean[] select(Pipeline pipeline, Selection sel) {
    int n = pipeline.size();
    boolean[] selected = new boolean[n];
    Arrays.fill(selected, true);
    if (sel.only != null) {
      boolean[] s = new boolean[n];
      for (String name : sel.only) {
        s[position(pipeline, "only", name)] = true;
      }
      intersect(selected, s);
    }
    if (sel.from != null) {
      intersect(selected, downstream(pipeline, positions(pipeline, "from", sel.from)));
    }
    if (sel.to != null) {
      intersect(selected, upstream(pipeline, positions(pipeline, "to", sel.to)));
    }
    if (sel.fromInputs != null) {
      List<Integer> readers = new ArrayList<>();
      for (String dataset : sel.fromInputs) {
        requireDataset(pipeline, "fromInputs", dataset);
        for (int p = 0; p < n; p++) {
          for (Dataset<?> in : pipeline.steps().get(p).inputs()) {
            if (in.name().equals(dataset)) {
              readers.add(p);
            }
          }
        }
      }
      intersect(selected, downstream(pipeline, readers));
    }
    if (sel.toOutputs != null) {
      List<Integer> producers = new ArrayList<>();
      for (String dataset : sel.toOutputs) {
        requireDataset(pipeline, "toOutputs", dataset);
        int p = pipeline.producerPosition(dataset);
        if (p >= 0) {
          producers.add(p);
        }
      }
      intersect(selected, upstream(pipeline, producers));
    }
    if (sel.tags != null) {
      Set<String> known = new TreeSet<>();
      for (Step step : pipeline.steps()) {
        known.addAll(step.tags());
      }
      List<String> unknown = new ArrayList<>();
      for (String tag : sel.tags) {
        if (!known.contains(tag)) {
          unknown.add(tag);
        }
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("withTags(...) names " + (unknown.size() == 1 ? "tag '" + unknown.get(0)
            + "', which no step" : "tags " + sorted(unknown) + ", which no step") + " of pipeline '" + pipeline.name()
            + "' carries" + Names.hint(unknown.get(0), known, "tags"));
      }
      Set<String> wanted = Set.of(sel.tags);
      boolean[] s = new boolean[n];
      for (int p = 0; p < n; p++) {
        for (String tag : pipeline.steps().get(p).tags()) {
          if (wanted.contains(tag)) {
            s[p] = true;
            break;
          }
        }
      }
      intersect(selected, s);
    }
    if (sel.namespaces != null) {
      Set<String> known = new TreeSet<>();
      for (Step step : pipeline.steps()) {
        String name = step.name();
        for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
          known.add(name.substring(0, dot));
        }
      }
      boolean[] s = new boolean[n];
      for (String ns : sel.namespaces) {
        if (!known.contains(ns)) {
          throw new IllegalArgumentException("inNamespace(...) names namespace '" + ns + "', which pipeline '"
              + pipeline.name() + "' does not have" + Names.hint(ns, known, "namespaces"));
        }
        String prefix = ns + ".";
        for (int p = 0; p < n; p++) {
          if (pipeline.steps().get(p).name().startsWith(prefix)) {
            s[p] = true;
          }
        }
      }
      intersect(selected, s);
    }
    if (n == 0 || !sel.selects()) {
      return selected;
    }
    for (boolean b : selected) {
      if (b) {
        return selected;
      }
    }
    throw new IllegalArgumentException("the selection " + String.join(" and ", sel.describe())
        + " matches no step of pipeline '" + pipeline.name() + "'");
  }

  /**
   * The forced positions of a request, or null if none: steps forced themselves, every step with {@code forceAll},
   * and the steps downstream of those forced downstream.
   *
   * @param forcedBy filled, when not null, with the step each position is forced downstream of ("" if itself)
   */
  static boolean @Nullable [] forced(Pipeline pipeline, Selection sel, String @Nullable [] forcedBy) {
    int n = pipeline.size();
    if (!sel.forceAll && sel.forced == null && sel.forcedDownstream == null) {
      return null;
    }
    boolean[] forced = new boolean[n];
    if (sel.forceAll) {
      Arrays.fill(forced, true);
      return forced;
    }
    if (sel.forcedDownstream != null) {
      for (String name : sel.forcedDownstream) {
        int start = position(pipeline, "forceDownstream", name);
        boolean[] down = downstream(pipeline, List.of(start));
        for (int p = 0; p < n; p++) {
          if (down[p] && !forced[p]) {
            forced[p] = true;
            if (forcedBy != null && p != start) {
              forcedBy[p] = name;
            }
          }
        }
      }
    }
    if (sel.forced != null) {
      for (String name : sel.forced) {
        int p = position(pipeline, "force", name);
        forced[p] = true;
        if (forcedBy != null) {
          forcedBy[p] = null;
        }
      }
    }
    return forced;
  }

  static int position(Pipeline pipeline, String selection, String name) {
    int p = pipeline.positionOf(name);
    if (p < 0) {
      List<String> names = new ArrayList<>(pipeline.size());
      for (Step s : pipeline.steps()) {
        names.add(s.name());
      }
      throw new IllegalArgumentException(selection + "(...) names step '" + name + "', which pipeline '"
          + pipeline.name() + "' does not have" + Names.hint(name, names, "steps"));
    }
    return p;
  }

  private static List<Integer> positions(Pipeline pipeline, String selection, String[] names) {
    List<Integer> out = new ArrayList<>(names.length);
    for (String name : names) {
      out.add(position(pipeline, selection, name));
    }
    return out;
  }

  private static void requireDataset(Pipeline pipeline, String selection, String dataset) {
    if (!pipeline.datasets().containsKey(dataset)) {
      throw new IllegalArgumentException(selection + "(...) names dataset '" + dataset + "', which pipeline '"
          + pipeline.name() + "' does not have" + Names.hint(dataset, pipeline.datasets().keySet(), "datasets"));
    }
  }

  private static boolean[] downstream(Pipeline pipeline, List<Integer> starts) {
    boolean[] s = new boolean[pipeline.size()];
    ArrayDeque<Integer> todo = new ArrayDeque<>(starts);
    while (!todo.isEmpty()) {
      int p = todo.pop();
      if (!s[p]) {
        s[p] = true;
        for (int k = 0; k < pipeline.downstreamCount(p); k++) {
          todo.push(pipeline.downstreamAt(p, k));
        }
      }
    }
    return s;
  }

  private static boolean[] upstream(Pipeline pipeline, List<Integer> starts) {
    boolean[] s = new boolean[pipeline.size()];
    ArrayDeque<Integer> todo = new ArrayDeque<>(starts);
    while (!todo.isEmpty()) {
      int p = todo.pop();
      if (!s[p]) {
        s[p] = true;
        for (int k = 0; k < pipeline.upstreamCount(p); k++) {
          todo.push(pipeline.upstreamAt(p, k));
        }
      }
    }
    return s;
  }

  private static void intersect(boolean[] into, boolean[] with) {
    for (int i = 0; i < into.length; i++) {
      into[i] &= with[i];
    }
  }

  private static List<String> sorted(List<String> names) {
    List<String> out = new ArrayList<>(names);
    out.sort(null);
    return out;
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
    if (modes.mode[position] == Modes.FROZEN) {
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
   * Steps whose basis did not change are not written again.
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
      synchronized (s) {
        fingerprint = s.fingerprint;
        inputs = s.inputVersions;
      }
      if (fingerprint == null) {
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
    if (modes.mode[position] == Modes.FROZEN) {
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

  // ---------------------------------------------------------------------------------------------------- modes

  /**
   * What the planner knows of each step of a pipeline before any run, assuming a catalog: whether it can be cached,
   * and if not, why. Worked out once per pipeline; the arrays are never written.
   */
  static final class Modes {
    static final byte NORMAL = 0;
    static final byte FIXED = 1;
    static final byte PROBE = 2;
    static final byte FROZEN = 3;
    private static final PerPipeline<Modes> CACHE = new PerPipeline<>(Modes::new);

    final byte[] mode;
    final boolean[] cacheable;
    /** The reason of a step that is not cacheable; for the others, a provisional one until its decision. */
    final StepReason[] reason;
    final boolean probes;
    /** Whether any step can be cached at all; if none, a run has nothing to remember. */
    final boolean anyCacheable;

    private Modes(Pipeline pipeline) {
      int n = pipeline.size();
      mode = new byte[n];
      cacheable = new boolean[n];
      reason = new StepReason[n];
      boolean anyProbe = false;
      boolean any = false;
      StepReason provisional = StepReason.of(Kind.NEVER_RAN);
      for (int p = 0; p < n; p++) {
        Step step = pipeline.steps().get(p);
        Freshness.Kind rule = step.freshness().map(Freshness::kind).orElse(null);
        String uncodec = withoutCodec(pipeline, step);
        StepReason fixed = null;
        if (step.outputs().isEmpty()) {
          fixed = StepReason.of(Kind.NO_OUTPUTS);
        } else if (rule == Freshness.Kind.ALWAYS) {
          fixed = StepReason.of(Kind.ALWAYS);
        } else if (uncodec != null) {
          fixed = StepReason.of(Kind.NOT_CACHEABLE, uncodec);
        } else if (rule == null && step.isSource()) {
          fixed = StepReason.of(Kind.SOURCE);
        }
        if (fixed != null) {
          mode[p] = FIXED;
          reason[p] = fixed;
        } else {
          cacheable[p] = true;
          any = true;
          reason[p] = provisional;
          mode[p] = rule == Freshness.Kind.PROBE ? PROBE : rule == Freshness.Kind.FROZEN ? FROZEN : NORMAL;
          anyProbe |= rule == Freshness.Kind.PROBE;
        }
      }
      probes = anyProbe;
      anyCacheable = any;
    }

    static Modes of(Pipeline pipeline) {
      return CACHE.of(pipeline);
    }

    private static @Nullable String withoutCodec(Pipeline pipeline, Step step) {
      for (Dataset<?> d : step.inputs()) {
        if (!hasCodec(pipeline, d.name())) {
          return d.name();
        }
      }
      for (Dataset<?> d : step.outputs()) {
        if (!hasCodec(pipeline, d.name())) {
          return d.name();
        }
      }
      return null;
    }

    private static boolean hasCodec(Pipeline pipeline, String dataset) {
      Dataset<?> d = pipeline.datasets().get(dataset);
      return d != null && d.codec().isPresent();
    }
  }
}
