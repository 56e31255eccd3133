package dev.opskit.ml;

import dev.opskit.Names;
import dev.opskit.ml.internal.input.Arguments;
import dev.opskit.ml.tracking.DatasetInput;
import dev.opskit.ml.tracking.TrackingRunRecord;
import dev.opskit.run.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Where a model version came from, enough to rebuild it, in the manner of Tribuo's {@code ModelProvenance}: the
 * tracking run and pipeline run that trained it, the dataset versions it read with their roles, its parameters and
 * metrics, its code version, and the opskit, Java and operating-system versions it was built with. Immutable.
 *
 * <pre>{@code
 * Provenance p = Provenance.builder()
 *     .trackingRun(trackingRunRecord)          // params, metrics and inputs come with it
 *     .pipelineRun(run)
 *     .codeVersion("git:3f2a9c1")
 *     .build();
 * }</pre>
 *
 * @param trackingRun the tracking run id, or null
 * @param pipelineRun the pipeline run id, or null
 * @param datasets the dataset versions read, each with its context: training, validation or evaluation
 * @param params the training parameters
 * @param metrics the metrics, such as {@code auc}
 * @param codeVersion the version of the training code, or null
 * @param opskitVersion the opskit version that registered the model
 * @param javaVersion the Java runtime version
 * @param os the operating system name and architecture
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record Provenance(
    @Nullable String trackingRun,
    @Nullable String pipelineRun,
    List<DatasetInput> datasets,
    Map<String, String> params,
    Map<String, Double> metrics,
    @Nullable String codeVersion,
    String opskitVersion,
    String javaVersion,
    String os) {

  /**
   * Checks and copies the components.
   *
   * @param trackingRun the tracking run
   * @param pipelineRun the pipeline run
   * @param datasets the dataset inputs
   * @param params the parameters
   * @param metrics the metrics
   * @param codeVersion the code version
   * @param opskitVersion the opskit version
   * @param javaVersion the Java version
   * @param os the operating system
   */
  public Provenance {
    datasets = List.copyOf(datasets);
    params = Map.copyOf(params);
    metrics = Map.copyOf(metrics);
    for (Map.Entry<String, Double> m : metrics.entrySet()) {
      if (m.getValue() == null || m.getValue().isNaN() || m.getValue().isInfinite()) {
        throw new IllegalArgumentException("metric '" + m.getKey() + "' is " + m.getValue() + "; metrics are finite");
      }
    }
    Objects.requireNonNull(opskitVersion, "opskitVersion");
    Objects.requireNonNull(javaVersion, "javaVersion");
    Objects.requireNonNull(os, "os");
  }

  /**
   * Starts a provenance; the opskit, Java and OS versions are filled in from this process.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A provenance with nothing but this process's versions.
   *
   * @return the provenance
   */
  public static Provenance none() {
    return builder().build();
  }

  /**
   * The provenance of what a tracking run recorded: its id, pipeline run, parameters, latest metrics and inputs.
   *
   * @param run the tracking run
   * @return the provenance
   */
  public static Provenance of(TrackingRunRecord run) {
    return builder().trackingRun(run).build();
  }

  /**
   * Returns the dataset versions read in one context, such as {@code "evaluation"}.
   *
   * @param context the context
   * @return the inputs in that context
   */
  public List<DatasetInput> datasets(String context) {
    return datasets.stream().filter(d -> d.context().equals(context)).toList();
  }

  /**
   * Returns one metric.
   *
   * @param name the metric
   * @return its value, or empty
   */
  public Optional<Double> metric(String name) {
    return Optional.ofNullable(metrics.get(name));
  }

  /**
   * Builds a {@link Provenance}. Not thread-safe.
   *
   * @since 0.1.0
   */
  @API(status = API.Status.STABLE, since = "0.1.0")
  public static final class Builder {
    private @Nullable String trackingRun;
    private @Nullable String pipelineRun;
    private final List<DatasetInput> datasets = new ArrayList<>();
    private final Map<String, String> params = new TreeMap<>();
    private final Map<String, Double> metrics = new TreeMap<>();
    private @Nullable String codeVersion;

    private Builder() {}

    /**
     * Takes the id, parameters, latest metrics, inputs and pipeline run of a tracking run.
     *
     * @param run the tracking run
     * @return this builder
     */
    public Builder trackingRun(TrackingRunRecord run) {
      Objects.requireNonNull(run, "run");
      trackingRun = run.id();
      if (run.pipelineRun() != null) {
        pipelineRun = run.pipelineRun();
      }
      datasets.addAll(run.inputs());
      params.putAll(run.params());
      metrics.putAll(run.metrics());
      return this;
    }

    /**
     * Records the tracking run's id.
     *
     * @param id the tracking run id: 1 to 255 characters, no control, bidi or other invisible character
     * @return this builder
     * @throws IllegalArgumentException naming the id and the rule
     */
    public Builder trackingRunId(String id) {
      trackingRun = Arguments.runId("tracking run id", id);
      return this;
    }

    /**
     * Records the pipeline run that trained the model.
     *
     * @param run the run
     * @return this builder
     */
    public Builder pipelineRun(Run run) {
      pipelineRun = Objects.requireNonNull(run, "run").id();
      return this;
    }

    /**
     * Records a dataset version the model was trained, validated or evaluated on.
     *
     * @param dataset the dataset name
     * @param version the version id
     * @param context {@code training}, {@code validation}, {@code evaluation} or another role
     * @return this builder
     */
    public Builder dataset(String dataset, String version, String context) {
      datasets.add(new DatasetInput(dataset, version, context));
      return this;
    }

    /**
     * Records a parameter.
     *
     * @param key the name, 1 to 255 characters of text
     * @param value the value, stored as text
     * @return this builder
     * @throws IllegalArgumentException naming the key, if it or the value holds a control or bidi character, or the
     *     key is empty or too long
     */
    public Builder param(String key, Object value) {
      Objects.requireNonNull(value, "value");
      Arguments.text("param key", key);
      if (key.isEmpty() || key.length() > 255) {
        throw new IllegalArgumentException("param key " + Names.quote(key) + " is " + key.length() + " characters; "
            + "param keys are 1 to 255 characters");
      }
      params.put(key, Arguments.text("the value of param " + Names.quote(key), String.valueOf(value)));
      return this;
    }

    /**
     * Records a metric.
     *
     * @param name the metric, matching {@value dev.opskit.ml.tracking.Tracking#KEY_RULE}
     * @param value a finite value
     * @return this builder
     * @throws IllegalArgumentException naming the metric, if its name breaks the rule or the value is not finite
     */
    public Builder metric(String name, double value) {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("metric '" + name + "' is " + value + "; metrics are finite");
      }
      metrics.put(Arguments.metric(name), value);
      return this;
    }

    /**
     * Records the code version.
     *
     * @param version the version, such as a git commit
     * @return this builder
     */
    public Builder codeVersion(String version) {
      codeVersion = Arguments.text("code version", version);
      return this;
    }

    /**
     * Builds the provenance, with this process's opskit, Java and OS versions.
     *
     * @return the provenance
     */
    public Provenance build() {
      return new Provenance(trackingRun, pipelineRun, datasets, params, metrics, codeVersion, opskitVersion(),
          System.getProperty("java.version", "unknown") + " (" + System.getProperty("java.vendor", "unknown") + ")",
          System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", "") + " "
              + System.getProperty("os.arch", ""));
    }

    private static String opskitVersion() {
      String version = Provenance.class.getPackage().getImplementationVersion();
      return version == null ? "0.1.0-SNAPSHOT" : version;
    }
  }
}
