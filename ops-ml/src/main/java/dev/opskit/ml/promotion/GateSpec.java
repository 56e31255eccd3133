package dev.opskit.ml.promotion;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The stored description of a gate, which is how a promotion policy kept in the workspace names its gates: the kind of
 * a built-in gate of {@link Gates} and its parameters, such as {@code metricAtLeast} with {@code metric=auc} and
 * {@code min=0.8}, or kind {@code named} for a gate the host registered by name in {@link NamedGates}. Code is never
 * stored; every process that opens the workspace rebuilds the gates from these descriptions.
 *
 * @param kind the kind of gate, such as {@code metricAtLeast}
 * @param params its parameters, as strings
 * @since 0.1.0
 */
@API(status = API.Status.STABLE, since = "0.1.0")
public record GateSpec(String kind, Map<String, String> params) {
  /**
   * Checks and copies the components; the parameters are kept sorted by name.
   *
   * @param kind the kind
   * @param params the parameters
   */
  public GateSpec {
    Objects.requireNonNull(kind, "kind");
    if (kind.isBlank()) {
      throw new IllegalArgumentException("a gate spec's kind must not be blank");
    }
    Map<String, String> sorted = new TreeMap<>();
    Objects.requireNonNull(params, "params").forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "param name"),
        Objects.requireNonNull(v, "param " + k)));
    params = java.util.Collections.unmodifiableMap(sorted);
  }

  /**
   * Returns a parameter.
   *
   * @param name its name
   * @return its value
   * @throws IllegalArgumentException if the spec has no such parameter
   */
  public String param(String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalArgumentException("gate spec " + kind + params + " has no parameter '" + name + "'");
    }
    return value;
  }
}
