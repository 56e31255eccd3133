package dev.opskit.ml.lifecycle;

import dev.opskit.Names;
import dev.opskit.OpsException;
import dev.opskit.Workspace;
import dev.opskit.data.Catalog;
import dev.opskit.data.DatasetVersion;
import dev.opskit.ml.Actor;
import dev.opskit.ml.ModelRegistry;
import dev.opskit.ml.ModelVersion;
import dev.opskit.ml.Provenance;
import dev.opskit.ml.Stage;
import dev.opskit.ml.lifecycle.LifecycleReport.Outcome;
import dev.opskit.ml.lifecycle.LifecycleReport.StageOutcome;
import dev.opskit.ml.promotion.PromotionConflictException;
import dev.opskit.ml.promotion.PromotionGate;
import dev.opskit.ml.promotion.PromotionRejectedException;
import dev.opskit.ml.promotion.PromotionReport;
import dev.opskit.ml.serving.LiveModel;
import dev.opskit.ml.serving.ModelCodec;
import dev.opskit.pipeline.Dataset;
import dev.opskit.pipeline.Pipeline;
import dev.opskit.run.Run;
import dev.opskit.run.StepRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A model's lifecycle, declared once: the training pipeline and the output that is the model, the evaluation, the
 * gates of each stage, and the stage that serving follows. {@link #advance} then goes as far as the gates allow:
 *
 * <ol>
 *   <li>it runs training, incrementally, so unchanged steps are CACHED;
 *   <li>it evaluates the trained model on the evaluation dataset;
 *   <li>it registers the model with its provenance, under an idempotency key made of the trained model's and the
 *       evaluation data's version ids, so that calling it again with nothing changed registers nothing new;
 *   <li>it attempts each promotion in turn, and stops at the first the gates reject.
 * </ol>
 *
 * <pre>{@code
 * ModelLifecycle churn = ModelLifecycle.builder("churn")
 *     .training(trainingPipeline, modelDataset, ModelCodecs.json(ChurnModel.class))
 *     .evaluation(holdout, Metric.of("auc", Evaluation::auc))
 *     .stage(Stage.STAGING, Gates.metricAtLeast("auc", 0.75), Gates.datasetChecksPassed())
 *     .stage(Stage.PRODUCTION, Gates.beatsChampion("auc", 0.01))
 *     .serves(Stage.PRODUCTION)
 *     .build();
 * LifecycleReport report = churn.advance(workspace, Actor.of("scheduler"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the model type
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public final class ModelLifecycle<T> {
  private final String model;
  private final Pipeline training;
  private final Dataset<T> output;
  private final ModelCodec<T> codec;
  private final Dataset<?> evaluationData;
  private final List<Metric<T, ?>> metrics;
  private final Map<Stage, List<PromotionGate>> stages;
  private final Stage serves;

  private ModelLifecycle(Builder<T> b) {
    this.model = b.model;
    this.training = Objects.requireNonNull(b.training);
    this.output = Objects.requireNonNull(b.output);
    this.codec = Objects.requireNonNull(b.codec);
    this.evaluationData = Objects.requireNonNull(b.evaluationData);
    this.metrics = List.copyOf(b.metrics);
    Map<Stage, List<PromotionGate>> copy = new EnumMap<>(Stage.class);
    b.stages.forEach((stage, gates) -> copy.put(stage, List.copyOf(gates)));
    this.stages = copy;
    this.serves = b.serves == null ? Stage.PRODUCTION : b.serves;
  }

  /**
   * Starts declaring a lifecycle.
   *
   * @param model the model name
   * @return a builder
   */
  public static Builder<Object> builder(String model) {
    return new Builder<>(model);
  }

  /**
   * Returns the model name.
   *
   * @return the model
   */
  public String model() {
    return model;
  }

  /**
   * Trains, evaluates, registers and promotes as far as the gates allow, through the workspace's registry: its
   * {@link dev.opskit.ml.access.Authorizer} and the promotion policies stored in it apply, and the lifecycle's gates of each
   * stage are added to the stored ones.
   *
   * @param workspace the workspace
   * @param actor who advances the model; recorded in the audit trail
   * @return what happened at each stage
   * @throws dev.opskit.run.RunFailedException if training fails
   */
  public LifecycleReport advance(Workspace workspace, Actor actor) {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(actor, "actor");
    try (ModelRegistry registry = ModelRegistry.in(workspace)) {
      return advance(workspace, registry, actor);
    }
  }

  /**
   * Trains, evaluates, registers and promotes through a registry the host opened, with its listeners. The workspace's
   * authorizer and stored policies apply as with {@link #advance(Workspace, Actor)}.
   *
   * @param workspace the workspace the registry is on
   * @param registry the registry
   * @param actor who advances the model
   * @return what happened at each stage
   */
  public LifecycleReport advance(Workspace workspace, ModelRegistry registry, Actor actor) {
    Run run = workspace.runner().run(training);
    Catalog catalog = Catalog.in(workspace);
    T trained = run.output(output);
    String modelVersionId = versionOf(run, output.name());
    Object evaluation = evaluationValue(run, catalog);
    String evaluationVersion = versionOf(run, evaluationData.name());
    if (evaluationVersion == null) {
      evaluationVersion = catalog.latest(evaluationData.name()).map(DatasetVersion::id).orElse(null);
    }

    Map<String, Double> values = new TreeMap<>();
    for (Metric<T, ?> metric : metrics) {
      values.put(metric.name(), compute(metric, trained, evaluation));
    }

    Provenance.Builder provenance = Provenance.builder().pipelineRun(run);
    for (StepRecord step : run.steps()) {
      training.step(step.step()).ifPresent(s -> s.params().forEach((k, v) -> provenance.param(s.name() + "." + k, v)));
    }
    for (Map.Entry<String, String> input : trainingInputs(run, catalog).entrySet()) {
      provenance.dataset(input.getKey(), input.getValue(), "training");
    }
    if (evaluationVersion != null) {
      provenance.dataset(evaluationData.name(), evaluationVersion, "evaluation");
    }
    values.forEach(provenance::metric);
    StepRecord producer = run.step(training.producerOf(output.name()).orElseThrow().name());
    if (producer.fingerprint() != null) {
      provenance.codeVersion("fingerprint:" + producer.fingerprint());
    }
    String key = "lifecycle:" + model + ":" + modelVersionId + ":" + (evaluationVersion == null ? "-"
        : evaluationVersion);
    int before = registry.model(model).map(m -> m.latestVersion()).orElse(0);
    ModelVersion version = registry.registration(model, trained, codec).provenance(provenance.build())
        .idempotencyKey(key).by(actor).register();
    boolean registered = version.number() > before;

    List<StageOutcome> outcomes = new ArrayList<>();
    String stopped = "";
    for (Map.Entry<Stage, List<PromotionGate>> entry : stages.entrySet()) {
      Stage stage = entry.getKey();
      ModelVersion current = registry.version(model, version.number());
      if (current.stage() == stage || current.stage() == Stage.PRODUCTION && stage == Stage.STAGING) {
        outcomes.add(new StageOutcome(stage, Outcome.ALREADY_THERE, null));
        continue;
      }
      if (current.stage() == Stage.ARCHIVED) {
        stopped = "v" + version.number() + " is archived";
        break;
      }
      try {
        PromotionReport report = registry.promote(model, version.number()).to(stage).as(actor)
            .reason("lifecycle advance of run " + run.id())
            .gates(entry.getValue().toArray(new PromotionGate[0])).execute();
        outcomes.add(new StageOutcome(stage, Outcome.PROMOTED, report));
      } catch (PromotionRejectedException e) {
        outcomes.add(new StageOutcome(stage, Outcome.REJECTED, e.report()));
        stopped = "the gates of " + stage + " rejected v" + version.number() + ": "
            + e.report().failures().stream().map(f -> f.gate()).toList();
        break;
      } catch (PromotionConflictException e) {
        outcomes.add(new StageOutcome(stage, Outcome.CONFLICT, null));
        stopped = e.getMessage();
        break;
      }
    }
    return new LifecycleReport(model, run.id(), version.number(), registered, values, outcomes, stopped);
  }

  /**
   * Follows the stage this lifecycle serves.
   *
   * @param registry the registry
   * @return a live handle
   */
  public LiveModel<T> live(ModelRegistry registry) {
    return Objects.requireNonNull(registry, "registry").live(model, serves, codec);
  }

  /**
   * Returns the stage that serving follows.
   *
   * @return the stage
   */
  public Stage serves() {
    return serves;
  }

  private Object evaluationValue(Run run, Catalog catalog) {
    if (training.datasets().containsKey(evaluationData.name())
        && (training.producerOf(evaluationData.name()).isPresent() || hasValue(run, evaluationData))) {
      return run.output(evaluationData);
    }
    DatasetVersion latest = catalog.latest(evaluationData.name()).orElseThrow(() -> new OpsException(
        "the evaluation dataset '" + evaluationData.name() + "' of model '" + model + "' has no version in the "
            + "catalog; commit one, or produce it in the training pipeline"));
    return catalog.read(evaluationData, latest.id());
  }

  private static boolean hasValue(Run run, Dataset<?> dataset) {
    try {
      run.output(dataset);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static @Nullable String versionOf(Run run, String dataset) {
    for (StepRecord step : run.steps()) {
      String version = step.outputs().get(dataset);
      if (version != null) {
        return version;
      }
    }
    return null;
  }

  /** The versions of the training pipeline's external inputs, as the catalog's lineage records them. */
  private Map<String, String> trainingInputs(Run run, Catalog catalog) {
    Set<String> externals = new LinkedHashSet<>();
    for (Dataset<?> external : training.externalInputs()) {
      externals.add(external.name());
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    for (StepRecord step : run.steps()) {
      for (Map.Entry<String, String> out : step.outputs().entrySet()) {
        for (Map.Entry<String, String> in : catalog.version(out.getKey(), out.getValue()).inputs().entrySet()) {
          if (externals.contains(in.getKey())) {
            inputs.putIfAbsent(in.getKey(), in.getValue());
          }
        }
      }
    }
    return inputs;
  }

  @SuppressWarnings("unchecked")
  private double compute(Metric<T, ?> metric, T trained, Object evaluation) {
    try {
      double v = ((Metric<T, Object>) metric).compute(trained, evaluation);
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new OpsException("metric '" + metric.name() + "' of model '" + model + "' evaluated to " + v
            + "; metrics must be finite");
      }
      return v;
    } catch (OpsException e) {
      throw e;
    } catch (Exception e) {
      throw new OpsException("metric '" + metric.name() + "' of model '" + model + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * Declares a {@link ModelLifecycle}. Not thread-safe.
   *
   * @param <T> the model type
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Builder<T> {
    private final String model;
    private @Nullable Pipeline training;
    private @Nullable Dataset<T> output;
    private @Nullable ModelCodec<T> codec;
    private @Nullable Dataset<?> evaluationData;
    private final List<Metric<T, ?>> metrics = new ArrayList<>();
    private final Map<Stage, List<PromotionGate>> stages = new EnumMap<>(Stage.class);
    private @Nullable Stage serves;

    private Builder(String model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Names the training pipeline and the output dataset that is the model.
     *
     * @param pipeline the training pipeline
     * @param modelOutput the dataset the pipeline writes the model to; versioned, so that training is incremental
     * @param modelCodec how the registry stores the model
     * @param <M> the model type
     * @return this builder, typed by the model
     */
    @SuppressWarnings("unchecked")
    public <M> Builder<M> training(Pipeline pipeline, Dataset<M> modelOutput, ModelCodec<M> modelCodec) {
      Builder<M> self = (Builder<M>) this;
      self.training = Objects.requireNonNull(pipeline, "pipeline");
      self.output = Objects.requireNonNull(modelOutput, "modelOutput");
      self.codec = Objects.requireNonNull(modelCodec, "modelCodec");
      return self;
    }

    /**
     * Names the evaluation: the dataset the model is evaluated on (an output of the training pipeline, or a dataset
     * read from the catalog) and the metrics computed.
     *
     * @param data the evaluation dataset
     * @param computed the metrics
     * @param <E> the evaluation data type
     * @return this builder
     */
    @SafeVarargs
    public final <E> Builder<T> evaluation(Dataset<E> data, Metric<T, E>... computed) {
      evaluationData = Objects.requireNonNull(data, "data");
      Objects.requireNonNull(computed, "metrics");
      for (int i = 0; i < computed.length; i++) {
        metrics.add(Objects.requireNonNull(computed[i], "metrics[" + i + "]"));
      }
      return this;
    }

    /**
     * Declares a stage to promote to, in order, with its gates.
     *
     * @param stage STAGING or PRODUCTION
     * @param gates the gates; none is a deliberate choice
     * @return this builder
     */
    public Builder<T> stage(Stage stage, PromotionGate... gates) {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(gates, "gates");
      List<PromotionGate> list = stages.computeIfAbsent(stage, s -> new ArrayList<>());
      for (int i = 0; i < gates.length; i++) {
        list.add(Objects.requireNonNull(gates[i], "gates[" + i + "]"));
      }
      return this;
    }

    /**
     * Names the stage that {@link ModelLifecycle#live} follows; PRODUCTION by default.
     *
     * @param stage the stage
     * @return this builder
     */
    public Builder<T> serves(Stage stage) {
      serves = Objects.requireNonNull(stage, "stage");
      return this;
    }

    /**
     * Validates the declaration and returns the lifecycle. Every problem is reported at once: a missing training or
     * evaluation, a model output the pipeline does not produce or that is not versioned, no stage, a stage with no
     * policy, a served stage that is not declared, and a metric a gate names that the evaluation never produces.
     *
     * @return the lifecycle
     * @throws LifecycleDefinitionException listing every problem
     */
    public ModelLifecycle<T> build() {
      List<String> problems = new ArrayList<>();
      Names.nameProblem("model", model).ifPresent(problems::add);
      if (training == null) {
        problems.add("no training pipeline; declare it with training(pipeline, modelOutput, codec)");
      } else if (training.producerOf(output.name()).isEmpty()) {
        problems.add("model output '" + output.name() + "' is not produced by any step of pipeline '"
            + training.name() + "'; its datasets are " + new java.util.TreeSet<>(training.datasets().keySet()));
      } else if (output.codec().isEmpty() && training.datasets().get(output.name()).codec().isEmpty()) {
        problems.add("model output '" + output.name() + "' is not versioned; give it a codec (such as "
            + "Datasets.json(...)) so that training is incremental and advance() idempotent");
      }
      if (evaluationData == null) {
        problems.add("no evaluation; declare it with evaluation(dataset, metrics...)");
      } else if (metrics.isEmpty()) {
        problems.add("the evaluation computes no metric");
      }
      Set<String> produced = new LinkedHashSet<>();
      for (Metric<T, ?> m : metrics) {
        if (!produced.add(m.name())) {
          problems.add("metric '" + m.name() + "' is declared twice");
        }
      }
      if (stages.isEmpty()) {
        problems.add("no stage to promote to; declare stage(STAGING, gates...) and/or stage(PRODUCTION, gates...)");
      }
      for (Map.Entry<Stage, List<PromotionGate>> entry : stages.entrySet()) {
        Stage stage = entry.getKey();
        if (stage != Stage.STAGING && stage != Stage.PRODUCTION) {
          problems.add("stage " + stage + " cannot be a lifecycle stage; use STAGING and PRODUCTION");
        }
        if (entry.getValue().isEmpty()) {
          problems.add("stage " + stage + " has no policy: give it at least one gate, such as "
              + "Gates.metricAtLeast(...) or Gates.approvals(1)");
        }
        for (PromotionGate gate : entry.getValue()) {
          for (String metric : gate.metrics()) {
            if (!produced.contains(metric)) {
              problems.add("gate " + gate.name() + " of stage " + stage + " reads metric '" + metric
                  + "', which the evaluation never produces; it produces " + produced);
            }
          }
        }
      }
      Stage served = serves == null ? Stage.PRODUCTION : serves;
      if (!stages.isEmpty() && !stages.containsKey(served)) {
        problems.add("the lifecycle serves " + served + " but declares no such stage");
      }
      if (!problems.isEmpty()) {
        throw new LifecycleDefinitionException(model, problems);
      }
      return new ModelLifecycle<>(this);
    }
  }

}
