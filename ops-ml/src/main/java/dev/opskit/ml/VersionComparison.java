package dev.opskit.ml;

import dev.opskit.ml.promotion.GateResult;
import dev.opskit.ml.tracking.DatasetInput;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Versions of one model side by side: for each, its metrics, parameters and dataset inputs (from its provenance), and
 * the stage changes it went through with the gate results they were recorded with. A value a console or a command
 * line renders as a table; read it with {@link ModelRegistry#compare(String, int...)}.
 *
 * <pre>{@code
 * VersionComparison c = registry.compare("churn", 3, 5, 7);
 * for (String metric : c.metricNames()) {
 *   System.out.println(metric + " " + c.metric(metric));   // {3=0.81, 5=0.84, 7=0.83}
 * }
 * c.differingParams();                                      // the parameters whose values differ
 * }</pre>
 *
 * @param model the model
 * @param columns one column per version, in the order asked for
 * @since 0.1.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
public record VersionComparison(String model, List<Column> columns) {

  /**
   * Checks and copies the components.
   *
   * @param model the model
   * @param columns the columns
   */
  public VersionComparison {
    Objects.requireNonNull(model, "model");
    columns = List.copyOf(columns);
  }

  /**
   * The names of every metric any of the versions has.
   *
   * @return the names, sorted
   */
  public Set<String> metricNames() {
    Set<String> out = new TreeSet<>();
    columns.forEach(c -> out.addAll(c.version().provenance().metrics().keySet()));
    return Collections.unmodifiableSet(out);
  }

  /**
   * The names of every parameter any of the versions has.
   *
   * @return the names, sorted
   */
  public Set<String> paramNames() {
    Set<String> out = new TreeSet<>();
    columns.forEach(c -> out.addAll(c.version().provenance().params().keySet()));
    return Collections.unmodifiableSet(out);
  }

  /**
   * One metric across the versions.
   *
   * @param name the metric
   * @return version number to value, in column order; a version without the metric is absent
   */
  public Map<Integer, Double> metric(String name) {
    Objects.requireNonNull(name, "name");
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (Column c : columns) {
      Double value = c.version().provenance().metrics().get(name);
      if (value != null) {
        out.put(c.version().number(), value);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * One parameter across the versions.
   *
   * @param name the parameter
   * @return version number to value, in column order; a version without the parameter is absent
   */
  public Map<Integer, String> param(String name) {
    Objects.requireNonNull(name, "name");
    Map<Integer, String> out = new LinkedHashMap<>();
    for (Column c : columns) {
      String value = c.version().provenance().params().get(name);
      if (value != null) {
        out.put(c.version().number(), value);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The parameters that differ between the versions: a value differs, or some versions lack the parameter.
   *
   * @return the names, sorted
   */
  public Set<String> differingParams() {
    Set<String> out = new TreeSet<>();
    for (String name : paramNames()) {
      Map<Integer, String> values = param(name);
      if (values.size() != columns.size() || values.values().stream().distinct().count() > 1) {
        out.add(name);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * One version of the comparison.
   *
   * @param version the version as stored (stage, aliases, provenance)
   * @param stageChanges the version's stage changes, oldest first, each with its gate results
   * @since 0.1.0
   */
  @API(status = API.Status.EXPERIMENTAL, since = "0.1.0")
  public record Column(ModelVersion version, List<ModelTimeline.Change> stageChanges) {

    /**
     * Checks and copies the components.
     *
     * @param version the version
     * @param stageChanges its stage changes
     */
    public Column {
      Objects.requireNonNull(version, "version");
      stageChanges = List.copyOf(stageChanges);
    }

    /**
     * The version's dataset inputs, from its provenance.
     *
     * @return the inputs
     */
    public List<DatasetInput> datasets() {
      return version.provenance().datasets();
    }

    /**
     * The gate results of the version's last stage change that had any (its last promotion through gates).
     *
     * @return the results, empty if no change of this version was gated
     */
    public List<GateResult> lastGateResults() {
      for (int i = stageChanges.size() - 1; i >= 0; i--) {
        if (!stageChanges.get(i).evidence().isEmpty()) {
          return stageChanges.get(i).evidence();
        }
      }
      return List.of();
    }
  }
}
