package dev.opskit.ml.promotion;

import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.data.DatasetVersionNotFoundException;
import dev.opskit.data.profile.DriftReport;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.tracking.DatasetInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The built-in promotion gates.
 *
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class Gates {
  private Gates() {}

  /**
   * Passes if the candidate's metric is at least a threshold.
   *
   * @param metric the metric, from the version's provenance
   * @param min the threshold, inclusive
   * @return the gate
   * @throws IllegalArgumentException if the metric is blank or the threshold is NaN or infinite
   */
  public static PromotionGate metricAtLeast(String metric, double min) {
    checkMetric(metric);
    checkFinite("min", min);
    String name = "metric(" + metric + " >= " + number(min) + ")";
    return gate(name, Set.of(metric), spec("metricAtLeast", "metric", metric, "min", Double.toString(min)),
        ctx -> threshold(name, ctx.candidate(), metric, v -> v >= min, ">= " + number(min)));
  }

  /**
   * Passes if the candidate's metric is at most a threshold, for losses and latencies.
   *
   * @param metric the metric
   * @param max the threshold, inclusive
   * @return the gate
   * @throws IllegalArgumentException if the metric is blank or the threshold is NaN or infinite
   */
  public static PromotionGate metricAtMost(String metric, double max) {
    checkMetric(metric);
    checkFinite("max", max);
    String name = "metric(" + metric + " <= " + number(max) + ")";
    return gate(name, Set.of(metric), spec("metricAtMost", "metric", metric, "max", Double.toString(max)),
        ctx -> threshold(name, ctx.candidate(), metric, v -> v <= max, "<= " + number(max)));
  }

  private static GateResult threshold(String name, ModelVersion candidate, String metric, Predicate<Double> test,
      String rule) {
    Optional<Double> value = candidate.metric(metric);
    if (value.isEmpty()) {
      return GateResult.fail(name, "v" + candidate.number() + " has no metric '" + metric + "'; its metrics are "
          + new TreeSet<>(candidate.provenance().metrics().keySet()), Map.of());
    }
    boolean ok = test.test(value.get());
    return new GateResult(name, ok, metric + " = " + number(value.get()) + (ok ? " meets " : " does not meet ") + rule,
        Map.of(metric, number(value.get())));
  }

  /**
   * Passes if the candidate beats the production version by a margin on a metric where higher is better. With nothing
   * in production, or the candidate itself in production, it passes.
   *
   * <p>Which metrics it compares depends on the evaluation datasets the two provenances name (their
   * {@link DatasetInput#EVALUATION evaluation} inputs, recorded with
   * {@code Provenance.builder().dataset(name, versionId, "evaluation")}):
   *
   * <ul>
   *   <li>both name the same evaluation dataset versions: it compares the metrics;
   *   <li>neither names one: it compares the metrics as recorded, and its evidence says that neither names an
   *       evaluation dataset (the metrics may then come from different data);
   *   <li>only one names one, or they name different versions: it fails, saying what each was evaluated on.
   * </ul>
   *
   * @param metric the metric; higher is better
   * @param margin how much better, at least 0
   * @return the gate
   * @throws IllegalArgumentException if the metric is blank or the margin is below 0, NaN or infinite
   */
  public static PromotionGate beatsChampion(String metric, double margin) {
    checkMetric(metric);
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be 0 or more, got " + margin);
    }
    String name = "beats-champion(" + metric + " + " + number(margin) + ")";
    return gate(name, Set.of(metric), spec("beatsChampion", "metric", metric, "margin", Double.toString(margin)),
        ctx -> {
      ModelVersion candidate = ctx.candidate();
      Optional<ModelVersion> champion = ctx.champion();
      if (champion.isEmpty() || champion.get().number() == candidate.number()) {
        return GateResult.pass(name, "no champion in production to beat", Map.of());
      }
      ModelVersion champ = champion.get();
      Set<DatasetInput> candidateEval = new HashSet<>(candidate.provenance().datasets(DatasetInput.EVALUATION));
      Set<DatasetInput> championEval = new HashSet<>(champ.provenance().datasets(DatasetInput.EVALUATION));
      Optional<String> mismatch = evaluationMismatch(candidate, candidateEval, champ, championEval);
      if (mismatch.isPresent()) {
        return GateResult.fail(name, mismatch.get(), Map.of());
      }
      // the same evaluation data, or none named on either side: the metrics are compared as recorded
      String evaluatedOn = candidateEval.isEmpty() ? NO_EVALUATION_DATASET : describe(candidateEval);
      Optional<Double> c = candidate.metric(metric);
      Optional<Double> p = champ.metric(metric);
      if (c.isEmpty() || p.isEmpty()) {
        return GateResult.fail(name, (c.isEmpty() ? "v" + candidate.number() : "champion v" + champ.number())
            + " has no metric '" + metric + "'", Map.of(EVALUATION_EVIDENCE, evaluatedOn));
      }
      boolean ok = c.get() >= p.get() + margin;
      Map<String, String> evidence = new LinkedHashMap<>();
      evidence.put("candidate", number(c.get()));
      evidence.put("champion", number(p.get()));
      evidence.put("champion_version", Integer.toString(champ.number()));
      evidence.put(EVALUATION_EVIDENCE, evaluatedOn);
      return new GateResult(name, ok, metric + " " + number(c.get()) + (ok ? " beats " : " does not beat ")
          + "champion v" + champ.number() + "'s " + number(p.get()) + " by " + number(margin)
          + (candidateEval.isEmpty() ? " (" + NO_EVALUATION_DATASET + ")" : ""), evidence);
    });
  }

  /** The evidence key of {@link #beatsChampion} that says which evaluation data the metrics compared come from. */
  private static final String EVALUATION_EVIDENCE = "evaluation_dataset";

  /** What {@link #beatsChampion} says when neither version names an evaluation dataset. */
  private static final String NO_EVALUATION_DATASET = "neither names an evaluation dataset";

  /**
   * Why two versions' metrics cannot be compared: one names an evaluation dataset and the other none, or they name
   * different versions; empty when they name the same ones, or neither names any.
   */
  private static Optional<String> evaluationMismatch(ModelVersion candidate, Set<DatasetInput> candidateEval,
      ModelVersion champion, Set<DatasetInput> championEval) {
    if (candidateEval.equals(championEval)) {
      return Optional.empty();
    }
    String how = "; record the evaluation dataset of both with Provenance.Builder.dataset(name, versionId, "
        + "\"evaluation\") to compare them on the same version";
    if (championEval.isEmpty()) {
      return Optional.of("v" + candidate.number() + " was evaluated on " + describe(candidateEval) + " but champion v"
          + champion.number() + " names no evaluation dataset, so their metrics may come from different data" + how);
    }
    if (candidateEval.isEmpty()) {
      return Optional.of("v" + candidate.number() + " names no evaluation dataset but champion v" + champion.number()
          + " was evaluated on " + describe(championEval) + ", so their metrics may come from different data" + how);
    }
    return Optional.of("v" + candidate.number() + " was evaluated on " + describe(candidateEval) + " but champion v"
        + champion.number() + " on " + describe(championEval)
        + "; compare them on the same evaluation dataset version");
  }

  private static String describe(Set<DatasetInput> inputs) {
    List<String> parts = new ArrayList<>();
    for (DatasetInput d : inputs) {
      parts.add(d.dataset() + "@" + d.version().substring(0, Math.min(12, d.version().length())));
    }
    java.util.Collections.sort(parts);
    return String.join(", ", parts);
  }

  /**
   * Passes if every dataset version in the candidate's provenance exists and is not quarantined: the training and
   * evaluation inputs failed no ERROR check. A candidate whose provenance names no dataset fails.
   *
   * @return the gate
   */
  public static PromotionGate datasetChecksPassed() {
    String name = "dataset-checks";
    return gate(name, Set.of(), spec("datasetChecksPassed"), ctx -> {
      List<DatasetInput> inputs = ctx.candidate().provenance().datasets();
      if (inputs.isEmpty()) {
        return GateResult.fail(name, "v" + ctx.candidate().number()
            + "'s provenance names no dataset version, so its data cannot be shown to have passed its checks",
            Map.of());
      }
      Catalog catalog = Catalog.in(ctx.workspace());
      List<String> problems = new ArrayList<>();
      Map<String, String> evidence = new LinkedHashMap<>();
      for (DatasetInput input : inputs) {
        try {
          DatasetVersion v = catalog.version(input.dataset(), input.version());
          boolean blocked = !v.usable() || v.report().map(r -> r.blocks()).orElse(false);
          evidence.put(input.context() + ":" + input.dataset(), blocked ? "failed" : "passed");
          if (blocked) {
            problems.add(input.dataset() + "@" + v.shortId() + " (" + input.context() + ") failed: "
                + v.report().map(r -> r.summary()).orElse("quarantined"));
          }
        } catch (DatasetVersionNotFoundException e) {
          problems.add(input.dataset() + "@" + input.version() + " (" + input.context() + ") is not in the catalog");
          evidence.put(input.context() + ":" + input.dataset(), "missing");
        }
      }
      return problems.isEmpty()
          ? GateResult.pass(name, inputs.size() + " dataset versions passed their checks", evidence)
          : GateResult.fail(name, String.join("; ", problems), evidence);
    });
  }

  /**
   * Passes if the training data has not drifted: PSI between the candidate's training version of a dataset and a
   * given recent version of it stays below a threshold for every column.
   *
   * @param dataset the dataset, which the candidate's provenance names with context {@code training}
   * @param recentVersion a recent version of it, id or unique prefix
   * @param maxPsi the largest acceptable population stability index, such as 0.2
   * @return the gate
   * @throws IllegalArgumentException if the dataset or version is blank, or maxPsi is not a finite number above 0
   */
  public static PromotionGate driftBelow(String dataset, String recentVersion, double maxPsi) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(recentVersion, "recentVersion");
    if (dataset.isBlank()) {
      throw new IllegalArgumentException("driftBelow needs a dataset name, got " + dev.opskit.Names.quote(dataset));
    }
    if (recentVersion.isBlank()) {
      throw new IllegalArgumentException("driftBelow needs a recent version of '" + dataset + "', got "
          + dev.opskit.Names.quote(recentVersion));
    }
    if (!(maxPsi > 0) || Double.isInfinite(maxPsi)) {
      throw new IllegalArgumentException("maxPsi must be a finite number above 0, got " + maxPsi);
    }
    String name = "drift(" + dataset + " psi < " + number(maxPsi) + ")";
    return gate(name, Set.of(), spec("driftBelow", "dataset", dataset, "recentVersion", recentVersion, "maxPsi",
        Double.toString(maxPsi)), ctx -> {
      Optional<DatasetInput> training = ctx.candidate().provenance().datasets("training").stream()
          .filter(d -> d.dataset().equals(dataset)).findFirst();
      if (training.isEmpty()) {
        return GateResult.fail(name, "v" + ctx.candidate().number() + "'s provenance has no training version of '"
            + dataset + "'", Map.of());
      }
      DriftReport drift = Catalog.in(ctx.workspace()).drift(dataset, training.get().version(), recentVersion);
      double psi = drift.maxPsi();
      // exceeds() also counts columns whose type changed or that became all-null, which have no PSI.
      boolean ok = psi < maxPsi && !drift.exceeds(maxPsi);
      Map<String, String> evidence = new LinkedHashMap<>();
      evidence.put("max_psi", number(psi));
      evidence.put("max_ks", number(drift.maxKs()));
      return new GateResult(name, ok, "largest PSI between the training data and the recent version is "
          + number(psi) + (ok ? ", below " : ", not below ") + number(maxPsi), evidence);
    });
  }

  /**
   * Passes once enough distinct actors approved the candidate for the target stage. Approvals are recorded with
   * {@link ModelRegistry#approve}; an actor approves once, and under the four-eyes rule not their own registration.
   * Approvers are counted by {@linkplain Actor#id() canonical id}, so two spellings of one principal count once.
   *
   * @param required how many distinct approvers
   * @return the gate
   */
  public static PromotionGate approvals(int required) {
    if (required < 1) {
      throw new IllegalArgumentException("required approvals must be at least 1, got " + required);
    }
    String name = "approvals(" + required + ")";
    return gate(name, Set.of(), spec("approvals", "required", Integer.toString(required)), ctx -> {
      // Actors compare by canonical id: "alice" and "Alice " are one approver, however the context lists them.
      List<Actor> approvers = List.copyOf(new java.util.LinkedHashSet<>(ctx.approvals()));
      boolean ok = approvers.size() >= required;
      return new GateResult(name, ok, approvers.size() + " of " + required + " approvals for " + ctx.target()
          + (approvers.isEmpty() ? "" : " (" + approvers + ")"), Map.of("approvers", approvers.toString()));
    });
  }

  /**
   * A gate of your own, from a predicate.
   *
   * @param name the gate's name
   * @param test passes when true
   * @return the gate
   */
  public static PromotionGate custom(String name, Predicate<GateContext> test) {
    Objects.requireNonNull(test, "test");
    return gate(name, Set.of(), null, ctx -> test.test(ctx) ? GateResult.pass(name, "passed", Map.of())
        : GateResult.fail(name, "failed", Map.of()));
  }

  /**
   * A gate of your own, giving its own result and evidence.
   *
   * @param name the gate's name
   * @param evaluate the evaluation
   * @return the gate
   */
  public static PromotionGate of(String name, Function<GateContext, GateResult> evaluate) {
    Objects.requireNonNull(evaluate, "evaluate");
    return gate(name, Set.of(), null, evaluate::apply);
  }

  /**
   * A gate the host registered by name in the workspace's {@link NamedGates}; this is how a policy stored in the
   * workspace refers to a gate of the host's own code. It evaluates the registered gate. In a process whose workspace
   * has no gate of that name it fails, with a message naming the gate, so a promotion never passes a gate it could not
   * evaluate.
   *
   * @param name the registered gate's name
   * @return the gate
   */
  public static PromotionGate named(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a named gate's name must not be blank");
    }
    return gate(name, Set.of(), spec("named", "name", name), ctx -> {
      Optional<PromotionGate> registered = ctx.workspace().attribute(NamedGates.KEY).flatMap(g -> g.gate(name));
      if (registered.isEmpty()) {
        return GateResult.fail(name, "the policy names gate '" + name + "', which this process has not registered; "
            + "register it with Workspace.builder().attribute(NamedGates.KEY, NamedGates.of(...)) in every process "
            + "that promotes " + ctx.candidate().model(), Map.of("registered",
                ctx.workspace().attribute(NamedGates.KEY).map(g -> g.names().toString()).orElse("[]")));
      }
      GateResult result = registered.get().evaluate(ctx);
      if (result == null) {
        return GateResult.fail(name, "registered gate '" + name + "' returned no result", Map.of());
      }
      return result;
    });
  }

  /**
   * Rebuilds a gate from its stored description ({@link PromotionGate#spec()}). A description of a kind this version
   * of opskit does not know, or with bad parameters, gives a gate that always fails and says why: a stored gate is
   * never dropped.
   *
   * @param spec the description
   * @return the gate
   */
  public static PromotionGate fromSpec(GateSpec spec) {
    Objects.requireNonNull(spec, "spec");
    try {
      switch (spec.kind()) {
        case "metricAtLeast":
          return metricAtLeast(spec.param("metric"), Double.parseDouble(spec.param("min")));
        case "metricAtMost":
          return metricAtMost(spec.param("metric"), Double.parseDouble(spec.param("max")));
        case "beatsChampion":
          return beatsChampion(spec.param("metric"), Double.parseDouble(spec.param("margin")));
        case "datasetChecksPassed":
          return datasetChecksPassed();
        case "driftBelow":
          return driftBelow(spec.param("dataset"), spec.param("recentVersion"),
              Double.parseDouble(spec.param("maxPsi")));
        case "approvals":
          return approvals(Integer.parseInt(spec.param("required")));
        case "named":
          return named(spec.param("name"));
        default:
          return unusable(spec, "its kind '" + spec.kind() + "' is unknown to this version of opskit; upgrade it");
      }
    } catch (IllegalArgumentException e) {
      return unusable(spec, e.getMessage());
    }
  }

  private static PromotionGate unusable(GateSpec spec, String why) {
    String name = spec.kind() + spec.params();
    return gate(name, Set.of(), spec, ctx -> GateResult.fail(name, "the stored gate " + name
        + " cannot be evaluated: " + why, Map.of()));
  }

  private static GateSpec spec(String kind, String... params) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      map.put(params[i], params[i + 1]);
    }
    return new GateSpec(kind, map);
  }

  /** A gate that also knows its name, the metrics it reads, and its stored description if it has one. */
  private static PromotionGate gate(String name, Set<String> metrics, @Nullable GateSpec spec, PromotionGate gate) {
    Objects.requireNonNull(name, "name");
    return new PromotionGate() {
      @Override
      public Set<String> metrics() {
        return metrics;
      }

      @Override
      public Optional<GateSpec> spec() {
        return Optional.ofNullable(spec);
      }

      @Override
      public GateResult evaluate(GateContext context) throws Exception {
        return gate.evaluate(context);
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static void checkMetric(String metric) {
    Objects.requireNonNull(metric, "metric");
    if (metric.isBlank()) {
      throw new IllegalArgumentException("a metric gate needs a metric name, got " + dev.opskit.Names.quote(metric));
    }
  }

  private static void checkFinite(String parameter, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(parameter + " must be a finite number, got " + value);
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.4g", d);
  }
}
